package dev.pinaivu.core.attestation;

import static dev.pinaivu.core.attestation.NitroSamples.DEBUG_2022;
import static dev.pinaivu.core.attestation.NitroSamples.NONDEBUG;
import static dev.pinaivu.core.attestation.NitroSamples.NONDEBUG_PCR0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.attestation.NitroSamples.Sample;
import dev.pinaivu.core.attestation.Verification.Check;
import dev.pinaivu.core.attestation.Verification.Refused;
import dev.pinaivu.core.attestation.Verification.Valid;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The verifier against real NSM documents and the pinned AWS root. */
class AttestationVerifierTest {
  private static final AttestationVerifier VERIFIER = new AttestationVerifier();
  private static final VerifyOptions DEBUG_OK = VerifyOptions.DEFAULTS.allowingDebug();

  static Iterable<Sample> allSamples() {
    return NitroSamples.all();
  }

  static Iterable<Sample> debugSamples() {
    return NitroSamples.debug();
  }

  @ParameterizedTest
  @MethodSource("allSamples")
  void verify_eachSampleAtItsOwnTimestamp_isValid(Sample sample) {
    Verification result = VERIFIER.verify(sample.bytes(), DEBUG_OK);

    assertThat(result).isInstanceOf(Valid.class);
    assertThat(result.reason()).isEqualTo("valid");
    assertThat(((Valid) result).document().timestampMillis()).isEqualTo(sample.timestampMillis());
  }

  @Test
  void verify_nonDebugSampleWithDefaults_isValid() {
    Verification result = VERIFIER.verify(NONDEBUG.bytes());

    assertThat(result.valid()).isTrue();
    assertThat(((Valid) result).document().pcrHex(0)).contains(NONDEBUG_PCR0);
  }

  @ParameterizedTest
  @MethodSource("debugSamples")
  void verify_debugSampleWithoutAllowDebug_refuses(Sample sample) {
    assertRefused(
        VERIFIER.verify(sample.bytes()),
        Check.DEBUG_MODE,
        "debug-mode document (PCR0 is all zeros); pass allowDebug to accept");
  }

  @ParameterizedTest
  @MethodSource("allSamples")
  void verify_atTodaysDate_refusesTheExpiredLeaf(Sample sample) {
    long now = System.currentTimeMillis();

    Verification result = VERIFIER.verify(sample.bytes(), DEBUG_OK.at(now));

    assertRefused(result, Check.CERTIFICATE_CHAIN, "certificate chain not valid at ");
    assertThat(result.reason()).contains(Instant.ofEpochMilli(now).toString(), " expired at ");
  }

  @Test
  void verify_atLastSecondOfTheWindow_isValid() {
    long windowEnd = Instant.parse("2022-10-13T11:58:02Z").toEpochMilli();

    assertThat(VERIFIER.verify(NONDEBUG.bytes(), VerifyOptions.DEFAULTS.at(windowEnd)).valid())
        .isTrue();
  }

  @Test
  void verify_justAfterTheWindow_refusesNamingTheLeaf() {
    long afterWindow = Instant.parse("2022-10-13T11:58:03Z").toEpochMilli();

    assertRefused(
        VERIFIER.verify(NONDEBUG.bytes(), VerifyOptions.DEFAULTS.at(afterWindow)),
        Check.CERTIFICATE_CHAIN,
        "certificate chain not valid at 2022-10-13T11:58:03Z: "
            + "leaf certificate expired at 2022-10-13T11:58:02Z");
  }

  @Test
  void verify_justBeforeTheWindow_refuses() {
    long beforeWindow = Instant.parse("2022-10-13T08:57:58Z").toEpochMilli();

    Verification result =
        VERIFIER.verify(NONDEBUG.bytes(), VerifyOptions.DEFAULTS.at(beforeWindow));

    assertRefused(
        result, Check.CERTIFICATE_CHAIN, "certificate chain not valid at 2022-10-13T08:57:58Z: ");
    assertThat(result.reason()).contains("is not valid before 2022-10-13T08:57:");
  }

  @Test
  void verify_withMatchingPcr0_isValid() {
    VerifyOptions options = VerifyOptions.DEFAULTS.expectingPcr(0, NONDEBUG_PCR0.toUpperCase());

    assertThat(VERIFIER.verify(NONDEBUG.bytes(), options).valid()).isTrue();
  }

  @Test
  void verify_withOtherPcr0_refusesShowingBothValues() {
    String other = "ab".repeat(48);

    assertRefused(
        VERIFIER.verify(NONDEBUG.bytes(), VerifyOptions.DEFAULTS.expectingPcr(0, other)),
        Check.PCR,
        "PCR0 mismatch: expected " + other + ", got " + NONDEBUG_PCR0);
  }

  @Test
  void verify_withSeveralPcrPins_checksEachOne() {
    VerifyOptions pins =
        VerifyOptions.DEFAULTS.expectingPcr(0, NONDEBUG_PCR0).expectingPcr(3, NitroSamples.PCR3);

    assertThat(VERIFIER.verify(NONDEBUG.bytes(), pins).valid()).isTrue();
    assertRefused(
        VERIFIER.verify(NONDEBUG.bytes(), pins.expectingPcr(8, NitroSamples.ZERO_PCR)),
        Check.PCR,
        "PCR8 mismatch: expected " + NitroSamples.ZERO_PCR + ", got 8790eb3c");
  }

