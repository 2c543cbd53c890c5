package dev.pinaivu.cli.receipts;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.Receipt;
import dev.pinaivu.core.receipt.ReceiptVerifier;
import dev.pinaivu.core.receipt.TrustedKeys;
import dev.pinaivu.core.receipt.Verification;
import java.math.BigDecimal;
import java.util.List;

/**
 * One receipt against the trusted keys, with its one-line verdict: {@code valid: <request_id>
 * model=… node=… total=$… (key <id>, dev)} or {@code invalid: <reason>}, the reason being {@link
 * ReceiptVerifier}'s, or why the receipt's key was not trusted.
 */
final class ReceiptCheck {
  /** The verdict; {@code line} is safe to print. */
  record Verdict(boolean valid, String line) {}

  private ReceiptCheck() {}

  /** What the receipt is checked against besides the keys. */
  record Against(boolean allowDev, boolean pcr0Pinned, String logOrigin, byte[] clientResponse) {
    /** The defaults of the command line: the local log's origin, no saved response. */
    static Against keysOnly(boolean allowDev, boolean pcr0Pinned) {
      return new Against(allowDev, pcr0Pinned, CoordinatorOptions.DEFAULT_LOG_ORIGIN, null);
    }
  }

  static Verdict run(byte[] envelope, KeyTrust trust, boolean allowDev, boolean pcr0Pinned) {
    return run(envelope, trust, Against.keysOnly(allowDev, pcr0Pinned));
  }

  /**
   * @param against {@code pcr0Pinned}: whether NITRO keys were checked against a PCR0, said in the
   *     verdict when not; {@code clientResponse}: the response body the client saved, or null
   */
  static Verdict run(byte[] envelope, KeyTrust trust, Against against) {
    boolean allowDev = against.allowDev();
    boolean pcr0Pinned = against.pcr0Pinned();
    String keyId = declaredKeyId(envelope);
    if (keyId != null && trust.key(keyId).isEmpty() && trust.refused().containsKey(keyId)) {
      return invalid("coordinator key " + keyId + " is not trusted: " + trust.refused().get(keyId));
    }
    Verification<Receipt> verified =
        new ReceiptVerifier(new TrustedKeys(trust.keys(), allowDev)).verify(envelope);
    if (!verified.valid()) {
      boolean untrustedKey = keyId != null && trust.key(keyId).isEmpty();
      return invalid(verified.reason() + (untrustedKey ? refusals(trust) : ""));
    }
    Receipt receipt = verified.value();
    CoordinatorKey key = trust.key(receipt.coordinatorKeyId()).orElseThrow();
    StringBuilder logged = new StringBuilder();
    if (against.clientResponse() != null) {
      String saved = Sha256.hex(against.clientResponse());
      if (!saved.equals(receipt.clientResponseSha256())) {
        return invalid(
            "client response: the SHA-256 of the "
                + against.clientResponse().length
                + " bytes saved is "
                + saved
                + ", not the receipt's client_response_sha256 "
                + receipt.clientResponseSha256());
      }
    }
    List<CoordinatorKey> logKeys =
        trust.keys().stream().filter(k -> allowDev || k.kind() != CoordinatorKey.Kind.DEV).toList();
    dev.pinaivu.core.translog.Verdict log =
        LogCheck.check(envelope, logKeys, against.logOrigin(), logged);
    if (!log.accepted()) {
      return invalid(log.reason());
    }
    return new Verdict(
        true,
        Printable.line(
            "valid: "
                + receipt.requestId()
                + " model="
                + receipt.model()
                + " node="
                + receipt.nodeId()
                + " total=$"
                + BigDecimal.valueOf(receipt.charge().totalCharged(), 6).toPlainString()
                + " (key "
                + key.keyId()
                + ", "
                + kind(key, pcr0Pinned)
                + ")"
                + logged
                + (against.clientResponse() == null
                    ? ""
                    : "; client response matches ("
                        + against.clientResponse().length
                        + " bytes)")));
  }

  /** The keys offered but refused, which may explain a receipt's key not being trusted. */
  private static String refusals(KeyTrust trust) {
    return trust.refused().entrySet().stream()
        .limit(2)
        .map(e -> e.getKey() + " " + e.getValue())
        .reduce((a, b) -> a + "; " + b)
        .map(list -> "; also refused: " + list)
        .orElse("");
  }

  private static String kind(CoordinatorKey key, boolean pcr0Pinned) {
    return switch (key.kind()) {
      case DEV -> "dev";
      case NITRO -> pcr0Pinned ? "nitro" : "nitro, PCR0 not pinned";
    };
  }

  private static Verdict invalid(String reason) {
    return new Verdict(false, Printable.line("invalid: " + reason));
  }

  /** The envelope's {@code key_id}, read without trusting it; null when there is none. */
  private static String declaredKeyId(byte[] envelope) {
    try {
      return Json.parse(envelope).path("key_id").textValue();
    } catch (JsonProcessingException | RuntimeException e) {
      return null;
    }
  }
}
