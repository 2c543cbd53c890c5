package dev.pinaivu.core.limits;

import dev.pinaivu.core.id.RequestId;

/**
 * Port: what each API key has spent over its life, in µUSD, against its budget (SQLite locally,
 * DynamoDB on AWS). Settlement records each request's total charge here, in the same place it moves
 * the money; admission reads the sum. Every adapter passes {@code KeySpendContract}.
 */
public interface KeySpend {
  /**
   * Adds a request's charge to the key's spend, once per request id: the same request again with
   * the same key and amount changes nothing and returns false.
   *
   * @throws IllegalArgumentException for a negative amount, or a request id already recorded with
   *     another key or amount
   */
  boolean recordSpend(String keyId, RequestId requestId, long micros);

  /** The key's spend so far; 0 for a key that has spent nothing. */
  long spentMicros(String keyId);
}
