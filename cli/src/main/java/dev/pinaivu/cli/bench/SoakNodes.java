package dev.pinaivu.cli.bench;

import dev.pinaivu.testkit.FakeModel;
import dev.pinaivu.testkit.FakeOpenAiServer;
import dev.pinaivu.testkit.Fault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak's nodes: real node agent processes ({@code pinaivu node}), each in front of its own fake
 * inference server. The agents are the real code; a hostile node is an agent whose upstream
 * misbehaves, which is what a node operator controls. Every kind has its own price, so a receipt's
 * prices name the kind of node that served it, and the hostile kinds are cheaper than the honest
 * ones so routing tries them first.
 */
final class SoakNodes implements AutoCloseable {
  private static final Pattern NODE_ID = Pattern.compile("node (node_[0-9a-z]{26}) serving");

  /** What a node does with the jobs it takes. */
  enum Kind {
    /** Answers every job: 16 tokens, 20 ms to the first, 5 ms each after. */
    HONEST("1.00"),
    /** Takes every job and never answers (a hung inference server). */
    SILENT("0.10"),
    /** Answers every job with HTTP 500 before any output. */
    FAILING("0.20"),
    /** Sends two chunks of every stream, then drops the connection (a crash mid-answer). */
    DROPPING("0.30"),
    /** Answers honestly but reports 1,000 times the completion tokens it generated. */
    LYING("0.40");

    /** USD per million tokens, in and out. */
    final String price;

    Kind(String price) {
      this.price = price;
    }

    /** The µUSD per million tokens a receipt shows for this kind. */
    long micros() {
      return new java.math.BigDecimal(price).movePointRight(6).longValueExact();
    }

    static Kind byMicros(long micros) {
      for (Kind k : values()) {
        if (k.micros() == micros) {
          return k;
        }
      }
      return null;
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    void configure(FakeOpenAiServer upstream) {
      upstream.setReplyTokens(16);
      upstream.setTimeToFirstToken(Duration.ofMillis(20));
      upstream.setTokenDelay(Duration.ofMillis(5));
      switch (this) {
        case HONEST -> {}
        case SILENT -> upstream.failWith(Fault.hang());
        case FAILING -> upstream.failWith(Fault.status(500));
        case DROPPING -> upstream.failWith(Fault.dropAfterChunks(2));
        case LYING -> upstream.setUsageFactor(1000);
      }
    }
  }

  /** One node: its upstream and its agent process, restartable on the same data dir. */
  static final class Node {
    final Kind kind;
    final int index;
    final FakeOpenAiServer upstream;
    private final String gatewayUrl;
    private final Path dataDir;
    private final Path logDir;
    private Process process;
    private int starts;

    private Node(Kind kind, int index, String gatewayUrl, Path dataDir, Path logDir) {
      this.kind = kind;
      this.index = index;
      this.gatewayUrl = gatewayUrl;
      this.dataDir = dataDir;
      this.logDir = logDir;
      this.upstream =
          FakeOpenAiServer.builder().model(FakeModel.of(SoakCommand.MODEL)).recordLimit(0).start();
      kind.configure(upstream);
    }

    String name() {
      return kind.label() + "-" + index;
    }

    synchronized void start() throws IOException {
      starts++;
      process =
          BenchNetwork.java(
              logDir.resolve(name() + "-" + starts + ".log"),
              "node",
              "--gateway",
              gatewayUrl,
              "--upstream",
              upstream.baseUrl(),
              "--price-in",
              kind.price,
              "--price-out",
              kind.price,
              "--capacity",
              "64",
              "--data-dir",
              dataDir.toString(),
              "--trust-dev-coordinator");
    }

    /** kill -9, then a new agent process on the same identity. */
    synchronized void killAndRestart() throws IOException, InterruptedException {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      start();
    }

    synchronized Process process() {
      return process;
    }

    /** The node id its first start printed, or null. */
    String nodeId() {
      try {
        Matcher m = NODE_ID.matcher(Files.readString(logDir.resolve(name() + "-1.log")));
        return m.find() ? m.group(1) : null;
      } catch (IOException e) {
        return null;
      }
    }

    synchronized void stop() throws InterruptedException {
      if (process != null) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
      upstream.close();
    }
  }

  final List<Node> all = new ArrayList<>();
  private final Map<String, Node> byId = new ConcurrentHashMap<>();

  SoakNodes(String gatewayUrl, Path dir, Map<Kind, Integer> counts) throws IOException {
    for (Kind kind : Kind.values()) {
      for (int i = 0; i < counts.getOrDefault(kind, 0); i++) {
        Path data = dir.resolve(kind.label() + "-" + i);
        Files.createDirectories(data);
        Node node = new Node(kind, i, gatewayUrl, data, dir);
        all.add(node);
        node.start();
      }
    }
  }

  List<Node> of(Kind kind) {
    return all.stream().filter(n -> n.kind == kind).toList();
  }

  /** The node with this id, once its agent has printed it; null for an unknown id. */
  Node byId(String nodeId) {
    if (byId.isEmpty()) {
      for (Node n : all) {
        String id = n.nodeId();
        if (id != null) {
          byId.put(id, n);
        }
      }
    }
    return byId.get(nodeId);
  }

  @Override
  public void close() throws InterruptedException {
    for (Node n : all) {
      n.stop();
    }
  }
}
