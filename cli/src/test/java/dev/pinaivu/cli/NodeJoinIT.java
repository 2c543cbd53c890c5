package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.agent.AgentConfig;
import dev.pinaivu.agent.CoordinatorTrust;
import dev.pinaivu.agent.NodeAgent;
import dev.pinaivu.agent.ReconnectPolicy;
import dev.pinaivu.agent.backend.DemoBackend;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.gateway.GatewayServer;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes join, and rejoin after their connection is cut, on their first try and within a second:
 * real node agents (in this JVM) against the real gateway, through a relay that cuts their TCP
 * connections as a network blip would. Each test prints its figures (tries, time to join).
 */
class NodeJoinIT {
  private static final int FRESH_NODES = 20;
  private static final int CUTS = 50;

  /** Far above a join on loopback (tens of ms), far below the gateway's 10 s auth timeout. */
  private static final long JOIN_LIMIT_MS = 5_000;

  /**
   * Quick retries that a connection of 300 ms resets, so that 50 cuts in a row measure each rejoin
   * and not the backoff the previous cuts built up (the default waits up to 30 s, reset after 10
   * s).
   */
  private static final ReconnectPolicy QUICK =
      new ReconnectPolicy(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofMillis(300));

  private static final String CHAT =
      "{\"model\":\"pinaivu-demo-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @TempDir Path dir;
  private Network network;
  private CuttableRelay relay;
  private final List<NodeAgent> agents = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    network = new Network(dir.resolve("in-process"));
    relay = network.adopt(new CuttableRelay(network.gateway.port()));
  }

  @AfterEach
  void stop() throws Exception {
    agents.forEach(NodeAgent::close);
    network.close();
  }

  @Test
  void whileTheCoordinatorIsDown_aFreshNodeIsStillWelcomed() throws Exception {
    CoordinatorProcess coordinator =
        CoordinatorProcess.start(
            GatewayServer.DEFAULT_FEE_BPS, dir.resolve(CoordinatorProcess.SECRET_FILE));
    try (Network apart = new Network(dir.resolve("apart"), 0, coordinator.client())) {
      coordinator.process.destroyForcibly();
      assertThat(coordinator.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
      relay = apart.adopt(new CuttableRelay(apart.gateway.port()));

      NodeAgent agent = agent();
      agent.start();

      assertThat(agent.awaitWelcome(JOIN_LIMIT_MS, TimeUnit.MILLISECONDS))
          .as("welcomed with the last key the gateway knows, without waiting for the coordinator")
          .isTrue();
    }
  }

  private NodeAgent agent() {
    AgentConfig config =
        new AgentConfig(
            AgentConfig.nodeUrlFor(relay.baseUrl()),
            TokenPrice.FREE,
            8,
            Duration.ofSeconds(30),
            new CoordinatorTrust(true, null),
            QUICK);
    NodeAgent agent =
        new NodeAgent(config, NodeKey.generate(), new DemoBackend(Duration.ZERO, Duration.ZERO));
    agents.add(agent);
    return agent;
  }

  @Test
  void freshNodes_joinOnTheirFirstConnection() throws Exception {
    List<Long> joinMs = new ArrayList<>();
    int firstTry = 0;
    for (int i = 0; i < FRESH_NODES; i++) {
      int before = relay.accepted();
      long started = System.nanoTime();
      NodeAgent agent = agent();
      agent.start();
      boolean welcomed = agent.awaitWelcome(JOIN_LIMIT_MS, TimeUnit.MILLISECONDS);
      joinMs.add(welcomed ? elapsedMs(started) : -1);
      if (welcomed && relay.accepted() - before == 1) {
        firstTry++;
      }
      agent.close();
      agents.remove(agent);
    }
    report("fresh joins", joinMs, firstTry);
    assertThat(firstTry).as("nodes welcomed on their first connection").isEqualTo(FRESH_NODES);
  }

  @Test
  void cutConnections_nodeServesAgainOnItsFirstReconnect() throws Exception {
    agent().start();
    network.awaitLive(1);
    List<Long> rejoinMs = new ArrayList<>();
    int firstTry = 0;
    int failed = 0;
    try (HttpClient http = HttpClient.newHttpClient()) {
      for (int cycle = 0; cycle < CUTS && failed < 5; cycle++) {
        int before = relay.accepted();
        long cut = System.nanoTime();
        relay.cut();
        long servedAfter = awaitServed(http, cut, 60_000);
        int tries = relay.accepted() - before;
        rejoinMs.add(servedAfter);
        Thread.sleep(QUICK.stableAfter().toMillis()); // a stable connection: the next wait resets
        if (servedAfter >= 0 && servedAfter < JOIN_LIMIT_MS && tries == 1) {
          firstTry++;
        } else {
          failed++;
        }
      }
    }
    report("reconnects", rejoinMs, firstTry);
    assertThat(firstTry).as("cuts after which the node came back on its first try").isEqualTo(CUTS);
  }

  /** Ms from {@code since} until a chat request was served; -1 if none was by {@code limitMs}. */
  private long awaitServed(HttpClient http, long since, long limitMs) throws Exception {
    while (elapsedMs(since) < limitMs) {
      if (HttpResult.post(http, network.baseUrl(), network.key(), CHAT).status == 200) {
        return elapsedMs(since);
      }
      Thread.sleep(20);
    }
    return -1;
  }

  private static long elapsedMs(long sinceNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
  }

  private static void report(String what, List<Long> ms, int firstTry) {
    List<Long> done = new ArrayList<>(ms.stream().filter(m -> m >= 0).toList());
    Collections.sort(done);
    System.out.printf(
        "%s: %d, %d on the first try, %d never within the limit; ms p50 %s, p90 %s, max %s%n",
        what,
        ms.size(),
        firstTry,
        ms.size() - done.size(),
        percentile(done, 0.5),
        percentile(done, 0.9),
        done.isEmpty() ? "-" : done.getLast());
  }

  private static String percentile(List<Long> sorted, double p) {
    return sorted.isEmpty()
        ? "-"
        : String.valueOf(sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * p)));
  }
}
