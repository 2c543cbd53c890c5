package dev.pinaivu.core.reputation;

import dev.pinaivu.core.node.NodeId;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The operator's policy on which nodes may join: anyone ({@code open}), only the keys of an
 * allowlist, or only nodes whose reputation is at least a threshold ({@code min-reputation}: a new
 * node's is 0.5, a node that fell below is kept out until its reputation has drifted back); and in
 * every mode at most {@code perAddress} live nodes from one source address and {@code perOperator}
 * of one operator. Pure: the caller counts, with {@link Seats}.
 *
 * @param allowlist the node ids allowed in {@code allowlist} mode (empty otherwise)
 * @param minReputation the lowest reputation admitted in {@code min-reputation} mode
 */
public record NodeAdmission(
    Mode mode, Set<NodeId> allowlist, double minReputation, int perAddress, int perOperator) {

  public static final int DEFAULT_PER_ADDRESS = 16;
  public static final int DEFAULT_PER_OPERATOR = 64;
  public static final double DEFAULT_MIN_REPUTATION = 0.4;

  /** Open, 16 live nodes per address and 64 per operator. */
  public static final NodeAdmission DEFAULTS =
      new NodeAdmission(
          Mode.OPEN, Set.of(), DEFAULT_MIN_REPUTATION, DEFAULT_PER_ADDRESS, DEFAULT_PER_OPERATOR);

  public enum Mode {
    OPEN,
    ALLOWLIST,
    MIN_REPUTATION;

    /** {@code open}, {@code allowlist} or {@code min-reputation}. */
    public static Mode parse(String text) {
      for (Mode m : values()) {
        if (m.wire().equals(text)) {
          return m;
        }
      }
      throw new IllegalArgumentException(
          "node admission must be open, allowlist or min-reputation, not '" + text + "'");
    }

    public String wire() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** Why a node is refused; {@link #code} names it in the close reason and the metrics. */
  public enum Refusal {
    NOT_ALLOWLISTED,
    LOW_REPUTATION,
    ADDRESS_LIMIT,
    OPERATOR_LIMIT;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A refusal and the sentence the node is told; null refusal when admitted. */
  public record Verdict(Refusal refusal, String message) {
    public static final Verdict ADMITTED = new Verdict(null, null);

    public boolean admitted() {
      return refusal == null;
    }
  }

  public NodeAdmission {
    Objects.requireNonNull(mode, "mode");
    allowlist = Set.copyOf(allowlist);
    if (perAddress < 1 || perOperator < 1) {
      throw new IllegalArgumentException("node limits must be at least 1");
    }
    if (!(minReputation >= 0 && minReputation <= 1)) {
      throw new IllegalArgumentException("min reputation must be in [0, 1]");
    }
    if (mode == Mode.ALLOWLIST && allowlist.isEmpty()) {
      throw new IllegalArgumentException("allowlist admission needs at least one node key");
    }
  }

  /** Whether the policy admits a node that has just proved its key, at its reputation now. */
  public Verdict admit(NodeId node, double reputation) {
    if (mode == Mode.ALLOWLIST && !allowlist.contains(node)) {
      return new Verdict(Refusal.NOT_ALLOWLISTED, "node " + node + " is not on the allowlist");
    }
    if (mode == Mode.MIN_REPUTATION && reputation < minReputation) {
      return new Verdict(
          Refusal.LOW_REPUTATION,
          String.format(
              Locale.ROOT,
              "reputation %.2f is below the minimum %.2f; it recovers with time",
              reputation,
              minReputation));
    }
    return Verdict.ADMITTED;
  }

  /** The refusal of a node whose address has {@link #perAddress} nodes connected already. */
  public Verdict addressFull(String address) {
    return new Verdict(
        Refusal.ADDRESS_LIMIT, perAddress + " nodes from " + address + " are connected already");
  }

  /**
   * The refusal of a node whose operator (its offer's, or its node id) has {@link #perOperator}
   * nodes live already.
   */
  public Verdict operatorFull(String operator) {
    return new Verdict(
        Refusal.OPERATOR_LIMIT,
        perOperator + " nodes of operator '" + operator + "' are live already");
  }

  /** Whether a live node has fallen below the policy's minimum, and must leave. */
  public boolean belowMinimum(double reputation) {
    return mode == Mode.MIN_REPUTATION && reputation < minReputation;
  }
}
