package dev.pinaivu.core.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.receipt.Receipt;
import dev.pinaivu.core.receipt.SignedReceipt;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A signed receipt as kept by the gateway, with the few fields usage reports group and sum by. The
 * figures are copied from the signed receipt itself ({@code billed_usage}, {@code
 * charge.total_charged}), so that usage is the sum of receipts, exactly.
 *
 * @param keyId the API key that made the request (not in the signed receipt: the receipt names the
 *     account only through an opaque reference)
 * @param issuedAtMs the receipt's {@code times.issued_at_ms}
 * @param signedReceipt the signed receipt envelope exactly as the coordinator returned it (JSON)
 */
public record StoredReceipt(
    RequestId requestId,
    String accountId,
    String keyId,
    String model,
    String nodeId,
    String outcome,
    long issuedAtMs,
    long promptTokens,
    long completionTokens,
    long totalChargedMicros,
    String signedReceipt) {

  public StoredReceipt {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(signedReceipt, "signedReceipt");
    if (promptTokens < 0 || completionTokens < 0 || totalChargedMicros < 0) {
      throw new IllegalArgumentException("receipt figures cannot be negative");
    }
  }

  /**
   * The stored form of {@code signed}, made by {@code keyId} for {@code accountId}: every figure is
   * read from the signed receipt ({@code times.issued_at_ms}, {@code billed_usage}, {@code
   * charge.total_charged}), so the usage summed from stored receipts is the sum of the receipts.
   */
  public static StoredReceipt of(String accountId, String keyId, SignedReceipt signed) {
    Receipt r = signed.receipt();
    return new StoredReceipt(
        r.requestId(),
        accountId,
        keyId,
        r.model(),
        r.nodeId().value(),
        r.outcome().wire(),
        r.times().issuedAtMs(),
        r.billedUsage().promptTokens(),
        r.billedUsage().completionTokens(),
        r.charge().totalCharged(),
        signed.json());
  }

  /**
   * The coordinator-given log index ({@code log.index}) of the stored envelope, if it has one; a
   * stored envelope that is not JSON, or whose index is not a whole number, has none.
   */
  public OptionalLong logIndex() {
    try {
      JsonNode index = Json.parse(signedReceipt).at("/log/index");
      return index.canConvertToExactIntegral() && index.canConvertToLong()
          ? OptionalLong.of(index.longValue())
          : OptionalLong.empty();
    } catch (JsonProcessingException e) {
      return OptionalLong.empty();
    }
  }

  /** The stored envelope, read back. */
  public SignedReceipt signed() {
    try {
      return Json.MAPPER.readValue(signedReceipt, SignedReceipt.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "the stored receipt of " + requestId + " is not readable: " + e.getOriginalMessage(), e);
    }
  }
}
