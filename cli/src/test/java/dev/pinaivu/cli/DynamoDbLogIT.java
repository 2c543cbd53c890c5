package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.translog.Hash;
import dev.pinaivu.core.translog.KeyAnnouncement;
import dev.pinaivu.core.translog.SignedCheckpoint;
import dev.pinaivu.functions.store.DynamoDbLogStore;
import dev.pinaivu.functions.testsupport.Dynalite;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pinaivu gateway --log-table}: the log's leaves live in DynamoDB (dynalite here), outside
 * the gateway's own database, so a gateway started on a fresh disk continues the same log.
 */
class DynamoDbLogIT {
  private static final String ORIGIN = "log.example.com/receipts";

  @TempDir Path dir;

  private final Dynalite dynalite = Dynalite.shared();
  private final String table = Dynalite.uniqueTableName("log");

  @Test
  void theGatewaysLog_isKeptInTheTable_andAFreshGatewayContinuesIt() throws Exception {
    DynamoDbLogStore.createTable(dynalite.client(), table);
    DynamoDbLogStore leaves = new DynamoDbLogStore(dynalite.client(), table, ORIGIN);
    String receiptEntry;
    try (GatewayProcess gateway = gateway(dir.resolve("first"), table);
        NodeProcess node = NodeProcess.start(gateway.baseUrl, dir.resolve("node"))) {
      String id = chat(gateway, node);
      JsonNode receipt = awaitLogged(gateway, id);
      receiptEntry =
          Hash.leaf(Json.MAPPER.treeToValue(receipt, SignedReceipt.class).logEntry()).base64();
      long index = receipt.at("/log/index").asLong();

      assertThat(leaves.leafHash(index).base64()).isEqualTo(receiptEntry);
      assertThat(leaves.latestCheckpoint().orElseThrow().format())
          .isEqualTo(receipt.at("/log/checkpoint").asText());
    }
    long before = leaves.size();

    try (GatewayProcess fresh = gateway(dir.resolve("second"), table)) {
      SignedCheckpoint head = leaves.latestCheckpoint().orElseThrow();
      assertThat(head.checkpoint().treeSize())
          .isEqualTo(before + 1); // the new key, stored at start
      assertThat(KeyAnnouncement.parse(leaves.leafData(before))).isPresent();
      assertThat(HttpResult.get(fresh.baseUrl + "/log/checkpoint", fresh.key()).body)
          .isEqualTo(head.format());
      assertThat(leaves.indexOf(Hash.fromBase64(receiptEntry))).isPresent();
    }
  }

  private static String chat(GatewayProcess gateway, NodeProcess node) throws Exception {
    for (int i = 0; i < 600; i++) {
      HttpResult r =
          HttpResult.post(
              gateway.baseUrl,
              gateway.key(),
              "{\"model\":\"pinaivu-demo-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
      if (r.status == 200) {
        return Json.parse(r.body).get("request_id").asText();
      }
      Thread.sleep(100); // until the node is live
    }
    throw new AssertionError("no answer; the node said: " + node.output());
  }

  private static JsonNode awaitLogged(GatewayProcess gateway, String id) throws Exception {
    for (int i = 0; i < 100; i++) {
      HttpResult r = HttpResult.get(gateway.baseUrl + "/receipts/" + id, gateway.key());
      if (r.status == 200 && Json.parse(r.body).at("/log/checkpoint").isTextual()) {
        return Json.parse(r.body);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("receipt " + id + " was not logged within 10 s");
  }

  /** {@code pinaivu gateway --log-table TABLE} in its own JVM, against dynalite. */
  private static GatewayProcess gateway(Path dataDir, String table) throws Exception {
    return GatewayProcess.start(
        dataDir,
        Map.of("AWS_ACCESS_KEY_ID", "dynalite", "AWS_SECRET_ACCESS_KEY", "dynalite"),
        "--log-origin",
        ORIGIN,
        "--log-table",
        table,
        "--aws-region",
        "us-east-1",
        "--dynamodb-endpoint",
        Dynalite.shared().endpoint().toString());
  }
}
