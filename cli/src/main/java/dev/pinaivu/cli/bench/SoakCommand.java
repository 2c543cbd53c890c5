package dev.pinaivu.cli.bench;

import dev.pinaivu.cli.CoordinatorProcess;
import dev.pinaivu.gateway.http.AdminToken;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
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
    BenchNetwork.Gateway started =
        BenchNetwork.Gateway.start(
            state,
            dir.resolve("gateway.log"),
            "--first-output-timeout",
            Integer.toString(firstOutputSeconds),
            "--answer-timeout",
            Integer.toString(answerSeconds));
    CoordinatorProcess coordinator = started.coordinator();
    Process gateway = started.process();
    String baseUrl = started.baseUrl();
    Path adminFile = state.resolve(AdminToken.FILE);
    Map<SoakNodes.Kind, Integer> counts = new EnumMap<>(SoakNodes.Kind.class);
    for (SoakNodes.Kind kind : SoakNodes.Kind.values()) {
      counts.put(kind, kind == SoakNodes.Kind.HONEST ? honestNodes : hostileNodes);
    }
    try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      BenchNetwork.waitFor(() -> Files.exists(adminFile), gateway, "the admin token");
      String key = started.key();
      SoakBooks books = new SoakBooks(http, baseUrl, key, Files.readString(adminFile).strip());
      try (SoakNodes nodes = new SoakNodes(baseUrl, dir, counts)) {
        BenchNetwork.waitFor(
            () -> books.nodes().path("data").size() == nodes.all.size(),
            gateway,
            "every node to join");
        System.err.println(
            nodes.all.size() + " nodes live; soaking for " + durationSeconds + " s ...");
        long balanceBefore = books.balanceMicros();
        SoakReport.Run run = load(http, baseUrl, key, nodes);
        System.err.println("settling ...");
        SoakBooks.Findings findings = books.check(balanceBefore, run.outcomes());
        SoakReport report = new SoakReport(clients, firstOutputSeconds, answerSeconds, minSuccess);
        spec.commandLine()
            .getOut()
            .println(
                report.markdown(
                    run,
                    findings,
                    books.nodes(),
                    nodes,
                    SoakReport.rss(gateway, coordinator.process, nodes)));
        spec.commandLine().getOut().flush();
        double success = SoakReport.honestSuccess(run.outcomes());
        return findings.problems().isEmpty() && success >= minSuccess ? 0 : 1;
      }
    } finally {
      gateway.destroy();
      gateway.waitFor();
      coordinator.close();
    }
  }

  private SoakReport.Run load(HttpClient http, String baseUrl, String key, SoakNodes nodes)
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
    return new SoakReport.Run(
        List.copyOf(outcomes), kills.get(), (System.nanoTime() - start) / 1e9);
  }
}
