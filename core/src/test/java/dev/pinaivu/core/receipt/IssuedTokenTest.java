package dev.pinaivu.core.receipt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.protocol.Frame;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gateway's reading of a token its coordinator returned: form and key, not the signature. */
class IssuedTokenTest {
  private static final String WIRE = Fixtures.signedToken().wire();

  @Test
  void tokenOfTheAnsweringCoordinator_isRead() {
    Verification<SignedDispatchToken> read =
        SignedDispatchToken.issuedBy(WIRE, Fixtures.nitroKey());

    assertThat(read.reason()).isEmpty();
    assertThat(read.value().token()).isEqualTo(Fixtures.token());
    assertThat(read.value().wire()).isEqualTo(WIRE);
  }

  @Test
  void tokenNamingAnotherKey_isRefused() {
    CoordinatorKey restarted = CoordinatorKey.dev(Ed25519.PrivateKey.generate().publicKey());

    assertThat(SignedDispatchToken.issuedBy(WIRE, restarted).reason())
        .startsWith("dispatch token names coordinator key " + Fixtures.KEY_ID)
        .endsWith("not the answering coordinator's " + restarted.keyId());
  }

  @Test
  void nonCanonicalPayload_isRefused() {
    String[] parts = WIRE.split("\\.");
    String spaced = new String(B64.decode(parts[0]), UTF_8).replace(",", ", ");
    String wire = B64.encode(spaced.getBytes(UTF_8)) + "." + parts[1];

    assertThat(SignedDispatchToken.issuedBy(wire, Fixtures.nitroKey()).reason())
        .isEqualTo("dispatch token payload is not in canonical form (RFC 8785)");
  }

  @Test
  void forgedSignature_passesTheGatewayButNotTheNodeNorTheCoordinator() {
    String[] parts = WIRE.split("\\.");
    String payload = new String(B64.decode(parts[0]), UTF_8).replace("150000", "150001");
    String forged = B64.encode(payload.getBytes(UTF_8)) + "." + parts[1];
    TrustedKeys trusted = new TrustedKeys(List.of(Fixtures.nitroKey()), false);

    assertThat(SignedDispatchToken.issuedBy(forged, Fixtures.nitroKey()).valid()).isTrue();
    assertThat(
            new DispatchTokenVerifier(trusted, Fixtures.NODE_ID, Fixtures.clockAt(Fixtures.T0))
                .verify(
                    new Frame.Job(
                        Fixtures.REQUEST_ID.value(),
                        Fixtures.MODEL,
                        true,
                        new String(Fixtures.REQUEST_BYTES, UTF_8),
                        Fixtures.T0 + 600_000,
                        forged))
                .reason())
        .startsWith("dispatch token was not signed by coordinator key");
    assertThat(SignedDispatchToken.read(forged, trusted).reason())
        .startsWith("dispatch token was not signed by coordinator key");
  }
}
