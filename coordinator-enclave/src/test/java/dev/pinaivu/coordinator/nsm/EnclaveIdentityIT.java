package dev.pinaivu.coordinator.nsm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.coordinator.CoordinatorServer;
import dev.pinaivu.coordinator.FrameClient;
import dev.pinaivu.core.attestation.AttestationDocument;
import dev.pinaivu.core.attestation.Verification;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.coordinator.ParentSecret;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.pricing.FeePolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * What the gateway sees of a coordinator booted as in the enclave: the real server, the NSM
 * attestor over {@link FakeNsm} (its chain check stood in for, as no NSM signs here).
 */
class EnclaveIdentityIT {
  @Test
  void theIdentityOperation_announcesANitroKey_withTheNsmDocumentCarryingIt() throws Exception {
    NsmAttestor attestor =
        new NsmAttestor(new FakeNsm(), document -> new Verification.Valid(parse(document)));
    CoordinatorService service =
        CoordinatorService.boot(attestor, CoordinatorOptions.withFees(new FeePolicy(500)));
    ParentSecret secret = ParentSecret.generate();

    try (CoordinatorServer server =
            CoordinatorServer.start(
                service, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), secret);
        FrameClient parent = new FrameClient(server.address()).authenticate(secret)) {
      JsonNode key = parent.call("{\"id\":7,\"op\":\"identity\"}").path("key");

      assertThat(key.path("kind").asText()).isEqualTo("nitro");
      assertThat(key.path("key_id").asText()).isEqualTo(service.identity().keyId());
      byte[] document = B64.decode(key.path("attestation").asText());
      assertThat(parse(document).publicKey()).isEqualTo(service.identity().publicKey());
    }
  }

  private static AttestationDocument parse(byte[] document) {
    try {
      return AttestationDocument.parse(document);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
