package dev.pinaivu.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.translog.SignedCheckpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A deployment names its log; the gateway and its coordinator must agree on the name. */
class LogOriginIT {
  private static final String ORIGIN = "log.example.com/receipts";

  @TempDir Path dir;

  private static CoordinatorService coordinatorOf(String origin) {
    return CoordinatorService.dev(
        CoordinatorOptions.withFees(FeePolicy.NONE).withLogOrigin(origin));
  }

  @Test
  void aNamedLog_isServedUnderItsName_fromTheFirstCheckpoint() throws Exception {
    GatewayConfig config = GatewayConfig.defaults(dir, 0).withLogOrigin(ORIGIN);
    try (GatewayServer gateway = GatewayServer.start(config, coordinatorOf(ORIGIN))) {
      HttpResponse<String> checkpoint =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/log/checkpoint")).build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(checkpoint.statusCode()).isEqualTo(200); // stored at start, no tick needed
      assertThat(SignedCheckpoint.parseUnverified(checkpoint.body()).checkpoint().origin())
          .isEqualTo(ORIGIN);
    }
  }

  @Test
  void aCoordinatorSigningAnotherLog_stopsTheGatewayAtStart_sayingSo() {
    GatewayConfig config = GatewayConfig.defaults(dir, 0).withLogOrigin(ORIGIN);

    assertThatThrownBy(() -> GatewayServer.start(config, coordinatorOf("other.example.com/log")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("log " + ORIGIN)
        .hasMessageContaining("--log-origin");
  }
}
