package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.chat.ChatSettings;
import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.coordinator.SettlingOutage;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.gateway.GatewayConfig;
import dev.pinaivu.gateway.GatewayServer;
import dev.pinaivu.gateway.store.SqliteLogStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request served while the coordinator could not settle it, by a gateway that then stops: the
 * next gateway on the same data directory bills it at start, once.
 */
class OwedSettlementIT {
  @TempDir Path dir;

  private GatewayServer gateway(Coordinator coordinator) {
    return GatewayServer.start(
        GatewayConfig.defaults(dir.resolve("gateway"), 0).withHeartbeatMs(1000),
        ChatSettings.DEFAULT,
        coordinator,
        SqliteLogStore::new);
  }

  @Test
  void aRequestServedDuringACoordinatorOutage_isBilledOnceByTheNextGateway() throws Exception {
    SettlingOutage coordinator =
        new SettlingOutage(CoordinatorService.dev(CoordinatorOptions.withFees(new FeePolicy(500))));
    String id;
    long before;
    try (GatewayServer first = gateway(coordinator);
        NodeProcess node =
            NodeProcess.start(
                first.baseUrl(),
                dir.resolve("node"),
                "--price-in",
                "1.25",
                "--price-out",
                "3.10")) {
      before = first.devBalanceMicros();
      HttpResult served = null;
      for (int i = 0; i < 300 && (served == null || served.status != 200); i++) {
        served =
            HttpResult.post(
                first.baseUrl(),
                first.devKey().reveal(),
                "{\"model\":\"pinaivu-demo-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        Thread.sleep(served.status == 200 ? 0 : 100); // until the node is live
      }
      assertThat(served.status).as(node.output()).isEqualTo(200);
      id = Json.parse(served.body).get("request_id").asText();
      Thread.sleep(1_500); // the settler tries the coordinator three times, then keeps it owed
      assertThat(
              HttpResult.get(first.baseUrl() + "/receipts/" + id, first.devKey().reveal()).status)
          .isEqualTo(404);
      assertThat(first.devBalanceMicros()).isEqualTo(before);
    }

    coordinator.end();
    long charged;
    try (GatewayServer next = gateway(coordinator)) {
      HttpResult receipt = null;
      for (int i = 0; i < 100; i++) {
        receipt = HttpResult.get(next.baseUrl() + "/receipts/" + id, next.devKey().reveal());
        if (receipt.status == 200) {
          break;
        }
        Thread.sleep(100);
      }
      assertThat(receipt.status).as(receipt.body).isEqualTo(200);
      charged = Json.parse(receipt.body).at("/receipt/charge/total_charged").asLong();
      assertThat(charged).isPositive();
      assertThat(next.devBalanceMicros()).isEqualTo(before - charged);
    }
    try (GatewayServer again = gateway(coordinator)) { // nothing owed is left to bill twice
      Thread.sleep(500);
      assertThat(again.devBalanceMicros()).isEqualTo(before - charged);
    }
  }
}
