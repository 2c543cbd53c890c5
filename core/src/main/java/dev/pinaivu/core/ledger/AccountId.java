package dev.pinaivu.core.ledger;

import dev.pinaivu.core.node.NodeId;
import java.util.regex.Pattern;

/**
 * An account of the ledger. Client accounts ({@code acct_...}) hold prepaid credit, node accounts
 * (the node id, {@code node_...}) hold earnings, {@link #FEE} holds the network's fees, and {@link
 * #EXTERNAL} is the other side of every top-up: money that came in from outside, so its balance is
 * minus the sum of all top-ups and every journal transaction sums to zero.
 */
public record AccountId(String value) {
  private static final Pattern CLIENT = Pattern.compile("acct_[0-9a-z][0-9a-z_-]{0,63}");
  private static final Pattern NODE = Pattern.compile("node_[0-9a-hjkmnp-tv-z]{26}");

  // After the patterns: the constructor needs them.
  public static final AccountId FEE = new AccountId("fee");
  public static final AccountId EXTERNAL = new AccountId("external");

  /** What an account is for. */
  public enum Kind {
    CLIENT,
    NODE,
    FEE,
    EXTERNAL
  }

  public AccountId {
    if (value == null || kindOf(value) == null) {
      throw new IllegalArgumentException(
          "not a ledger account: "
              + value
              + " (expected acct_<id>, node_<26 base32 digits>, fee or external)");
    }
  }

  public static AccountId parse(String value) {
    return new AccountId(value);
  }

  public static AccountId client(String value) {
    AccountId id = new AccountId(value);
    if (id.kind() != Kind.CLIENT) {
      throw new IllegalArgumentException("not a client account (acct_...): " + value);
    }
    return id;
  }

  public static AccountId node(NodeId node) {
    return new AccountId(node.value());
  }

  public Kind kind() {
    return kindOf(value);
  }

  private static Kind kindOf(String value) {
    if (CLIENT.matcher(value).matches()) {
      return Kind.CLIENT;
    }
    if (NODE.matcher(value).matches()) {
      return Kind.NODE;
    }
    return switch (value) {
      case "fee" -> Kind.FEE;
      case "external" -> Kind.EXTERNAL;
      default -> null;
    };
  }

  @Override
  public String toString() {
    return value;
  }
}