  @Test
  void verify_withPinOnAbsentPcr_refuses() {
    assertRefused(
        VERIFIER.verify(
            NONDEBUG.bytes(), VerifyOptions.DEFAULTS.expectingPcr(20, NitroSamples.ZERO_PCR)),
        Check.PCR,
        "PCR20 mismatch: expected " + NitroSamples.ZERO_PCR + ", got none");
  }

  @Test
  void verify_debugSampleWithPinnedZeroPcr0AndAllowDebug_isValid() {
    VerifyOptions options = DEBUG_OK.expectingPcr(0, NitroSamples.ZERO_PCR);

    assertThat(VERIFIER.verify(DEBUG_2022.bytes(), options).valid()).isTrue();
  }

  @Test
  void verify_withExpectedPublicKey_acceptsOnlyThatKey() {
    byte[] key = "my super secret key".getBytes(StandardCharsets.US_ASCII);

    assertThat(VERIFIER.verify(DEBUG_2022.bytes(), DEBUG_OK.expectingPublicKey(key)).valid())
        .isTrue();
    assertRefused(
        VERIFIER.verify(DEBUG_2022.bytes(), DEBUG_OK.expectingPublicKey(new byte[] {1, 2, 3})),
        Check.PUBLIC_KEY,
        "public_key mismatch: expected 3 bytes, got 19 other bytes");
    assertRefused(
        VERIFIER.verify(NONDEBUG.bytes(), VerifyOptions.DEFAULTS.expectingPublicKey(key)),
        Check.PUBLIC_KEY,
        "public_key mismatch: expected 19 bytes, got none");
  }

  @Test
  void verify_tag18Envelope_isValid() {
    byte[] tagged = prepend(0xd2, NONDEBUG.bytes());

    assertThat(VERIFIER.verify(tagged).valid()).isTrue();
  }

  @Test
  void verify_otherTag_refusesAsMalformed() {
    byte[] mac0 = prepend(0xd1, NONDEBUG.bytes());

    assertRefused(
        VERIFIER.verify(mac0),
        Check.FORMAT,
        "malformed attestation document: a COSE_Sign1 is untagged or tag 18, got tag 17");
  }

  @Test
  void verify_withTrailingByte_refusesAsMalformed() {
    byte[] bytes = NONDEBUG.bytes();
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);

    assertRefused(
        VERIFIER.verify(longer),
        Check.FORMAT,
        "malformed attestation document: unexpected bytes after the COSE_Sign1");
  }

  @Test
  void verify_realPayloadAsIndefiniteMap_parsesAndFailsOnlyTheSignature() throws Exception {
    AttestationDocument original = AttestationDocument.parse(NONDEBUG.bytes());
    byte[] reencoded =
        DocumentBuilder.from(original)
            .indefiniteLength()
            .withSignature(original.cose().signature());

    assertRefused(VERIFIER.verify(reencoded), Check.SIGNATURE, "signature does not verify");
  }

  @Test
  void verify_realDocumentUnderOtherAlgorithm_refusesTheAlgorithm() throws Exception {
    AttestationDocument original = AttestationDocument.parse(NONDEBUG.bytes());
    byte[] es256 =
        DocumentBuilder.cose(
            null,
            DocumentBuilder.algorithmHeader(-7),
            original.cose().payload(),
            original.cose().signature());

    assertRefused(
        VERIFIER.verify(es256), Check.ALGORITHM, "COSE algorithm is -7, expected ES384 (-35)");
  }

  @Test
  void verify_withoutCoseSignature_refusesAsMalformed() {
    byte[] bytes = NONDEBUG.bytes();
    byte[] threeElements = Arrays.copyOf(bytes, bytes.length - 98);
    threeElements[0] = (byte) 0x83;

    assertRefused(
        VERIFIER.verify(threeElements),
        Check.FORMAT,
        "malformed attestation document: signature must be a byte string, got the end of an array");
  }

  @Test
  void verify_whenSignatureIsShortened_refusesTheSignature() {
    byte[] bytes = NONDEBUG.bytes();
    byte[] shorter = Arrays.copyOf(bytes, bytes.length - 1);
    shorter[bytes.length - 97] = 0x5f; // bstr head 0x58 0x60 -> 0x58 0x5f

    assertRefused(
        VERIFIER.verify(shorter),
        Check.SIGNATURE,
        "signature must be 96 bytes (ES384 r||s), got 95");
  }

  @Test
  void verify_emptyInput_refusesAsMalformed() {
    assertRefused(
        VERIFIER.verify(new byte[0]),
        Check.FORMAT,
        "malformed attestation document: input ends inside the COSE_Sign1");
  }

  @Test
  void verify_sameDocumentTwice_givesEqualDocuments() {
    Verification first = VERIFIER.verify(NONDEBUG.bytes());
    Verification second = VERIFIER.verify(NONDEBUG.bytes());

    assertThat(first).isEqualTo(second);
    assertThat(HexFormat.of().formatHex(((Valid) first).document().cose().protectedHeader()))
        .isEqualTo("a1013822");
  }

  static void assertRefused(Verification result, Check check, String reasonStart) {
    assertThat(result).isInstanceOf(Refused.class);
    assertThat(result.valid()).isFalse();
    assertThat(((Refused) result).failed()).as(result.reason()).isEqualTo(check);
    assertThat(result.reason()).startsWith(reasonStart).doesNotContain("\n");
  }

  private static byte[] prepend(int first, byte[] bytes) {
    byte[] out = new byte[bytes.length + 1];
    out[0] = (byte) first;
    System.arraycopy(bytes, 0, out, 1, bytes.length);
    return out;
  }
}
