package dev.pinaivu.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.cli.CoordinatorProcess;
import dev.pinaivu.gateway.connections.ClientLimits;
import dev.pinaivu.gateway.http.AdminToken;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pinaivu soak}: the whole network (coordinator, gateway and every node agent in its own
 * process, the gateway with the real node conduct rules) run for a bounded time under a mix of
 * honest and hostile nodes and clients, with an honest node killed -9 and restarted on a schedule;
 * then what honest users got, how the network judged each node, and the books, checked from the
 * outside. Exits 1 when the books do not hold or honest success is below {@code --min-success}.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description =
        "Run the network for a while with honest and hostile nodes and clients; report what honest"
            + " users got and check the books.")
public final class SoakCommand implements Callable<Integer> {
  static final String MODEL = "soak-model";

  @Spec CommandSpec spec;

  @Option(
      names = "--duration-seconds",
      defaultValue = "300",
      description = "How long the load runs")
  int durationSeconds;

  @Option(names = "--clients", defaultValue = "16", description = "Concurrent clients")
  int clients;

  @Option(names = "--honest-nodes", defaultValue = "2")
  int honestNodes;

  @Option(
      names = "--hostile-nodes",
      defaultValue = "1",
      description = "Nodes of each hostile kind: silent, failing, dropping, lying")
  int hostileNodes;

  @Option(
      names = "--kill-every-seconds",
      defaultValue = "60",
      description = "kill -9 an honest node agent this often, and restart it (0: never)")
  int killEverySeconds;

  @Option(
      names = "--first-output-timeout",
      defaultValue = "5",
      description = "The gateway's first-output deadline for streams, in seconds")
  int firstOutputSeconds;

  @Option(
      names = "--answer-timeout",
      defaultValue = "30",
      description = "The gateway's deadline for a whole answer, in seconds")
  int answerSeconds;

