package dev.pinaivu.coordinator.nsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NsmCodecTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Path NITRO =
      Path.of(
          System.getProperty("basedir", "."), "..", "core", "src", "test", "resources", "nitro");

  @Test
  void attestationRequest_isExactlyWhatSerdeCborWritesForTheRustEnum() {
    byte[] request = NsmCodec.attestationRequest(new byte[] {1, 2, 3});

    // {"Attestation": {"user_data": null, "nonce": null, "public_key": h'010203'}}
    assertThat(HEX.formatHex(request))
        .isEqualTo(
            "a1"
                + "6b"
                + HEX.formatHex("Attestation".getBytes())
                + "a3"
                + "69"
                + HEX.formatHex("user_data".getBytes())
                + "f6"
                + "65"
                + HEX.formatHex("nonce".getBytes())
                + "f6"
                + "6a"
                + HEX.formatHex("public_key".getBytes())
                + "43010203");
  }

  @Test
  void aRequestForAnRsaKey_carriesTheWholeSpkiWithATwoByteLength() {
    byte[] spki = new byte[294];

    byte[] request = NsmCodec.attestationRequest(spki);

    assertThat(HEX.formatHex(request))
        .contains("6a" + HEX.formatHex("public_key".getBytes()) + "590126");
    assertThat(request.length).isLessThan(NsmCodec.REQUEST_MAX_BYTES);
    assertThat(FakeNsm.requestedKey(request)).isEqualTo(spki);
  }

  @Test
  void aPublicKeyTheDocumentCannotHold_isRefusedBeforeTheNsmIsAsked() {
    assertThatThrownBy(() -> NsmCodec.attestationRequest(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NsmCodec.attestationRequest(new byte[1025]))
        .hasMessageContaining("1..1024");
  }

  @Test
  void anAttestationResponse_yieldsTheDocumentBytes() throws Exception {
    byte[] real = Files.readAllBytes(NITRO.resolve("evervault-nondebug-2022-10-13.cose"));

    assertThat(NsmCodec.document(FakeNsm.attestationResponse(real))).isEqualTo(real);
  }

  @Test
  void anErrorResponse_isAnExceptionNamingTheNsmError() {
    // {"Error": "InvalidArgument"}
    byte[] response =
        HEX.parseHex("a1654572726f72" + "6f" + HEX.formatHex("InvalidArgument".getBytes()));

    assertThatThrownBy(() -> NsmCodec.document(response))
        .isInstanceOf(NsmException.class)
        .hasMessage("the NSM refused the request: InvalidArgument");
  }

  @Test
  void anotherVariant_isRefused() {
    // {"GetRandom": {"random": h'00'}}
    byte[] response =
        HEX.parseHex(
            "a169"
                + HEX.formatHex("GetRandom".getBytes())
                + "a166"
                + HEX.formatHex("random".getBytes())
                + "4100");

    assertThatThrownBy(() -> NsmCodec.document(response))
        .hasMessage("the NSM answered GetRandom, not Attestation");
  }

  @Test
  void malformedResponses_areRefusedAsUnreadable() {
    byte[] document = FakeNsm.document(new byte[] {9});
    byte[] good = FakeNsm.attestationResponse(document);
    byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 5);
    // {"Attestation": {}}
    byte[] empty = HEX.parseHex("a16b" + HEX.formatHex("Attestation".getBytes()) + "a0");
    // {"Attestation": {"document": "text"}}
    byte[] text =
        HEX.parseHex(
            "a16b"
                + HEX.formatHex("Attestation".getBytes())
                + "a168"
                + HEX.formatHex("document".getBytes())
                + "6474657874");

    for (byte[] bad : new byte[][] {trailing, truncated, empty, text, {0x01}, {}}) {
      assertThatThrownBy(() -> NsmCodec.document(bad))
          .isInstanceOf(NsmException.class)
          .hasMessageStartingWith("unreadable NSM response");
    }
  }
}
