package dev.pinaivu.core.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The handshake's proofs, and the worked example of docs/coordinator-protocol.md §3.0: a fixed
 * secret and fixed nonces give fixed proofs and frames, which the page must print exactly.
 */
class ParentAuthTest {
  static final String SECRET = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  static final String CLIENT_NONCE = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8";
  static final String SERVER_NONCE = "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8";
  static final String SERVER_PROOF = "LCyNmxruPRMjFDBeIGhzPHvh7awBCeQQ0_kg8hgyC8E";
  static final String CLIENT_PROOF = "tZ-pmv7JPKl863RU_Wr5dk0MEXknZYox8yc6HzYxKys";

  private static final ParentSecret FIXED = ParentSecret.parse(SECRET);

  private static byte[] bytes(int from) {
    byte[] out = new byte[32];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (from + i);
    }
    return out;
  }

  @Test
  void fixedSecretAndNonces_giveTheDocumentedProofs() {
    byte[] clientNonce = bytes(0x20);
    byte[] serverNonce = bytes(0x40);

    assertThat(B64.encode(clientNonce)).isEqualTo(CLIENT_NONCE);
    assertThat(B64.encode(serverNonce)).isEqualTo(SERVER_NONCE);
    assertThat(B64.encode(ParentAuth.serverProof(FIXED, clientNonce, serverNonce)))
        .isEqualTo(SERVER_PROOF);
    assertThat(B64.encode(ParentAuth.clientProof(FIXED, serverNonce, clientNonce)))
        .isEqualTo(CLIENT_PROOF);
  }

  @Test
  void theProtocolPage_printsTheWorkedExample_exactly() throws Exception {
    String page = specPage();
    JsonNode id1 = Json.MAPPER.getNodeFactory().numberNode(1L);
    JsonNode id2 = Json.MAPPER.getNodeFactory().numberNode(2L);
    ResponseCodec.AuthChallenge challenge =
        new ResponseCodec.AuthChallenge(B64.decode(SERVER_NONCE), B64.decode(SERVER_PROOF));

    assertThat(page)
        .contains(SECRET)
        .contains(Json.text(RequestCodec.authBegin(1, B64.decode(CLIENT_NONCE))))
        .contains(Json.text(ResponseCodec.authBegun(id1, challenge)))
        .contains(Json.text(RequestCodec.authFinish(2, B64.decode(CLIENT_PROOF))))
        .contains(Json.text(ResponseCodec.authFinished(id2)))
        .contains(HexFormat.of().formatHex(B64.decode(SERVER_PROOF)))
        .contains(HexFormat.of().formatHex(B64.decode(CLIENT_PROOF)));
  }

  @Test
  void eachProof_verifiesOnlyForItsOwnSide_secretAndNonces() {
    byte[] clientNonce = ParentAuth.nonce();
    byte[] serverNonce = ParentAuth.nonce();
    byte[] serverProof = ParentAuth.serverProof(FIXED, clientNonce, serverNonce);
    byte[] clientProof = ParentAuth.clientProof(FIXED, serverNonce, clientNonce);

    assertThat(ParentAuth.serverProves(FIXED, clientNonce, serverNonce, serverProof)).isTrue();
    assertThat(ParentAuth.clientProves(FIXED, serverNonce, clientNonce, clientProof)).isTrue();
    assertThat(ParentAuth.clientProves(FIXED, serverNonce, clientNonce, serverProof))
        .as("a server proof echoed back is no client proof")
        .isFalse();
    assertThat(
            ParentAuth.clientProves(ParentSecret.generate(), serverNonce, clientNonce, clientProof))
        .isFalse();
    assertThat(ParentAuth.clientProves(FIXED, ParentAuth.nonce(), clientNonce, clientProof))
        .as("a recorded proof does not answer a fresh server nonce")
        .isFalse();
    assertThat(ParentAuth.clientProves(FIXED, serverNonce, clientNonce, new byte[3])).isFalse();
  }

  @Test
  void nonces_areFreshAndOfTheirLength_andOtherLengthsAreRefused() {
    assertThat(ParentAuth.nonce()).hasSize(32).isNotEqualTo(ParentAuth.nonce());
    assertThatThrownBy(() -> ParentAuth.serverProof(FIXED, new byte[16], ParentAuth.nonce()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
  }

  @Test
  void aSecret_neverPrints_andReadsOnlyAs64HexDigits() {
    assertThat(FIXED.toString()).doesNotContain(SECRET).contains("redacted");
    assertThat(ParentSecret.parse(SECRET.toUpperCase() + "\n").hex()).isEqualTo(SECRET);
    assertThatThrownBy(() -> ParentSecret.parse(SECRET.substring(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("64 hex digits")
        .hasMessageNotContaining(SECRET.substring(2));
    assertThatThrownBy(() -> ParentSecret.parse(B64.encode(bytes(0))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** docs/coordinator-protocol.md, found from the module directory (Maven) or the root (IDEs). */
  private static String specPage() throws Exception {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path page = dir.resolve("docs").resolve("coordinator-protocol.md");
      if (Files.isRegularFile(page)) {
        return Files.readString(page);
      }
    }
    throw new AssertionError("docs/coordinator-protocol.md not found");
  }
}
