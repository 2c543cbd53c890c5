package dev.pinaivu.functions.store;

/**
 * A DynamoDB call of the log store failed for a reason other than losing a race (network,
 * throttling after the SDK's retries, a missing table, ...). Names the operation; the SDK's
 * exception is only the cause, never part of the store's contract.
 */
public final class LogStoreException extends RuntimeException {
  LogStoreException(String operation, Throwable cause) {
    super("log store: " + operation + " failed: " + cause.getMessage(), cause);
  }
}
