package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.RegisteredNode;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.reputation.ConductRules;
import dev.pinaivu.core.reputation.NodePolicy;
import dev.pinaivu.core.routing.LiveOffer;
import dev.pinaivu.core.routing.RegistryDirectory;
import dev.pinaivu.functions.nodes.ManagementApiLinks;
import dev.pinaivu.functions.nodes.NodeSocketHandler;
import dev.pinaivu.functions.store.DynamoDbConductRecords;
import dev.pinaivu.functions.store.DynamoDbCoordinatorKeys;
import dev.pinaivu.functions.store.DynamoDbJobRoutes;
import dev.pinaivu.functions.store.DynamoDbNetworkStores;
import dev.pinaivu.functions.store.DynamoDbNodeConnections;
import dev.pinaivu.functions.store.DynamoDbNodeRegistry;
import dev.pinaivu.functions.testsupport.DynamoTransactionsFront;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node agent process ({@code pinaivu node --gateway-handshake HEADERS}) joins the serverless
 * deployment's node API: through a loopback stand-in of API Gateway's WebSocket API (test code)
 * into {@code NodeSocketHandler}, onto the network table on dynalite. It is welcomed, live in the
 * registry with its offer, listed by the directory a Lambda routes with, keeps heartbeating, and
 * leaves the registry when it stops.
 */
class ServerlessNodeIT {
  private static final byte[] RELAY_SECRET =
      "test-relay-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private static final DynamoTransactionsFront FRONT = DynamoTransactionsFront.shared();

  @TempDir Path dir;

  @Test
  void aRealAgent_joinsThroughTheWebSocketApi_isRoutable_andLeavesWhenItStops() throws Exception {
    System.setProperty("aws.accessKeyId", "stand-in");
    System.setProperty("aws.secretAccessKey", "stand-in");
    String prefix = "sn-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    DynamoDbNetworkStores.createIfAbsent(FRONT.client(), prefix);
    String table = DynamoDbNetworkStores.networkTable(prefix);
    DynamoDbNodeRegistry registry = new DynamoDbNodeRegistry(FRONT.client(), table);
    DynamoDbConductRecords conduct = new DynamoDbConductRecords(FRONT.client(), table);
    DynamoDbCoordinatorKeys keys = new DynamoDbCoordinatorKeys(FRONT.client(), table);
    keys.remember(
        CoordinatorKey.dev(Ed25519.PrivateKey.generate().publicKey()), System.currentTimeMillis());
    ManagementApiLinks[] links = new ManagementApiLinks[1];
    NodeSocketHandler[] handler = new NodeSocketHandler[1];
    try (ApiGatewayWebSocketStandIn api =
        new ApiGatewayWebSocketStandIn(event -> handler[0].handleRequest(event, null))) {
      links[0] = ManagementApiLinks.forStage("us-east-1", api.managementApi());
      handler[0] =
          new NodeSocketHandler(
              new NodeSocketHandler.Parts(
                  new DynamoDbNodeConnections(FRONT.client(), table),
                  registry,
                  conduct,
                  ConductRules.DEFAULTS,
                  NodePolicy.DEFAULTS.admission(),
                  endpoint -> {
                    assertThat(endpoint).isEqualTo(ApiGatewayWebSocketStandIn.endpoint());
                    return links[0];
                  },
                  keys::all,
                  1_000,
                  InstantSource.system(),
                  new DynamoDbJobRoutes(FRONT.client(), table),
                  () -> RELAY_SECRET));
      RegistryDirectory directory =
          new RegistryDirectory(
              registry, conduct, ConductRules.DEFAULTS, 3_000, InstantSource.system());

      try (NodeProcess node =
          NodeProcess.start(
              api.nodeUrl().toString(), dir.resolve("node"), "--gateway-handshake", "HEADERS")) {
        List<LiveOffer> offers = await(directory::liveOffers, node);
        assertThat(offers).extracting(o -> o.offer().id()).contains("pinaivu-demo-echo");
        RegisteredNode joined = registry.all(System.currentTimeMillis()).getFirst();
        assertThat(joined.entry().connection()).startsWith("ws/");
        assertThat(joined.entry().offer().models())
            .extracting(ModelOffer::id)
            .contains("pinaivu-demo-echo");
        long seen = joined.lastSeenMs();
        Thread.sleep(2_500); // heartbeats every second, as the welcome told it
        assertThat(
                registry
                    .find(joined.nodeId(), System.currentTimeMillis())
                    .orElseThrow()
                    .lastSeenMs())
            .isGreaterThan(seen);
        assertThat(node.output()).contains("trusting coordinator");
      }
      for (int i = 0; i < 100 && !registry.all(System.currentTimeMillis()).isEmpty(); i++) {
        Thread.sleep(100);
      }
      assertThat(registry.all(System.currentTimeMillis())).as("gone when it stopped").isEmpty();
    }
  }

  private static <T> List<T> await(Supplier<List<T>> read, NodeProcess node) throws Exception {
    for (int i = 0; i < 300; i++) {
      List<T> found = read.get();
      if (!found.isEmpty()) {
        return found;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the node never joined; it said:\n" + node.output());
  }
}
