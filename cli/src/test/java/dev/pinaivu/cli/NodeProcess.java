package dev.pinaivu.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real node agent in its own JVM, started the way an operator would start one. */
public final class NodeProcess implements AutoCloseable {
  final Process process;
  final Path log;

  private NodeProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static NodeProcess start(String gatewayUrl, Path dataDir, String... extraArgs)
      throws IOException {
    Files.createDirectories(dataDir);
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Pinaivu.class.getName());
    command.add("node");
    command.add("--gateway");
    command.add(gatewayUrl);
    command.add("--data-dir");
    command.add(dataDir.toString());
    command.add("--trust-dev-coordinator");
    command.addAll(List.of(extraArgs));
    Path log = dataDir.resolve("agent.log");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new NodeProcess(p, log);
  }

  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
