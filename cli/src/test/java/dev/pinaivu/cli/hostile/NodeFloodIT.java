package dev.pinaivu.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.cli.Network;
import dev.pinaivu.core.reputation.NodeAdmission;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1 000 node agents from one address, joining 64 at a time (the gateway's cap on one client's HTTP
 * connections, 256, would close a burst of upgrades beyond it before any node protocol), against
 * the real gateway with its default policy: exactly the per-address limit get in, every other is
 * told why it was refused.
 */
class NodeFloodIT {
  private static final int NODES = 1_000;

  @TempDir Path dir;
  private Network network;
  private final HttpClient shared = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    network = new Network(dir);
  }

  @AfterEach
  void stop() throws Exception {
    network.close();
    shared.close();
  }

  @Test
  void aThousandNodesFromOneAddress_areRefusedBeyondThePerAddressLimit() throws Exception {
    ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
    List<Future<?>> joins = new ArrayList<>();
    Semaphore joining = new Semaphore(64);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < NODES; i++) {
        joins.add(
            pool.submit(() -> {
              joining.acquire();
              try {
                network.adopt(HostileNode.builder().client(shared).connect(network.nodeUrl()));
              } catch (Exception e) {
                refusals.add(String.valueOf(e.getMessage()));
              } finally {
                joining.release();
              }
              return null;
            }));
      }
    }

    int limit = NodeAdmission.DEFAULT_PER_ADDRESS;
    assertThat(network.gateway.liveNodes()).isEqualTo(limit);
    assertThat(refusals).hasSize(NODES - limit);
    assertThat(refusals)
        .allSatisfy(m ->
            assertThat(m).contains("address_limit: 16 nodes from 127.0.0.1 are connected already"));
    JsonNode view = SybilSwarmIT.nodes(network);
    assertThat(view.get("data")).hasSize(limit);
    assertThat(view.at("/refused/address_limit").asLong()).isEqualTo(NODES - limit);
  }
}
