package dev.pinaivu.core.attestation;

import static dev.pinaivu.core.attestation.NitroSamples.DEBUG_2022;
import static dev.pinaivu.core.attestation.NitroSamples.DEBUG_2023;
import static dev.pinaivu.core.attestation.NitroSamples.NONDEBUG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttestationDocumentTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void parse_nonDebugSample_readsEveryField() throws Exception {
    AttestationDocument document = AttestationDocument.parse(NONDEBUG.bytes());

    assertThat(document.moduleId()).isEqualTo("i-020b6af9246d90e92-enc0183d09086c24190");
    assertThat(document.timestampMillis()).isEqualTo(1665651482136L);
    assertThat(document.timestamp()).hasToString("2022-10-13T08:58:02.136Z");
    assertThat(document.digest()).isEqualTo("SHA384");
    assertThat(document.pcrs())
        .hasSize(16)
        .allSatisfy((index, value) -> assertThat(value).hasSize(48));
    assertThat(document.pcrHex(0)).contains(NitroSamples.NONDEBUG_PCR0);
    assertThat(document.pcrHex(5)).contains(NitroSamples.ZERO_PCR);
    assertThat(document.pcrHex(16)).isEmpty();
    assertThat(document.cabundle()).hasSize(4);
    assertThat(document.cabundle().get(0)).isEqualTo(NitroSamples.rootDer());
    assertThat(document.publicKey()).isNull();
    assertThat(document.userData()).isNull();
    assertThat(HEX.formatHex(document.nonce())).hasSize(512).startsWith("cb3dc2eb76c0c134");
    assertThat(document.debugMode()).isFalse();
  }

  @Test
  void parse_nonDebugSample_keepsTheReceivedCoseBytes() throws Exception {
    byte[] bytes = NONDEBUG.bytes();

    CoseSign1 cose = AttestationDocument.parse(bytes).cose();

    assertThat(cose.algorithm()).isEqualTo(-35);
    assertThat(cose.protectedHeader()).isEqualTo(HEX.parseHex("a1013822"));
    assertThat(cose.payload()).hasSize(4546).isEqualTo(slice(bytes, 10, 4546));
    assertThat(cose.signature()).hasSize(96).isEqualTo(slice(bytes, bytes.length - 96, 96));
  }

  @Test
  void parse_debugSample2022_readsKeyAndUserDataAndNullNonce() throws Exception {
    AttestationDocument document = AttestationDocument.parse(DEBUG_2022.bytes());

    assertThat(new String(document.publicKey(), StandardCharsets.US_ASCII))
        .isEqualTo("my super secret key");
    assertThat(new String(document.userData(), StandardCharsets.US_ASCII))
        .isEqualTo("hello, world!");
    assertThat(document.nonce()).isNull();
    assertThat(document.debugMode()).isTrue();
    assertThat(document.pcrHex(4))
        .contains(
            "615fa5b1a8838d392d8e54aacc3d9ac0db87d63cb826516c4cc94307c986fe465b29f3f54a55a2f121265528ae0aa6a7");
  }

  @Test
  void parse_debugSample2023_readsSpkiInUserData() throws Exception {
    AttestationDocument document = AttestationDocument.parse(DEBUG_2023.bytes());

    assertThat(document.userData()).hasSize(91);
    assertThat(HEX.formatHex(document.userData())).startsWith("3059301306072a8648ce3d0201");
    assertThat(document.publicKey()).isNull();
    assertThat(document.nonce()).hasSize(256);
    for (int index : new int[] {0, 1, 2, 8}) {
      assertThat(document.pcrHex(index)).contains(NitroSamples.ZERO_PCR);
    }
  }

  @Test
  void parse_realPayloadRebuiltDefinite_reproducesItsBytes() throws Exception {
    AttestationDocument document = AttestationDocument.parse(NONDEBUG.bytes());

    assertThat(DocumentBuilder.from(document).payload()).isEqualTo(document.cose().payload());
  }

  @Test
  void parse_realPayloadRebuiltIndefinite_readsTheSameFields() throws Exception {
    AttestationDocument original = AttestationDocument.parse(NONDEBUG.bytes());
    DocumentBuilder rebuilt = DocumentBuilder.from(original).indefiniteLength();
    assertThat(rebuilt.payload()[0]).isEqualTo((byte) 0xbf);

    AttestationDocument document =
        AttestationDocument.parse(rebuilt.withSignature(original.cose().signature()));

    assertThat(document.moduleId()).isEqualTo(original.moduleId());
    assertThat(document.timestampMillis()).isEqualTo(original.timestampMillis());
    assertThat(document.pcrs()).containsOnlyKeys(original.pcrs().keySet());
    assertThat(document.pcrHex(0)).isEqualTo(original.pcrHex(0));
    assertThat(document.certificate()).isEqualTo(original.certificate());
    assertThat(document.cabundle()).containsExactlyElementsOf(original.cabundle());
    assertThat(document.nonce()).isEqualTo(original.nonce());
    assertThat(document.publicKey()).isNull();
  }

  @Test
  void parse_optionalFieldsAbsentOrNull_readAsNull() throws Exception {
    DocumentBuilder absent = synthetic().remove("public_key").remove("user_data").remove("nonce");
    DocumentBuilder nulls =
        synthetic().set("public_key", null).set("user_data", null).set("nonce", null);

    for (DocumentBuilder builder : new DocumentBuilder[] {absent, nulls}) {
      AttestationDocument document = parse(builder);
      assertThat(document.publicKey()).isNull();
      assertThat(document.userData()).isNull();
      assertThat(document.nonce()).isNull();
    }
  }

  @Test
  void parse_emptyUserDataAndNonce_areAccepted() throws Exception {
    AttestationDocument document =
        parse(synthetic().set("user_data", new byte[0]).set("nonce", new byte[0]));

    assertThat(document.userData()).isEmpty();
    assertThat(document.nonce()).isEmpty();
  }

  @Test
  void parse_unknownField_isSkipped() throws Exception {
    AttestationDocument document =
        parse(synthetic().set("future_field", Map.of("nested", List.of(1L, "two"))));

    assertThat(document.moduleId()).isNotEmpty();
  }

  @Test
  void parse_tag18Envelope_isAccepted() throws Exception {
    AttestationDocument document = parse(synthetic().tagged(CoseSign1.TAG));

    assertThat(document.cose().algorithm()).isEqualTo(CoseSign1.ES384);
  }

  @ParameterizedTest
  @ValueSource(strings = {"module_id", "timestamp", "digest", "pcrs", "certificate", "cabundle"})
  void parse_whenRequiredFieldMissing_namesIt(String field) {
    assertMalformed(synthetic().remove(field), "payload lacks required " + field);
  }

  @ParameterizedTest
  @ValueSource(strings = {"module_id", "timestamp", "digest", "pcrs", "certificate", "cabundle"})
  void parse_whenRequiredFieldIsNull_refuses(String field) {
    assertMalformed(synthetic().set(field, null), field + " must be");
  }

  @Test
  void parse_whenDigestIsNotSha384_refuses() {
    assertMalformed(synthetic().set("digest", "SHA256"), "digest must be SHA384, got SHA256");
  }

  @Test
  void parse_whenModuleIdIsEmpty_refuses() {
    assertMalformed(synthetic().set("module_id", ""), "module_id is empty");
  }

  @Test
  void parse_whenTimestampIsNotPositive_refuses() {
    assertMalformed(synthetic().set("timestamp", 0L), "timestamp must be positive");
    assertMalformed(synthetic().set("timestamp", -5L), "timestamp must be unsigned");
    assertMalformed(
        synthetic().set("timestamp", new DocumentBuilder.Raw(HEX.parseHex("1bffffffffffffffff"))),
        "timestamp is out of range");
  }

  @Test
  void parse_whenTimestampIsText_refuses() {
    assertMalformed(
        synthetic().set("timestamp", "1665651482136"),
        "timestamp must be an integer, got a text string");
  }

  @Test
  void parse_whenPcrHasWrongLength_refuses() {
    assertMalformed(
        synthetic().set("pcrs", Map.of(0, new byte[47])),
        "PCR0 must be 32, 48 or 64 bytes, got 47");
  }

  @Test
  void parse_pcrsOf32And64Bytes_areAccepted() throws Exception {
    AttestationDocument document =
        parse(synthetic().set("pcrs", Map.of(0, new byte[32], 1, new byte[64])));

    assertThat(document.pcrs().get(0)).hasSize(32);
    assertThat(document.pcrs().get(1)).hasSize(64);
  }

  @Test
  void parse_whenPcrIndexIsOutOfRange_refuses() {
    assertMalformed(
        synthetic().set("pcrs", Map.of(32, new byte[48])), "PCR index must be 0..31, got 32");
  }

  @Test
  void parse_whenPcrKeyIsText_refuses() {
    assertMalformed(
        synthetic().set("pcrs", Map.of("0", new byte[48])), "keys of pcrs must be integers");
  }

  @Test
  void parse_whenPcrsIsEmpty_refuses() {
    assertMalformed(synthetic().set("pcrs", Map.of()), "pcrs must hold 1..32 entries");
  }

  @Test
  void parse_whenPcrIndexRepeats_refuses() {
    byte[] pcr0 = HEX.parseHex("005830" + "00".repeat(48));
    byte[] pcrs = concat(new byte[] {(byte) 0xa2}, concat(pcr0, pcr0));
    assertMalformed(synthetic().set("pcrs", new DocumentBuilder.Raw(pcrs)), "pcrs repeats index 0");
  }

  @Test
  void parse_whenPayloadKeyRepeats_refuses() throws Exception {
    byte[] payload = synthetic().payload();
    // bump the map's length by one and append a second "digest" entry
    payload[0]++;
    byte[] extra =
        HEX.parseHex(
            "66" + HEX.formatHex("digest".getBytes()) + "66" + HEX.formatHex("SHA384".getBytes()));
    byte[] document =
        DocumentBuilder.cose(
            null, DocumentBuilder.algorithmHeader(-35), concat(payload, extra), new byte[96]);
    assertThatThrownBy(() -> AttestationDocument.parse(document))
        .isInstanceOf(MalformedAttestationException.class)
        .hasMessage("payload repeats the key digest");
  }

  @Test
  void parse_whenCertificateIsTooLong_refuses() {
    assertMalformed(
        synthetic().set("certificate", new byte[1025]),
        "certificate must be 1..1024 bytes, got 1025");
  }

  @Test
  void parse_whenCabundleIsEmptyOrHoldsText_refuses() {
    assertMalformed(synthetic().set("cabundle", List.of()), "cabundle is empty");
    assertMalformed(
        synthetic().set("cabundle", List.of("root")),
        "cabundle[0] must be a byte string, got a text string");
  }

  @Test
  void parse_whenOptionalFieldsHaveBadSizes_refuses() {
    assertMalformed(
        synthetic().set("public_key", new byte[0]), "public_key must be 1..1024 bytes, got 0");
    assertMalformed(
        synthetic().set("user_data", new byte[513]), "user_data must be 0..512 bytes, got 513");
    assertMalformed(synthetic().set("nonce", new byte[513]), "nonce must be 0..512 bytes, got 513");
  }

  @Test
  void parse_whenOptionalFieldIsUndefinedOrText_refuses() {
    assertMalformed(
        synthetic().set("nonce", new DocumentBuilder.Raw(HEX.parseHex("f7"))),
        "nonce must be a byte string, got undefined or a simple value");
    assertMalformed(
        synthetic().set("user_data", "hello"),
        "user_data must be a byte string, got a text string");
  }

  @Test
  void parse_whenFieldCarriesTag_refuses() {
    assertMalformed(
        synthetic().set("timestamp", new DocumentBuilder.Tagged(1, 1665651482L)),
        "timestamp carries an unexpected CBOR tag 1");
  }

  @Test
  void parse_randomlyMutatedDocuments_failOnlyAsMalformed() {
    Random random = new Random(18);
    byte[] real = NONDEBUG.bytes();
    int parsed = 0;
    for (int round = 0; round < 1000; round++) {
      byte[] mutated = real.clone();
      for (int hits = 1 + random.nextInt(8); hits > 0; hits--) {
        mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
      }
      if (random.nextInt(10) == 0) {
        mutated = Arrays.copyOf(mutated, random.nextInt(mutated.length));
      }
      try {
        CertificateChain.of(AttestationDocument.parse(mutated));
        parsed++;
      } catch (MalformedAttestationException expected) {
        assertThat(expected.getMessage()).isNotBlank().doesNotContain("\n");
      }
    }
    assertThat(parsed).as("mutations that still parse").isBetween(100, 950);
  }

  private static DocumentBuilder synthetic() {
    return DocumentBuilder.from(parseUnchecked(NONDEBUG.bytes()));
  }

  private static AttestationDocument parse(DocumentBuilder builder)
      throws MalformedAttestationException {
    return AttestationDocument.parse(builder.withSignature(new byte[96]));
  }

  private static void assertMalformed(DocumentBuilder builder, String message) {
    assertThatThrownBy(() -> parse(builder))
        .isInstanceOf(MalformedAttestationException.class)
        .hasMessageContaining(message);
  }

  private static AttestationDocument parseUnchecked(byte[] bytes) {
    try {
      return AttestationDocument.parse(bytes);
    } catch (MalformedAttestationException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] slice(byte[] bytes, int from, int length) {
    return Arrays.copyOfRange(bytes, from, from + length);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
