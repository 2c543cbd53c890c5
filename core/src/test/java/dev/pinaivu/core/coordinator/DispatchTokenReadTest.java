package dev.pinaivu.core.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.DispatchToken;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SigningContext;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DispatchTokenReadTest {
  private final CoordinatorService service =
      CoordinatorService.dev(CoordinatorOptions.withFees(FeePolicy.NONE));
  private final SignedDispatchToken token =
      service.dispatch(new CoordinatorJob().dispatchRequest());

  @Test
  void read_ofItsOwnToken_givesTheTokenBack() {
    assertThat(SignedDispatchToken.read(token.wire(), service.identity()).orElseThrow())
        .isEqualTo(token);
  }

  @Test
  void read_ofAnotherCoordinatorsToken_saysSo() {
    CoordinatorService other = CoordinatorService.dev(CoordinatorOptions.withFees(FeePolicy.NONE));

    assertThat(SignedDispatchToken.read(token.wire(), other.identity()).reason())
        .startsWith("dispatch token: key_id")
        .contains("is not a trusted coordinator key");
  }

  @Test
  void read_ofAnEditedPayload_failsTheSignature() {
    String[] parts = token.wire().split("\\.");
    String payload = new String(B64.decode(parts[0]), StandardCharsets.UTF_8);
    String edited = B64.encode(payload.replace("150000", "150001").getBytes()) + "." + parts[1];

    assertThat(SignedDispatchToken.read(edited, service.identity()).reason())
        .contains("not signed by coordinator key");
  }

  @Test
  void read_ofShapelessInput_saysWhatIsWrong() {
    assertThat(SignedDispatchToken.read(null, service.identity()).reason()).contains("missing");
    assertThat(SignedDispatchToken.read("a.b.c", service.identity()).reason())
        .contains("<payload>");
    assertThat(SignedDispatchToken.read("a.%%", service.identity()).reason()).contains("base64url");
    assertThat(SignedDispatchToken.read("x".repeat(9000), service.identity()).reason())
        .contains("longer");
  }

  @Test
  void read_ofASignedPayloadThatIsNoToken_isMalformed() {
    Ed25519.PrivateKey key = Ed25519.PrivateKey.generate();
    String keyId = CoordinatorKey.keyIdOf(key.publicKey());
    byte[] payload =
        ("{\"coordinator_key_id\":\"" + keyId + "\",\"v\":2}").getBytes(StandardCharsets.UTF_8);
    byte[] signature = key.sign(SigningContext.DISPATCH_TOKEN.message(payload));
    String wire = B64.encode(payload) + "." + B64.encode(signature);

    assertThat(SignedDispatchToken.read(wire, CoordinatorKey.dev(key.publicKey())).reason())
        .startsWith("dispatch token is malformed");
  }

  @Test
  void read_keepsTheTokensFields() {
    DispatchToken read =
        SignedDispatchToken.read(token.wire(), service.identity()).orElseThrow().token();

    assertThat(read.coordinatorKeyId()).isEqualTo(service.identity().keyId());
  }
}
