package dev.pinaivu.functions.store;

/**
 * A DynamoDB call of one of the network table's stores failed for a reason that is none of the
 * port's outcomes (network, throttling after the SDK's retries, a missing table, a transaction
 * cancelled for another reason than a condition). Names the operation; the SDK's exception is only
 * the cause, never part of a port's contract. Retrying the operation is safe: every write is
 * idempotent or conditional.
 */
public final class NetworkStoreException extends RuntimeException {
  NetworkStoreException(String operation, Throwable cause) {
    super("network store: " + operation + " failed: " + cause.getMessage(), cause);
  }

  NetworkStoreException(String operation, String reason) {
    super("network store: " + operation + " failed: " + reason);
  }
}
