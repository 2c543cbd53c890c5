package dev.pinaivu.core.coordinator;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.attestation.TestAttestations;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.receipt.CoordinatorKey;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which predecessors an enclave coordinator continues: attested, and the same or a trusted image.
 */
class AttestedSuccessionTest {
  private static final String IMAGE = TestAttestations.pcr0(0xa1);
  private static final String EARLIER_IMAGE = TestAttestations.pcr0(0xb2);

  private final TestAttestations ca =
      TestAttestations.around(Instant.parse("2026-11-20T10:00:00Z"));
  private final AttestedSuccession succession =
      new AttestedSuccession(ca.verifier(), Set.of(EARLIER_IMAGE));

  private CoordinatorKey enclaveKey(String pcr0) {
    byte[] publicKey = Ed25519.PrivateKey.generate().publicKey();
    return CoordinatorKey.nitro(publicKey, ca.document(pcr0, publicKey));
  }

  @Test
  void aPredecessorOfTheSameImage_isContinued() {
    assertThatCode(() -> succession.check(enclaveKey(IMAGE), enclaveKey(IMAGE)))
        .doesNotThrowAnyException();
  }

  @Test
  void aPredecessorOfAnImageThisOneTrusts_isContinued() {
    assertThatCode(() -> succession.check(enclaveKey(IMAGE), enclaveKey(EARLIER_IMAGE)))
        .doesNotThrowAnyException();
  }

  @Test
  void aPredecessorOfAnotherImage_isRefused() {
    String other = TestAttestations.pcr0(0xc3);

    assertThatThrownBy(() -> succession.check(enclaveKey(IMAGE), enclaveKey(other)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ran another enclave image (PCR0 " + other + ")");
  }

  @Test
  void aDocumentCarryingAnotherKey_isRefused() {
    byte[] announced = Ed25519.PrivateKey.generate().publicKey();
    byte[] attested = Ed25519.PrivateKey.generate().publicKey();
    CoordinatorKey swapped = CoordinatorKey.nitro(announced, ca.document(IMAGE, attested));

    assertThatThrownBy(() -> succession.check(enclaveKey(IMAGE), swapped))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not verify: public_key mismatch");
  }

  @Test
  void aDocumentFromAnotherCa_isRefused() {
    TestAttestations forger = TestAttestations.around(Instant.parse("2026-11-20T10:00:00Z"));
    byte[] publicKey = Ed25519.PrivateKey.generate().publicKey();
    CoordinatorKey forged = CoordinatorKey.nitro(publicKey, forger.document(IMAGE, publicKey));

    assertThatThrownBy(() -> succession.check(enclaveKey(IMAGE), forged))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not verify");
  }

  @Test
  void aDocumentWithAFlippedByte_isRefused() {
    CoordinatorKey genuine = enclaveKey(IMAGE);
    byte[] document = genuine.attestation();
    document[document.length - 10] ^= 1; // inside the signature
    CoordinatorKey tampered = CoordinatorKey.nitro(genuine.publicKey(), document);

    assertThatThrownBy(() -> succession.check(enclaveKey(IMAGE), tampered))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not verify");
  }

  @Test
  void aDevelopmentKey_isNeverContinuedByAnEnclave() {
    CoordinatorKey dev = CoordinatorKey.dev(Ed25519.PrivateKey.generate().publicKey());

    assertThatThrownBy(() -> succession.check(enclaveKey(IMAGE), dev))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("development key");
  }

  @Test
  void aDebugEnclave_isNotContinuedByAProductionOne_butByADebugOne() {
    CoordinatorKey debug = enclaveKey(TestAttestations.DEBUG_PCR0);

    assertThatThrownBy(() -> succession.check(enclaveKey(IMAGE), debug))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("debug");
    assertThatCode(() -> succession.check(enclaveKey(TestAttestations.DEBUG_PCR0), debug))
        .doesNotThrowAnyException();
  }

  @Test
  void aDevCoordinator_continuesWhateverItIsGiven() {
    CoordinatorKey dev = CoordinatorKey.dev(Ed25519.PrivateKey.generate().publicKey());
    byte[] publicKey = Ed25519.PrivateKey.generate().publicKey();
    CoordinatorKey unverifiable = CoordinatorKey.nitro(publicKey, new byte[] {1, 2, 3});

    assertThatCode(() -> succession.check(dev, unverifiable)).doesNotThrowAnyException();
  }

  @Test
  void trustedImages_mustBePcr0Values_andNeverTheDebugOne() {
    assertThatThrownBy(() -> new AttestedSuccession(ca.verifier(), Set.of("abcd")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("96 hex digits");
    assertThatThrownBy(() -> new AttestedSuccession(ca.verifier(), Set.of("zz".repeat(48))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new AttestedSuccession(ca.verifier(), Set.of(TestAttestations.DEBUG_PCR0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("debug");
  }
}
