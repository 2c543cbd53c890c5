package dev.pinaivu.coordinator.nsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.attestation.AttestationDocument;
import dev.pinaivu.core.attestation.Verification;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.receipt.CoordinatorKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class NsmAttestorTest {
  private static final Path NITRO =
      Path.of(
          System.getProperty("basedir", "."), "..", "core", "src", "test", "resources", "nitro");

  /** Stands in for the AWS chain check: no NSM can sign the test documents. */
  private static final Function<byte[], Verification> ACCEPT_CHAIN =
      document -> {
        try {
          return new Verification.Valid(AttestationDocument.parse(document));
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      };

  private final FakeNsm nsm = new FakeNsm();

  @Test
  void booting_bindsTheFreshKeyIntoANitroIdentity_carryingTheNsmDocument() {
    CoordinatorService service =
        CoordinatorService.boot(
            new NsmAttestor(nsm, ACCEPT_CHAIN), CoordinatorOptions.withFees(new FeePolicy(500)));

    CoordinatorKey identity = service.identity();
    assertThat(identity.kind()).isEqualTo(CoordinatorKey.Kind.NITRO);
    assertThat(nsm.requests()).hasSize(1);
    assertThat(FakeNsm.requestedKey(nsm.requests().get(0))).isEqualTo(identity.publicKey());
    assertThat(identity.attestation()).isEqualTo(FakeNsm.document(identity.publicKey()));
  }

  @Test
  void aDocumentCarryingAnotherKey_stopsTheBoot() throws Exception {
    byte[] aws = Files.readAllBytes(NITRO.resolve("evervault-debug-2022-10-12.cose"));
    NsmAttestor attestor =
        new NsmAttestor(request -> FakeNsm.attestationResponse(aws), ACCEPT_CHAIN);

    assertThatThrownBy(() -> attestor.attest(new byte[32]))
        .isInstanceOf(NsmException.class)
        .hasMessage("the NSM document does not carry the key it was asked to attest");
  }

  @Test
  void aDocumentThatDoesNotVerify_stopsTheBootWithTheVerifiersReason() {
    NsmAttestor attestor = new NsmAttestor(nsm);

    assertThatThrownBy(() -> attestor.attest(new byte[32]))
        .isInstanceOf(NsmException.class)
        .hasMessageStartingWith("the NSM document does not verify: ")
        .hasMessageContaining("malformed attestation document");
  }

  @Test
  void aMalformedDocument_stopsTheBoot() {
    NsmAttestor attestor =
        new NsmAttestor(request -> FakeNsm.attestationResponse(new byte[] {1, 2}), ACCEPT_CHAIN);

    assertThatThrownBy(() -> attestor.attest(new byte[32]))
        .hasMessageStartingWith("the NSM returned a malformed document: ");
  }

  @Test
  void anNsmError_stopsTheBoot() {
    NsmAttestor attestor =
        new NsmAttestor(
            request -> {
              throw new NsmException("the NSM refused the request: InternalError");
            },
            ACCEPT_CHAIN);

    assertThatThrownBy(() -> attestor.attest(new byte[32])).hasMessageContaining("InternalError");
  }
}
