package dev.pinaivu.core.attestation;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Attestation documents for tests outside this package: signed by a throwaway CA shaped like AWS's
 * ({@link TestCa}), with the PCR0 and public key a test asks for, and the verifier that trusts that
 * CA and nothing else. No real NSM document carries a key a test chose.
 */
public final class TestAttestations {
  /** The PCR0 a debug-mode enclave reports. */
  public static final String DEBUG_PCR0 = "00".repeat(48);

  private final TestCa.Chain chain;
  private final long timestampMillis;

  private TestAttestations(Instant at) {
    this.chain = TestCa.Chain.validAround(at);
    this.timestampMillis = at.toEpochMilli();
  }

  /** A new CA whose documents are timestamped {@code at}. */
  public static TestAttestations around(Instant at) {
    return new TestAttestations(at);
  }

  /** Trusts this CA's root only. */
  public AttestationVerifier verifier() {
    return new AttestationVerifier(chain.root().certificate());
  }

  /** A signed document reporting {@code pcr0} (96 hex digits) and carrying {@code publicKey}. */
  public byte[] document(String pcr0, byte[] publicKey) {
    Map<Integer, byte[]> pcrs = new TreeMap<>();
    for (int i = 0; i < 16; i++) {
      pcrs.put(i, new byte[48]);
    }
    pcrs.put(0, HexFormat.of().parseHex(pcr0));
    return DocumentBuilder.forChain(chain, timestampMillis)
        .set("pcrs", pcrs)
        .set("public_key", publicKey)
        .signedWith(chain.leaf().keys().getPrivate());
  }

  /** A PCR0 told apart by {@code seed}. */
  public static String pcr0(int seed) {
    return String.format("%02x", seed & 0xff).repeat(48);
  }
}
