package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.receipt.SignedReceipt;
import java.io.IOException;

/** Reading log entries the parent hands back. */
final class LogEntries {
  private LogEntries() {}

  /**
   * The receipt entry ({@link SignedReceipt#logEntry()}) of the envelope in {@code entry}.
   *
   * @throws IllegalArgumentException when it is not a receipt envelope
   */
  static byte[] receiptEntry(byte[] entry) {
    try {
      return Json.MAPPER.readValue(entry, SignedReceipt.class).logEntry();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("entries: not a receipt envelope", e);
    }
  }
}
