package dev.pinaivu.core.attestation;

import static dev.pinaivu.core.attestation.AttestationVerifierTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.attestation.TestCa.Chain;
import dev.pinaivu.core.attestation.TestCa.Issued;
import dev.pinaivu.core.attestation.Verification.Check;
import dev.pinaivu.core.attestation.Verification.Valid;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

/**
 * The verifier against documents signed by a test CA shaped like AWS's, for the encodings the real
 * samples lack: indefinite-length maps, absent optional fields, other algorithms and broken chains.
 */
class OwnChainVerifierTest {
  private static final Instant AT = Instant.parse("2026-01-03T10:00:00Z");
  private static final Chain CHAIN = Chain.validAround(AT);
  private static final AttestationVerifier VERIFIER =
      new AttestationVerifier(CHAIN.root().certificate());

  @Test
  void verify_definiteLengthDocument_isValid() {
    byte[] document = documentFor(CHAIN).signedWith(leafKey(CHAIN));

    assertThat(VERIFIER.verify(document).reason()).isEqualTo("valid");
  }

  @Test
  void verify_indefiniteLengthMapsSignedOverTheReceivedBytes_isValid() {
    DocumentBuilder builder = documentFor(CHAIN).indefiniteLength();
    assertThat(builder.payload()[0]).isEqualTo((byte) 0xbf);

    Verification result = VERIFIER.verify(builder.signedWith(leafKey(CHAIN)));

    assertThat(result.reason()).isEqualTo("valid");
    assertThat(((Valid) result).document().pcrs()).hasSize(16);
  }

  @Test
  void verify_indefiniteDocumentUnderTag18WithKeyAndNonce_isValid() {
    byte[] key = new byte[] {4, 5, 6};
    byte[] document =
        documentFor(CHAIN)
            .indefiniteLength()
            .tagged(CoseSign1.TAG)
            .set("public_key", key)
            .set("nonce", new byte[32])
            .signedWith(leafKey(CHAIN));

    Verification result = VERIFIER.verify(document, VerifyOptions.DEFAULTS.expectingPublicKey(key));

    assertThat(result.reason()).isEqualTo("valid");
  }

  @Test
  void verify_absentOptionalFields_isValid() {
    byte[] document =
        documentFor(CHAIN)
            .remove("public_key")
            .remove("user_data")
            .remove("nonce")
            .signedWith(leafKey(CHAIN));

    Verification result = VERIFIER.verify(document);

    assertThat(result.valid()).isTrue();
    assertThat(((Valid) result).document().nonce()).isNull();
  }

  @Test
  void verify_signedUnderAnotherAlgorithmHeader_refusesTheAlgorithm() {
    byte[] document = documentFor(CHAIN).algorithm(-36).signedWith(leafKey(CHAIN));

    assertRefused(
        VERIFIER.verify(document), Check.ALGORITHM, "COSE algorithm is -36, expected ES384 (-35)");
  }

  @Test
  void verify_protectedHeaderWithoutAlgorithm_refusesAsMalformed() {
    byte[] noAlg = new CborWriter().map(1).integer(4).bytes(new byte[] {1}).toByteArray();
    byte[] document = documentFor(CHAIN).protectedHeader(noAlg).signedWith(leafKey(CHAIN));

    assertRefused(
        VERIFIER.verify(document),
        Check.FORMAT,
        "malformed attestation document: protected header has no alg (label 1)");
  }

  @Test
  void verify_signedByAKeyOtherThanTheLeafs_refusesTheSignature() {
    byte[] document = documentFor(CHAIN).signedWith(TestCa.p384().getPrivate());

    assertRefused(VERIFIER.verify(document), Check.SIGNATURE, "signature does not verify");
  }

  @Test
  void verify_leafWithP256Key_refusesTheSignature() {
    var p256 = TestCa.keyPair("secp256r1");
    Chain chain = CHAIN.withLeaf(leaf(p256, new KeyUsage(KeyUsage.digitalSignature)));

    assertRefused(
        VERIFIER.verify(documentFor(chain).signedWith(leafKey(CHAIN))),
        Check.SIGNATURE,
        "leaf certificate key is not an EC P-384 key");
  }

