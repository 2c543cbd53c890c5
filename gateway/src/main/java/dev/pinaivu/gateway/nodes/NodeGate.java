package dev.pinaivu.gateway.nodes;

import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.reputation.NodeAdmission;
import dev.pinaivu.core.reputation.NodeAdmission.Verdict;
import dev.pinaivu.core.reputation.NodeStandings;
import dev.pinaivu.core.reputation.Seats;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Admission of node connections under the operator's {@link NodeAdmission}: the policy (open,
 * allowlist, minimum reputation) once a node has proved its key, a seat under its source address
 * then, and one under its operator at its first offer. Seats are given back when the connection
 * closes, exactly once.
 */
final class NodeGate {
  private final NodeAdmission policy;
  private final NodeStandings standings;
  private final Seats addresses = new Seats();
  private final Seats operators = new Seats();
  private final Map<NodeSession, Held> held = new ConcurrentHashMap<>();

  private record Held(String address, String operator) {}

  NodeGate(NodeAdmission policy, NodeStandings standings) {
    this.policy = policy;
    this.standings = standings;
  }

  NodeAdmission policy() {
    return policy;
  }

  /**
   * Admits {@code session}, which has just proved the key of {@code node}, from {@code address}.
   * When its address is full and an older connection of the same node holds a seat there, that
   * connection is closed first ({@code replace}): a node that reconnects is never refused for its
   * own stale connection.
   */
  Verdict atAuth(
      NodeSession session,
      NodeId node,
      String address,
      long nowMs,
      Function<NodeId, NodeSession> older) {
    Verdict verdict = policy.admit(node, standings.reputation(node, nowMs));
    if (!verdict.admitted()) {
      return verdict;
    }
    if (!addresses.take(address, policy.perAddress())) {
      NodeSession stale = older.apply(node);
      if (stale == null || stale == session || !holdsAddress(stale, address)) {
        return policy.addressFull(address);
      }
      stale.replaced();
      if (!addresses.take(address, policy.perAddress())) {
        return policy.addressFull(address);
      }
    }
    held.put(session, new Held(address, null));
    if (session.closed()) {
      release(session); // closed while it was being admitted
    }
    return Verdict.ADMITTED;
  }

  /** Admits {@code session}'s first offer under {@code operator} (its offer's, or its node id). */
  Verdict atOffer(NodeSession session, String operator) {
    Held seat = held.get(session);
    if (seat == null) {
      return Verdict.ADMITTED; // closed meanwhile; nothing more to count
    }
    if (seat.operator() != null) {
      return Verdict.ADMITTED;
    }
    if (!operators.take(operator, policy.perOperator())) {
      return policy.operatorFull(operator);
    }
    if (held.replace(session, seat, new Held(seat.address(), operator))) {
      if (session.closed()) {
        release(session);
      }
    } else {
      operators.give(operator); // released meanwhile
    }
    return Verdict.ADMITTED;
  }

  /** Gives back what {@code session} held; a second call does nothing. */
  void release(NodeSession session) {
    Held seat = held.remove(session);
    if (seat != null) {
      addresses.give(seat.address());
      if (seat.operator() != null) {
        operators.give(seat.operator());
      }
    }
  }

  private boolean holdsAddress(NodeSession session, String address) {
    Held seat = held.get(session);
    return seat != null && seat.address().equals(address);
  }

  /** Connections admitted from {@code address} and still open. */
  int fromAddress(String address) {
    return addresses.count(address);
  }
}
