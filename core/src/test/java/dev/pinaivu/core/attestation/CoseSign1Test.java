package dev.pinaivu.core.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CoseSign1Test {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] ES384_HEADER = HEX.parseHex("a1013822");

  @Test
  void toBeSigned_isTheRfc9052SigStructure() {
    CoseSign1 cose = new CoseSign1(ES384_HEADER, -35, new byte[] {1, 2, 3}, new byte[96]);

    // ["Signature1", h'a1013822', h'', h'010203']
    assertThat(HEX.formatHex(cose.toBeSigned()))
        .isEqualTo("84" + "6a5369676e617475726531" + "44a1013822" + "40" + "43010203");
  }

  @Test
  void toBeSigned_usesLongLengthHeadsForLongPayloads() {
    CoseSign1 cose = new CoseSign1(ES384_HEADER, -35, new byte[4546], new byte[96]);

    assertThat(HEX.formatHex(cose.toBeSigned())).contains("40" + "5911c2" + "0000");
  }

  @Test
  void decode_indefiniteLengthEnvelope_isAccepted() throws Exception {
    byte[] bytes =
        new CborWriter()
            .array(-1)
            .bytes(ES384_HEADER)
            .map(-1)
            .end()
            .bytes(new byte[] {7})
            .bytes(new byte[96])
            .end()
            .toByteArray();

    CoseSign1 cose = CoseSign1.decode(bytes);

    assertThat(cose.payload()).containsExactly(7);
    assertThat(cose.algorithm()).isEqualTo(-35);
  }

  @Test
  void decode_unprotectedHeaderContents_areIgnored() throws Exception {
    byte[] bytes =
        new CborWriter()
            .array(4)
            .bytes(ES384_HEADER)
            .map(1)
            .integer(4)
            .bytes(new byte[] {9})
            .bytes(new byte[] {7})
            .bytes(new byte[96])
            .toByteArray();

    assertThat(CoseSign1.decode(bytes).payload()).containsExactly(7);
  }

  @Test
  void decode_whenUnprotectedHeaderIsNotAMap_refuses() {
    byte[] bytes = envelope(ES384_HEADER, new CborWriter().array(0).toByteArray());

    assertMalformed(bytes, "unprotected header must be a map, got an array");
  }

  @Test
  void decode_withFiveElements_refuses() {
    byte[] bytes =
        new CborWriter()
            .array(5)
            .bytes(ES384_HEADER)
            .map(0)
            .bytes(new byte[1])
            .bytes(new byte[96])
            .nul()
            .toByteArray();

    assertMalformed(bytes, "COSE_Sign1 has more than 4 elements");
  }

  @Test
  void decode_whenTopLevelIsAMap_refuses() {
    assertMalformed(
        new CborWriter().map(0).toByteArray(), "COSE_Sign1 must be an array, got a map");
  }

  @Test
  void decode_withTwoTags_refuses() {
    byte[] tagged = envelope(ES384_HEADER, new CborWriter().map(0).toByteArray());
    byte[] twice = new byte[tagged.length + 2];
    twice[0] = (byte) 0xd2;
    twice[1] = (byte) 0xd2;
    System.arraycopy(tagged, 0, twice, 2, tagged.length);

    assertMalformed(twice, "COSE_Sign1 carries more than one CBOR tag");
  }

  @Test
  void decode_protectedHeaderVariants_areCheckedForAnAlgorithm() {
    assertMalformed(envelope(new byte[0]), "protected header is empty");
    assertMalformed(envelope(HEX.parseHex("a0")), "protected header has no alg (label 1)");
    assertMalformed(envelope(HEX.parseHex("a2013822")), "invalid CBOR in the protected header: ");
    assertMalformed(envelope(HEX.parseHex("a20138220126")), "protected header repeats label 1");
    assertMalformed(envelope(HEX.parseHex("a16361616c6726")), "keys of protected header must be");
    assertMalformed(
        envelope(HEX.parseHex("a101623335")), "protected header alg must be an integer");
    assertMalformed(envelope(HEX.parseHex("a1013822ff")), "unexpected bytes after the protected");
  }

  @Test
  void decode_protectedHeaderWithOtherLabels_readsTheAlgorithm() throws Exception {
    // {4: h'01', 1: -35}
    CoseSign1 cose = CoseSign1.decode(envelope(HEX.parseHex("a204410101" + "3822")));

    assertThat(cose.algorithm()).isEqualTo(-35);
  }

  @Test
  void equals_comparesTheBytes() {
    CoseSign1 a = new CoseSign1(ES384_HEADER, -35, new byte[] {1}, new byte[96]);
    CoseSign1 b = new CoseSign1(ES384_HEADER.clone(), -35, new byte[] {1}, new byte[96]);

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(new CoseSign1(ES384_HEADER, -35, new byte[] {2}, new byte[96]));
    assertThat(a).hasToString("CoseSign1[algorithm=-35, payload=1 bytes, signature=96 bytes]");
  }

  private static byte[] envelope(byte[] protectedHeader) {
    return envelope(protectedHeader, new CborWriter().map(0).toByteArray());
  }

  private static byte[] envelope(byte[] protectedHeader, byte[] unprotected) {
    return new CborWriter()
        .array(4)
        .bytes(protectedHeader)
        .raw(unprotected)
        .bytes(new byte[] {1})
        .bytes(new byte[96])
        .toByteArray();
  }

  private static void assertMalformed(byte[] bytes, String message) {
    assertThatThrownBy(() -> CoseSign1.decode(bytes))
        .isInstanceOf(MalformedAttestationException.class)
        .hasMessageContaining(message);
  }
}
