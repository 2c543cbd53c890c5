package dev.pinaivu.cli;

import dev.pinaivu.coordinator.CoordinatorMain;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The coordinator in its own process, as it will run in its own enclave: started in dev mode on a
 * free loopback port, told to exit when this process does (its standard input closes).
 */
public final class CoordinatorProcess implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("coordinator listening on ([0-9.]+):(\\d+) key ([0-9a-f]{64})");

  public final Process process;
  public final InetSocketAddress address;
  public final String keyId;

  private CoordinatorProcess(Process process, InetSocketAddress address, String keyId) {
    this.process = process;
    this.address = address;
    this.keyId = keyId;
  }

  public static CoordinatorProcess start(int feeBps) throws IOException {
    return start(feeBps, CoordinatorOptions.DEFAULT_LOG_ORIGIN);
  }

  public static CoordinatorProcess start(int feeBps, String logOrigin) throws IOException {
    Process p =
        new ProcessBuilder(
                JavaCommand.of(
                    CoordinatorMain.class.getName(),
                    "--dev",
                    "--port",
                    "0",
                    "--fee-bps",
                    Integer.toString(feeBps),
                    "--log-origin",
                    logOrigin,
                    "--exit-with-parent"))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    Matcher m = null;
    String line = null;
    for (int i = 0; i < 50 && (line = out.readLine()) != null; i++) { // JVM notices may come first
      m = LISTENING.matcher(line);
      if (m.find()) {
        break;
      }
      m = null;
    }
    if (m == null) {
      p.destroyForcibly();
      throw new IOException("the coordinator did not start: " + line);
    }
    Thread.ofVirtual().start(() -> out.lines().forEach(System.out::println));
    return new CoordinatorProcess(
        p, new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))), m.group(3));
  }

  /** {@code host:port}, as {@code pinaivu gateway --coordinator} takes it. */
  public String hostPort() {
    return address.getHostString() + ":" + address.getPort();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