  @Test
  void verify_leafWithoutDigitalSignatureUsage_refusesTheChain() {
    var keys = TestCa.p384();
    Chain chain = CHAIN.withLeaf(leaf(keys, new KeyUsage(KeyUsage.keyAgreement)));

    assertRefused(
        VERIFIER.verify(documentFor(chain).signedWith(keys.getPrivate())),
        Check.CERTIFICATE_CHAIN,
        "certificate chain not valid at 2026-01-03T10:00:00Z: "
            + "leaf certificate lacks the digitalSignature key usage");
  }

  @Test
  void verify_chainToAnotherRoot_refusesTheChain() {
    Chain other = Chain.validAround(AT);

    assertRefused(
        VERIFIER.verify(documentFor(other).signedWith(leafKey(other))),
        Check.CERTIFICATE_CHAIN,
        "certificate chain not valid at 2026-01-03T10:00:00Z: "
            + "cabundle[0] is not the pinned root certificate");
  }

  @Test
  void verify_bundleNamingTheRootButIntermediateFromElsewhere_refusesTheChain() {
    Chain other = Chain.validAround(AT);
    byte[] document =
        documentFor(other)
            .set("cabundle", List.of(CHAIN.root().der(), other.intermediate().der()))
            .signedWith(leafKey(other));

    assertRefused(
        VERIFIER.verify(document),
        Check.CERTIFICATE_CHAIN,
        "certificate chain not valid at 2026-01-03T10:00:00Z: cabundle[1]");
  }

  @Test
  void verify_againstTheAwsRoot_refusesOurOwnChain() {
    byte[] document = documentFor(CHAIN).signedWith(leafKey(CHAIN));

    assertRefused(
        new AttestationVerifier().verify(document),
        Check.CERTIFICATE_CHAIN,
        "certificate chain not valid at 2026-01-03T10:00:00Z: cabundle[0] is not the pinned root");
  }

  @Test
  void verify_timestampAfterTheLeafExpired_refusesTheChain() {
    long late = AT.plus(Duration.ofHours(3)).toEpochMilli();
    byte[] document = DocumentBuilder.forChain(CHAIN, late).signedWith(leafKey(CHAIN));

    assertRefused(
        VERIFIER.verify(document),
        Check.CERTIFICATE_CHAIN,
        "certificate chain not valid at 2026-01-03T13:00:00Z: leaf certificate expired at "
            + "2026-01-03T12:00:00Z");
  }

  @Test
  void verify_withoutPcr0_refusesUnlessDebugAllowed() {
    byte[] document =
        documentFor(CHAIN).set("pcrs", Map.of(3, new byte[48])).signedWith(leafKey(CHAIN));

    assertRefused(
        VERIFIER.verify(document), Check.DEBUG_MODE, "document has no PCR0, so it may be debug");
    assertThat(VERIFIER.verify(document, VerifyOptions.DEFAULTS.allowingDebug()).valid()).isTrue();
  }

  @Test
  void verify_certificateWithTrailingBytes_refusesAsMalformed() {
    byte[] der = CHAIN.leaf().der();
    byte[] padded = Arrays.copyOf(der, der.length + 1);
    byte[] document = documentFor(CHAIN).set("certificate", padded).signedWith(leafKey(CHAIN));

    assertRefused(
        VERIFIER.verify(document),
        Check.FORMAT,
        "malformed attestation document: certificate is not an X.509 certificate");
  }

  private static DocumentBuilder documentFor(Chain chain) {
    return DocumentBuilder.forChain(chain, AT.toEpochMilli());
  }

  private static PrivateKey leafKey(Chain chain) {
    return chain.leaf().keys().getPrivate();
  }

  private static Issued leaf(KeyPair keys, KeyUsage usage) {
    return TestCa.leaf(
        CHAIN.intermediate(),
        "CN=other-leaf",
        keys,
        AT.minusSeconds(60),
        AT.plusSeconds(60),
        usage);
  }
}