  @Option(
      names = "--min-success",
      defaultValue = "0.95",
      description = "The share of honest requests that must be answered whole")
  double minSuccess;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("pinaivu-soak");
    Path state = dir.resolve("state");
    Files.createDirectories(state);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    CoordinatorProcess coordinator =
        CoordinatorProcess.start(500, state.resolve(CoordinatorProcess.SECRET_FILE));
    Process gateway =
        BenchNetwork.java(
            dir.resolve("gateway.log"),
            "gateway",
            "--port",
            Integer.toString(port),
            "--data-dir",
            state.toString(),
            "--coordinator",
            coordinator.hostPort(),
            "--coordinator-secret-file",
            coordinator.secretFile.toString(),
            "--first-output-timeout",
            Integer.toString(firstOutputSeconds),
            "--answer-timeout",
            Integer.toString(answerSeconds),
            "--max-connections-per-client",
            Integer.toString(ClientLimits.DEFAULT_CONNECTIONS));
    String baseUrl = "http://127.0.0.1:" + port + "/v1";
    Path keyFile = state.resolve("dev-api-key");
    Path adminFile = state.resolve(AdminToken.FILE);
    Map<SoakNodes.Kind, Integer> counts = new EnumMap<>(SoakNodes.Kind.class);
    for (SoakNodes.Kind kind : SoakNodes.Kind.values()) {
      counts.put(kind, kind == SoakNodes.Kind.HONEST ? honestNodes : hostileNodes);
    }
    try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      BenchNetwork.waitFor(
          () -> Files.exists(keyFile) && Files.exists(adminFile) && BenchNetwork.reachable(baseUrl),
          gateway,
          "the gateway to start");
      String key = Files.readString(keyFile).strip();
      SoakBooks books = new SoakBooks(http, baseUrl, key, Files.readString(adminFile).strip());
      try (SoakNodes nodes = new SoakNodes(baseUrl, dir, counts)) {
        BenchNetwork.waitFor(
            () -> books.nodes().path("data").size() == nodes.all.size(),
            gateway,
            "every node to join");
        System.err.println(
            nodes.all.size() + " nodes live; soaking for " + durationSeconds + " s ...");
        long balanceBefore = books.balanceMicros();
        Run run = load(http, baseUrl, key, nodes);
        System.err.println("settling ...");
        SoakBooks.Findings findings = books.check(balanceBefore, run.outcomes, nodes);
        String report =
            report(run, findings, books.nodes(), nodes, rss(gateway, coordinator.process, nodes));
        spec.commandLine().getOut().println(report);
        spec.commandLine().getOut().flush();
        double success = honestSuccess(run.outcomes);
        return findings.problems().isEmpty() && success >= minSuccess ? 0 : 1;
      }
    } finally {
      gateway.destroy();
      gateway.waitFor();
      coordinator.close();
    }
  }

  private record Run(List<SoakClient.Outcome> outcomes, int kills, double seconds) {}

  private Run load(HttpClient http, String baseUrl, String key, SoakNodes nodes)
      throws InterruptedException {
    SoakClient client = new SoakClient(http, baseUrl, key, Duration.ofSeconds(answerSeconds + 15L));
    ConcurrentLinkedQueue<SoakClient.Outcome> outcomes = new ConcurrentLinkedQueue<>();
    long start = System.nanoTime();
    long end = start + Duration.ofSeconds(durationSeconds).toNanos();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      workers.add(
          Thread.ofVirtual()
              .start(() -> {
                while (System.nanoTime() < end) {
                  outcomes.add(client.call(SoakClient.Kind.draw(ThreadLocalRandom.current())));
                }
              }));
    }
    AtomicInteger kills = new AtomicInteger();
    List<SoakNodes.Node> honest = nodes.of(SoakNodes.Kind.HONEST);
    Thread killer =
        Thread.ofVirtual()
            .start(() -> {
              if (killEverySeconds <= 0 || honest.isEmpty()) {
                return;
              }
              try {
                while (true) {
                  Thread.sleep(Duration.ofSeconds(killEverySeconds));
                  if (System.nanoTime() >= end) {
                    return;
                  }
                  SoakNodes.Node victim = honest.get(kills.getAndIncrement() % honest.size());
                  System.err.println("kill -9 " + victim.name());
                  victim.killAndRestart();
                }
              } catch (InterruptedException e) {
                // the run is over
              } catch (IOException e) {
                System.err.println("could not restart a node: " + e);
              }
            });
    for (Thread t : workers) {
      t.join();
    }
    killer.interrupt();
    killer.join();
    return new Run(List.copyOf(outcomes), kills.get(), (System.nanoTime() - start) / 1e9);
  }

  /** Complete answers over the requests honest clients made (streamed and whole). */
  static double honestSuccess(List<SoakClient.Outcome> outcomes) {
    long asked = 0;
    long answered = 0;
    for (SoakClient.Outcome o : outcomes) {
      if (o.kind() == SoakClient.Kind.STREAMED || o.kind() == SoakClient.Kind.WHOLE) {
        asked++;
        answered += o.complete() ? 1 : 0;
      }
    }
    return asked == 0 ? 0 : (double) answered / asked;
  }

  private String report(
      Run run,
      SoakBooks.Findings books,
      JsonNode nodeList,
      SoakNodes nodes,
      Map<String, Long> rss) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Soak: %.0f s, %d clients; nodes: %s; an honest node killed -9 and restarted %d"
                + " times; first-output deadline %d s, answer deadline %d s.%n%n",
            run.seconds,
            clients,
            nodeCounts(nodes),
            run.kills,
            firstOutputSeconds,
            answerSeconds));
    out.append("| client | requests | answered whole | HTTP status (count) | errors (code: count)")
        .append(" | TTFT p50 | TTFT p99 | TTFT max | total p50 | total p99 | total max |\n")
        .append("| --- | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (SoakClient.Kind kind : SoakClient.Kind.values()) {
      out.append(row(kind, run.outcomes));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%nHonest requests answered whole: **%.2f%%** (bound: %.0f%%).%n",
            100 * honestSuccess(run.outcomes),
            100 * minSuccess));
    out.append(
        "\nReceipts of the answers clients saw whole, by the kind of node that served them: ");
    out.append(books.receiptsByKind()).append(".\n");
    out.append(
        String.format(
            Locale.ROOT,
            "Lying nodes: claimed %,d completion tokens, billed %,d (%d receipts capped).%n",
            books.lyingClaimedTokens(),
            books.lyingBilledTokens(),
            books.lyingCapped()));
    out.append("\n| node | phase | reputation | quarantines | jobs ok | failed | overclaimed |\n")
        .append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (JsonNode n : nodeList.path("data")) {
      SoakNodes.Node node = nodes.byId(n.path("node_id").asText());
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %.3f | %d | %d | %d | %d |%n",
              node == null ? n.path("node_id").asText() : node.name(),
              n.path("phase").asText(),
              n.path("reputation").asDouble(),
              n.path("quarantines").asInt(),
              n.path("jobs").path("succeeded").asLong(),
              n.path("jobs").path("failed").asLong(),
              n.path("jobs").path("overclaimed").asLong()));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%nBooks: debited %,d µUSD; the usage report says %,d µUSD over %,d receipts; balance"
                + " now %,d µUSD. %s%n",
            books.debitMicros(),
            books.usageCostMicros(),
            books.usageRequests(),
            books.balanceMicros(),
            books.problems().isEmpty() ? "**They hold.**" : "**Broken:** " + books.problems()));
    out.append("\nResident memory at the end: ").append(rss).append(" (MB).\n");
    return out.toString();
  }

  private static String nodeCounts(SoakNodes nodes) {
    Map<String, Integer> counts = new TreeMap<>();
    for (SoakNodes.Node n : nodes.all) {
      counts.merge(n.kind.label(), 1, Integer::sum);
    }
    return counts.toString();
  }

  private static String row(SoakClient.Kind kind, List<SoakClient.Outcome> outcomes) {
    Histogram ttft = new Histogram(3);
    Histogram total = new Histogram(3);
    Map<Integer, Integer> statuses = new TreeMap<>();
    Map<String, Integer> errors = new TreeMap<>();
    long n = 0;
    long whole = 0;
    for (SoakClient.Outcome o : outcomes) {
      if (o.kind() != kind) {
        continue;
      }
      n++;
      whole += o.complete() ? 1 : 0;
      statuses.merge(o.status(), 1, Integer::sum);
      if (o.error() != null) {
        errors.merge(o.error(), 1, Integer::sum);
      }
      if (o.ttftNanos() >= 0) {
        ttft.recordValue(o.ttftNanos());
      }
      total.recordValue(o.totalNanos());
    }
    return String.format(
        Locale.ROOT,
        "| %s | %,d | %,d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
        kind.name().toLowerCase(Locale.ROOT).replace('_', ' '),
        n,
        whole,
        statuses,
        errors.isEmpty() ? "none" : errors,
        ms(ttft, 50),
        ms(ttft, 99),
        ms(ttft, 100),
        ms(total, 50),
        ms(total, 99),
        ms(total, 100));
  }

  private static String ms(Histogram h, double percentile) {
    if (h.getTotalCount() == 0) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.1f ms", h.getValueAtPercentile(percentile) / 1e6);
  }

  private static Map<String, Long> rss(Process gateway, Process coordinator, SoakNodes nodes) {
    Map<String, Long> out = new TreeMap<>();
    out.put("gateway", rssMb(gateway));
    out.put("coordinator", rssMb(coordinator));
    for (SoakNodes.Node n : nodes.all) {
      out.put(n.name(), rssMb(n.process()));
    }
    return out;
  }

  /** A process's resident set in MB (Linux /proc), or -1. */
  private static long rssMb(Process p) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or gone
    }
    return -1;
  }
}
