package dev.pinaivu.cli.bench;

import dev.pinaivu.cli.CoordinatorProcess;
import dev.pinaivu.cli.Pinaivu;
import dev.pinaivu.gateway.connections.ClientLimits;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The network under test, shaped as in production: the gateway and the node agent each in their own
 * JVM, started through the same command line a user runs.
 */
final class BenchNetwork implements AutoCloseable {
  final CoordinatorProcess coordinator;
  final Process gateway;
  final Process node;
  final String baseUrl;
  final String key;

  private BenchNetwork(
      CoordinatorProcess coordinator, Process gateway, Process node, String baseUrl, String key) {
    this.coordinator = coordinator;
    this.gateway = gateway;
    this.node = node;
    this.baseUrl = baseUrl;
    this.key = key;
  }

  /**
   * A coordinator and a gateway process on the data dir {@code dir}, the gateway's output in {@code
   * log}, run as a user runs them; {@code args} are more gateway flags. Returns once the gateway
   * answers and has written its development key.
   */
  record Gateway(CoordinatorProcess coordinator, Process process, String baseUrl, Path dataDir) {
    static Gateway start(Path dir, Path log, String... args) throws Exception {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      CoordinatorProcess coordinator =
          CoordinatorProcess.start(500, dir.resolve(CoordinatorProcess.SECRET_FILE));
      List<String> command =
          new ArrayList<>(
              List.of(
                  "gateway",
                  "--port",
                  Integer.toString(port),
                  "--data-dir",
                  dir.toString(),
                  "--coordinator",
                  coordinator.hostPort(),
                  "--coordinator-secret-file",
                  coordinator.secretFile.toString(),
                  // the load driver is one client address holding thousands of streams
                  "--max-connections-per-client",
                  Integer.toString(ClientLimits.DEFAULT_CONNECTIONS)));
      command.addAll(List.of(args));
      Process gateway = java(log, command.toArray(String[]::new));
      String baseUrl = "http://127.0.0.1:" + port + "/v1";
      Path keyFile = dir.resolve("dev-api-key");
      waitFor(() -> Files.exists(keyFile) && reachable(baseUrl), gateway, "the gateway to start");
      return new Gateway(coordinator, gateway, baseUrl, dir);
    }

    /** The development key the gateway wrote. */
    String key() throws IOException {
      return Files.readString(dataDir.resolve("dev-api-key")).strip();
    }
  }

  static BenchNetwork start(Path dir, String upstreamUrl, String model, Path logDir)
      throws Exception {
    // its one node is ours: trusted with the capacity it claims from the first request, not the
    // 2 jobs a stranger starts with (ADR 22), which would measure 503s
    Gateway started = Gateway.start(dir, logDir.resolve("gateway.log"), "--trust-nodes");
    CoordinatorProcess coordinator = started.coordinator();
    Process gateway = started.process();
    String baseUrl = started.baseUrl();
    String key = started.key();
    Process node =
        java(
            logDir.resolve("node.log"),
            "node",
            "--gateway",
            baseUrl,
            "--upstream",
            upstreamUrl,
            "--capacity",
            "10000",
            "--data-dir",
            dir.resolve("node").toString(),
            "--trust-dev-coordinator");
    waitFor(() -> models(baseUrl, key).contains("\"" + model + "\""), node, "the node to go live");
    return new BenchNetwork(coordinator, gateway, node, baseUrl, key);
  }

  /** Starts {@code pinaivu args} in a new JVM with this one's class path, output to {@code log}. */
  static Process java(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Pinaivu.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void waitFor(Check check, Process process, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!check.ok()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  static boolean reachable(String baseUrl) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      http.send(
          HttpRequest.newBuilder(URI.create(baseUrl + "/models")).build(),
          HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  static String models(String baseUrl, String key) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(URI.create(baseUrl + "/models"))
                  .header("Authorization", "Bearer " + key)
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }

  /** CPU time (user + system) a process has used so far, in milliseconds (Linux /proc), or -1. */
  static long cpuMillis(Process process) {
    try {
      String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
      return ticks * 10; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Live threads of the gateway process (Linux /proc), or -1 elsewhere. */
  long gatewayThreads() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + gateway.pid() + "/status"))) {
        if (line.startsWith("Threads:")) {
          return Long.parseLong(line.substring(8).strip());
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return -1;
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : List.of(node, gateway)) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    coordinator.close();
  }
}
