package dev.pinaivu.core.ledger;

import dev.pinaivu.core.id.RequestId;
import java.util.List;
import java.util.Objects;

/**
 * The payment for one request: the client pays {@code totalMicros}, of which the node earns {@code
 * nodeMicros} and the network keeps {@code feeMicros}. The request id is the idempotency key; the
 * whole record is the content a retry must repeat exactly.
 */
public record Settlement(
    RequestId requestId,
    AccountId client,
    AccountId node,
    long totalMicros,
    long nodeMicros,
    long feeMicros) {

  public Settlement {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(node, "node");
    if (client.kind() != AccountId.Kind.CLIENT) {
      throw new IllegalArgumentException(
          "the paying account must be a client (acct_...): " + client);
    }
    if (node.kind() != AccountId.Kind.NODE) {
      throw new IllegalArgumentException("the earning account must be a node (node_...): " + node);
    }
    if (totalMicros < 0 || nodeMicros < 0 || feeMicros < 0) {
      throw new IllegalArgumentException(
          "settlement amounts cannot be negative: total "
              + totalMicros
              + ", node "
              + nodeMicros
              + ", fee "
              + feeMicros);
    }
    long sum;
    try {
      sum = Math.addExact(nodeMicros, feeMicros);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "node " + nodeMicros + " + fee " + feeMicros + " overflows 64-bit micro-dollars");
    }
    if (sum != totalMicros) {
      throw new IllegalArgumentException(
          "total "
              + totalMicros
              + " must equal node "
              + nodeMicros
              + " + fee "
              + feeMicros
              + " (= "
              + sum
              + ")");
    }
  }

  /** The balanced journal lines of this settlement, recorded at {@code atMs}. */
  public List<JournalEntry> entries(long atMs) {
    String ref = requestId.value();
    return List.of(
        new JournalEntry(client, -totalMicros, EntryKind.CHARGE, ref, atMs),
        new JournalEntry(node, nodeMicros, EntryKind.EARNING, ref, atMs),
        new JournalEntry(AccountId.FEE, feeMicros, EntryKind.FEE, ref, atMs));
  }
}
