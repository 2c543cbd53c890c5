package dev.pinaivu.core.attestation;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link AttestationVerifier} checks beyond the signature and chain. Pins are lowercase hex.
 * Start from {@link #DEFAULTS} and add to it: {@code DEFAULTS.at(ms).expectingPcr(0, hex)}.
 *
 * @param atMillis when the certificates must be valid, in epoch milliseconds; null means the
 *     document's own timestamp
 * @param allowDebug accept debug-mode documents (PCR0 all zeros), whose enclave the host can read
 * @param expectedPcrs PCR index to the value the document must report
 * @param expectedPublicKey the {@code public_key} the document must carry, or null to accept any
 */
public record VerifyOptions(
    Long atMillis,
    boolean allowDebug,
    Map<Integer, String> expectedPcrs,
    String expectedPublicKey) {
  public static final VerifyOptions DEFAULTS = new VerifyOptions(null, false, Map.of(), null);

  public VerifyOptions {
    if (atMillis != null && atMillis < 0) {
      throw new IllegalArgumentException("atMillis must not be negative, got " + atMillis);
    }
    TreeMap<Integer, String> pcrs = new TreeMap<>();
    expectedPcrs.forEach((index, hex) -> pcrs.put(index, pcrHex(index, hex)));
    expectedPcrs = Map.copyOf(pcrs);
    if (expectedPublicKey != null) {
      expectedPublicKey = hex("expected public_key", expectedPublicKey);
      int length = expectedPublicKey.length() / 2;
      if (length < 1 || length > AttestationDocument.MAX_PUBLIC_KEY_BYTES) {
        throw new IllegalArgumentException("expected public_key must be 1..1024 bytes");
      }
    }
  }

  /** Checks the certificates at {@code millis} instead of the document's timestamp. */
  public VerifyOptions at(long millis) {
    return new VerifyOptions(millis, allowDebug, expectedPcrs, expectedPublicKey);
  }

  public VerifyOptions allowingDebug() {
    return new VerifyOptions(atMillis, true, expectedPcrs, expectedPublicKey);
  }

  /** Requires PCR {@code index} to equal {@code hex} (32, 48 or 64 bytes; case ignored). */
  public VerifyOptions expectingPcr(int index, String hex) {
    Map<Integer, String> pcrs = new TreeMap<>(expectedPcrs);
    pcrs.put(index, hex);
    return new VerifyOptions(atMillis, allowDebug, pcrs, expectedPublicKey);
  }

  public VerifyOptions expectingPublicKey(byte[] publicKey) {
    return new VerifyOptions(
        atMillis, allowDebug, expectedPcrs, HexFormat.of().formatHex(publicKey));
  }

  private static String pcrHex(Integer index, String hex) {
    if (index == null || index < 0 || index >= AttestationDocument.MAX_PCRS) {
      throw new IllegalArgumentException("PCR index must be 0..31, got " + index);
    }
    String normalized = hex("expected PCR" + index, hex);
    int length = normalized.length() / 2;
    if (length != 32 && length != 48 && length != 64) {
      throw new IllegalArgumentException(
          "expected PCR" + index + " must be 32, 48 or 64 bytes of hex, got " + length + " bytes");
    }
    return normalized;
  }

  private static String hex(String what, String hex) {
    if (hex == null) {
      throw new IllegalArgumentException(what + " is missing");
    }
    try {
      HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not hex: " + e.getMessage());
    }
    return hex.toLowerCase(Locale.ROOT);
  }
}
