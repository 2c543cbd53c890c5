package dev.pinaivu.core.receipt;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_16BE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.json.CanonicalJson;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.openai.Usage;
import org.junit.jupiter.api.Test;

/**
 * The file grammar of docs/receipts.md §1.1, from the attacker's side: a receipt whose signature
 * verifies can still be written in forms that two honest verifiers could read differently (a {@code
 * -0} for the signed 0, a byte-order mark, a repeated member). Each is refused at the parse, with
 * the documented reason, before any signature is looked at.
 */
class ReceiptGrammarTest {
  private static final String VALID = Json.text(Fixtures.tree(Fixtures.signed()));

  /** A completed job that generated nothing: its receipt holds signed zeros. */
  private static final String WITH_ZEROS =
      Json.text(
          Fixtures.tree(
              new ReceiptSigner(Fixtures.COORDINATOR)
                  .sign(Fixtures.receipt(Fixtures.proof(Outcome.COMPLETED, Usage.of(12, 0), 0)))));

  @Test
  void theOriginals_verify() {
    assertThat(verify(VALID.getBytes(UTF_8))).isEmpty();
    assertThat(verify(WITH_ZEROS.getBytes(UTF_8))).isEmpty();
    assertThat(WITH_ZEROS).contains("\"completion_tokens\":0,");
  }

  @Test
  void minusZero_forASignedZero_isRefused_thoughItsSignatureWouldVerify() {
    String tampered =
        WITH_ZEROS.replaceFirst("\"completion_tokens\":0,", "\"completion_tokens\":-0,");

    assertThat(verify(tampered.getBytes(UTF_8)))
        .startsWith("not a JSON receipt: number -0 is not an integer in 0..2^53-1 written plainly");
  }

  @Test
  void aNegativeNumber_inASignedUnknownMember_isRefused() {
    // the coordinator signs a receipt with an extra member "zz":-1, exactly as JCS would write it
    ObjectNode receipt = (ObjectNode) Fixtures.tree(Fixtures.signed()).get("receipt");
    String jcs = new String(CanonicalJson.bytes(receipt), UTF_8);
    String signedText = jcs.substring(0, jcs.length() - 1) + ",\"zz\":-1}";
    byte[] signature =
        Fixtures.COORDINATOR.sign(("pinaivu/receipt/v1\n" + signedText).getBytes(UTF_8));
    String envelope =
        "{\"alg\":\"Ed25519\",\"key_id\":\""
            + Fixtures.KEY_ID
            + "\",\"receipt\":"
            + signedText
            + ",\"signature\":\""
            + B64.encode(signature)
            + "\"}";

    assertThat(verify(envelope.getBytes(UTF_8)))
        .startsWith("not a JSON receipt: number -1 is not an integer in 0..2^53-1 written plainly");
  }

  @Test
  void fractionsExponentsAndUnsafeIntegers_areRefused() {
    assertThat(verify(VALID.replaceFirst("\"capacity\":8", "\"capacity\":8.0").getBytes(UTF_8)))
        .startsWith("not a JSON receipt: number 8.0 is not an integer");
    assertThat(verify(VALID.replaceFirst("\"capacity\":8", "\"capacity\":8e0").getBytes(UTF_8)))
        .startsWith("not a JSON receipt: number 8e0 is not an integer");
    assertThat(
            verify(
                VALID
                    .replaceFirst("\"capacity\":8", "\"capacity\":9007199254740992")
                    .getBytes(UTF_8)))
        .startsWith("not a JSON receipt: number 9007199254740992 is not an integer in 0..2^53-1");
  }

  @Test
  void aByteOrderMark_isRefused() {
    byte[] body = VALID.getBytes(UTF_8);
    byte[] withBom = new byte[body.length + 3];
    withBom[0] = (byte) 0xef;
    withBom[1] = (byte) 0xbb;
    withBom[2] = (byte) 0xbf;
    System.arraycopy(body, 0, withBom, 3, body.length);

    assertThat(verify(withBom))
        .isEqualTo("not a JSON receipt: the file starts with a UTF-8 byte-order mark");
  }

  @Test
  void aFileInUtf16_orNotInUtf8_isRefused() {
    assertThat(verify(VALID.getBytes(UTF_16BE))).startsWith("not a JSON receipt: ");
    byte[] latin1 = VALID.replace("llama3.2:3b", "llama3.2:3\u00e9").getBytes(ISO_8859_1);
    assertThat(verify(latin1)).isEqualTo("not a JSON receipt: the file is not UTF-8");
  }

  @Test
  void aRepeatedMember_isRefused_atAnyDepth() {
    assertThat(verify(VALID.replaceFirst("\\{", "{\"alg\":\"Ed25519\",").getBytes(UTF_8)))
        .startsWith("not a JSON receipt: Duplicate field 'alg'");
    assertThat(
            verify(
                VALID
                    .replaceFirst("\"capacity\":8", "\"capacity\":8,\"capacity\":8")
                    .getBytes(UTF_8)))
        .startsWith("not a JSON receipt: Duplicate field 'capacity'");
  }

  @Test
  void aNumberWhereTheGrammarHasAString_isRefused_evenWhenSigned() {
    ObjectNode receipt = (ObjectNode) Fixtures.tree(Fixtures.signed()).get("receipt").deepCopy();
    receipt.put("account_ref", 12);

    assertThat(Fixtures.verifier().verify(Json.bytes(Fixtures.signRaw(receipt))).reason())
        .startsWith("receipt is malformed at account_ref");
  }

  @Test
  void trailingContent_isRefused() {
    assertThat(verify((VALID + " {}").getBytes(UTF_8))).startsWith("not a JSON receipt: ");
  }

  private static String verify(byte[] file) {
    return Fixtures.verifier().verify(file).reason();
  }
}
