package dev.pinaivu.cli.bench;

import dev.pinaivu.testkit.FakeModel;
import dev.pinaivu.testkit.FakeOpenAiServer;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pinaivu bench}: the added cost of the whole path (gateway + node agent, each in its own
 * JVM) over calling the node's upstream directly, measured in the same run against the same fake
 * inference server. Prints a markdown report for BENCHMARKS.md.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure the latency the network adds over calling the upstream directly.")
public final class BenchCommand implements Callable<Integer> {
  private static final String MODEL = "bench-model";

  @Option(
      names = "--requests",
      defaultValue = "2000",
      description = "Requests per measurement at concurrency 64")
  int requests;

  @Option(
      names = "--serial-requests",
      defaultValue = "500",
      description = "Requests per measurement at concurrency 1")
  int serialRequests;

  @Option(names = "--warmup-seconds", defaultValue = "15")
  int warmupSeconds;

  @Option(names = "--saturation-seconds", defaultValue = "10")
  int saturationSeconds;

  @Option(names = "--reply-tokens", defaultValue = "16", description = "Tokens in every answer")
  int replyTokens;

  @Option(
      names = "--paced-ttft-ms",
      defaultValue = "20",
      description = "Paced phase: upstream time to first token")
  int pacedTtftMs;

  @Option(
      names = "--paced-token-ms",
      defaultValue = "10",
      description = "Paced phase: upstream delay between tokens")
  int pacedTokenMs;

  @Option(
      names = "--streams",
      defaultValue = "2000",
      description = "Concurrent slow streams in the last phase (0 to skip)")
  int streams;

  @Option(
      names = "--stream-tokens",
      defaultValue = "20",
      description = "Streams phase: tokens per stream")
  int streamTokens;

  @Option(
      names = "--stream-token-ms",
      defaultValue = "200",
      description = "Streams phase: delay between tokens")
  int streamTokenMs;

  @Option(
      names = "--receipts",
      defaultValue = "5000",
      description = "Receipts phase: receipts to sign and verify (0 to skip)")
  int receipts;

  @Override
  public Integer call() throws Exception {
    String receiptFigures = "";
    if (receipts > 0) {
      System.err.println("receipts ...");
      ReceiptBench.run(Math.min(receipts, 2000)); // warm-up
      receiptFigures = ReceiptBench.run(receipts);
    }
    Path dir = Files.createTempDirectory("pinaivu-bench");
    try (FakeOpenAiServer upstream =
            FakeOpenAiServer.builder()
                .model(FakeModel.of(MODEL))
                .replyTokens(replyTokens)
                .recordLimit(0)
                .start();
        BenchNetwork network =
            BenchNetwork.start(dir.resolve("state"), upstream.baseUrl(), MODEL, dir);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      Probe direct = new Probe(http, upstream.baseUrl(), "unused", MODEL);
      Probe viaNetwork = new Probe(http, network.baseUrl, network.key, MODEL);
      Report report = new Report(replyTokens, pacedTtftMs, pacedTokenMs);

      System.err.println("warming up for " + warmupSeconds + " s ...");
      Duration warmup = Duration.ofSeconds(warmupSeconds);
      LoadDriver.run(16, Long.MAX_VALUE, warmup.dividedBy(4), direct::complete);
      LoadDriver.run(16, Long.MAX_VALUE, warmup.dividedBy(4), viaNetwork::complete);
      LoadDriver.run(16, Long.MAX_VALUE, warmup.dividedBy(4), direct::timeToFirstToken);
      LoadDriver.run(16, Long.MAX_VALUE, warmup.dividedBy(4), viaNetwork::timeToFirstToken);

      Duration cap = Duration.ofMinutes(5);
      for (int c : new int[] {1, 64}) {
        int n = c == 1 ? serialRequests : requests;
        System.err.println("unpaced, concurrency " + c + " ...");
        report.latency(
            "unpaced",
            c,
            "non-streaming latency",
            LoadDriver.run(c, n, cap, direct::complete),
            LoadDriver.run(c, n, cap, viaNetwork::complete));
        report.latency(
            "unpaced",
            c,
            "time to first token",
            LoadDriver.run(c, n, cap, direct::timeToFirstToken),
            LoadDriver.run(c, n, cap, viaNetwork::timeToFirstToken));
      }

      System.err.println("saturation ...");
      Duration sat = Duration.ofSeconds(saturationSeconds);
      LoadDriver.Result directSat = LoadDriver.run(64, Long.MAX_VALUE, sat, direct::complete);
      long gatewayCpu = BenchNetwork.cpuMillis(network.gateway);
      long nodeCpu = BenchNetwork.cpuMillis(network.node);
      long coordinatorCpu = BenchNetwork.cpuMillis(network.coordinator.process);
      LoadDriver.Result networkSat = LoadDriver.run(64, Long.MAX_VALUE, sat, viaNetwork::complete);
      long served = Math.max(networkSat.latencyNanos().getTotalCount(), 1);
      report.saturation(directSat, networkSat);
      report.cpu(
          (BenchNetwork.cpuMillis(network.gateway) - gatewayCpu) * 1000.0 / served,
          (BenchNetwork.cpuMillis(network.node) - nodeCpu) * 1000.0 / served,
          (BenchNetwork.cpuMillis(network.coordinator.process) - coordinatorCpu) * 1000.0 / served);

      upstream.setTimeToFirstToken(Duration.ofMillis(pacedTtftMs));
      upstream.setTokenDelay(Duration.ofMillis(pacedTokenMs));
      for (int c : new int[] {1, 64}) {
        int n = c == 1 ? serialRequests / 2 : requests / 2;
        System.err.println("paced, concurrency " + c + " ...");
        report.latency(
            "paced",
            c,
            "time to first token",
            LoadDriver.run(c, n, cap, direct::timeToFirstToken),
            LoadDriver.run(c, n, cap, viaNetwork::timeToFirstToken));
      }

      if (streams > 0) {
        System.err.println(streams + " concurrent streams ...");
        upstream.setTimeToFirstToken(Duration.ZERO);
        upstream.setTokenDelay(Duration.ofMillis(streamTokenMs));
        upstream.setReplyTokens(streamTokens);
        LoadDriver.Result directStreams =
            LoadDriver.run(streams, streams, cap, direct::timeToFirstToken);
        AtomicLong peakThreads = new AtomicLong();
        Thread sampler =
            Thread.ofVirtual()
                .start(() -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    peakThreads.accumulateAndGet(network.gatewayThreads(), Math::max);
                    try {
                      Thread.sleep(100);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
        LoadDriver.Result result =
            LoadDriver.run(streams, streams, cap, viaNetwork::timeToFirstToken);
        sampler.interrupt();
        report.streams(
            streams, streamTokens, streamTokenMs, directStreams, result, peakThreads.get());
      }
      System.err.println("settlement and coordinator round trips ...");
      upstream.setTimeToFirstToken(Duration.ZERO); // unpaced again, whatever ran before
      upstream.setTokenDelay(Duration.ZERO);
      upstream.setReplyTokens(replyTokens);
      report.settlement(
          SettlementBench.receiptDelay(http, viaNetwork, network.baseUrl, network.key, 300),
          SettlementBench.dispatchRoundTrip(network.coordinator.client(), 2000));
      System.out.println(report.markdown());
      System.out.println(receiptFigures);
    }
    return 0;
  }
}
