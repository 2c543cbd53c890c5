package dev.pinaivu.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code pinaivu gateway} in its own JVM, started as an operator would, on a free port. */
final class GatewayProcess implements AutoCloseable {
  final Process process;
  final Path dataDir;
  final int port;
  final String baseUrl;
  private final List<String> output;

  private GatewayProcess(
      Process process, Path dataDir, int port, String baseUrl, List<String> output) {
    this.process = process;
    this.dataDir = dataDir;
    this.port = port;
    this.baseUrl = baseUrl;
    this.output = output;
  }

  /**
   * Starts it with {@code options} after {@code --port} and {@code --data-dir}, and waits for its
   * banner.
   *
   * @param environment variables added to the child's environment
   */
  static GatewayProcess start(Path dataDir, Map<String, String> environment, String... options)
      throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of("gateway", "--port", Integer.toString(port), "--data-dir", dataDir.toString()));
    args.addAll(List.of(options));
    ProcessBuilder builder =
        new ProcessBuilder(JavaCommand.of(Pinaivu.class.getName(), args.toArray(String[]::new)))
            .redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    String baseUrl = "http://127.0.0.1:" + port + "/v1";
    List<String> output = new ArrayList<>();
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = reader.readLine()) != null; ) {
      output.add(line);
      if (line.contains("Base URL : " + baseUrl)) {
        Thread.ofVirtual()
            .start(() ->
                reader
                    .lines()
                    .forEach(l -> {
                      synchronized (output) {
                        output.add(l);
                      }
                    }));
        return new GatewayProcess(process, dataDir, port, baseUrl, output);
      }
    }
    throw new AssertionError("the gateway did not start: " + String.join("\n", output));
  }

  /** AWS credentials for a child process on an emulator, which takes any pair. */
  static final Map<String, String> EMULATOR_CREDENTIALS =
      Map.of("AWS_ACCESS_KEY_ID", "dynalite", "AWS_SECRET_ACCESS_KEY", "dynalite");

  /** The options that put every store on the table {@code prefix + network} at {@code endpoint}. */
  static List<String> dynamoDbOptions(java.net.URI endpoint, String prefix) {
    return List.of(
        "--store",
        "dynamodb",
        "--dynamodb-endpoint",
        endpoint.toString(),
        "--aws-region",
        "us-east-1",
        "--table-prefix",
        prefix);
  }

  /** The development key it made in its data directory. */
  String key() throws IOException {
    return Files.readString(dataDir.resolve("dev-api-key")).strip();
  }

  String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /** SIGKILL, as a crashed machine or the OOM killer would end it. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
