package dev.pinaivu.coordinator.nsm;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.coordinator.CoordinatorServer;
import dev.pinaivu.core.attestation.AttestationDocument;
import dev.pinaivu.core.attestation.Verification;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.coordinator.Frames;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.pricing.FeePolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
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

    try (CoordinatorServer server =
            CoordinatorServer.start(
                service, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Socket socket = new Socket()) {
      socket.connect(server.address(), 5_000);
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(Frames.encode("{\"id\":7,\"op\":\"identity\"}".getBytes(UTF_8)));
      socket.getOutputStream().flush();
      JsonNode key = Json.parse(Frames.read(socket.getInputStream())).path("key");

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
