package dev.pinaivu.cli;

import dev.pinaivu.coordinator.CoordinatorMain;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.ParentSecret;
import dev.pinaivu.core.coordinator.ParentSecretFile;
import dev.pinaivu.core.coordinator.client.TcpCoordinator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The coordinator in its own process, as it will run in its own enclave: started in dev mode on a
 * free loopback port, told to exit when this process does (its standard input closes). It serves
 * only clients that know the secret in {@link #secretFile}, made owner-only here when absent;
 * {@link #client} is such a client.
 */
public final class CoordinatorProcess implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("coordinator listening on ([0-9.]+):(\\d+) key ([0-9a-f]{64})");

  /** What `pinaivu up` calls the secret file in its data directory. */
  public static final String SECRET_FILE = "coordinator-secret";

  public final Process process;
  public final InetSocketAddress address;
  public final String keyId;
  public final Path secretFile;
  private final ParentSecret secret;
  private final int feeBps;
  private final String logOrigin;

  private CoordinatorProcess(
      Process process,
      InetSocketAddress address,
      String keyId,
      Path secretFile,
      ParentSecret secret,
      int feeBps,
      String logOrigin) {
    this.process = process;
    this.address = address;
    this.keyId = keyId;
    this.secretFile = secretFile;
    this.secret = secret;
    this.feeBps = feeBps;
    this.logOrigin = logOrigin;
  }

  public static CoordinatorProcess start(int feeBps, Path secretFile) throws IOException {
    return start(feeBps, CoordinatorOptions.DEFAULT_LOG_ORIGIN, secretFile);
  }

  /**
   * @param secretFile the parent secret, created (0600, in a 0700 directory) when absent
   * @throws IllegalArgumentException when the secret file exists but is open to others or malformed
   */
  public static CoordinatorProcess start(int feeBps, String logOrigin, Path secretFile)
      throws IOException {
    return start(feeBps, logOrigin, secretFile, 0);
  }

  /**
   * A new coordinator process (a new key) on this one's address, with the same secret file, fee and
   * log origin: what {@code pinaivu up} starts when this one died. Its parent's client reconnects
   * to it by itself.
   *
   * @throws IOException when it does not start (the port is taken, it exits at once)
   * @throws IllegalArgumentException when the secret file is no longer owner-only or malformed
   */
  public CoordinatorProcess restart() throws IOException {
    return start(feeBps, logOrigin, secretFile, address.getPort());
  }

  /**
   * @param port where to listen on loopback; 0 for any free port
   */
  public static CoordinatorProcess start(int feeBps, String logOrigin, Path secretFile, int port)
      throws IOException {
    ParentSecret secret = ParentSecretFile.createIfAbsent(secretFile);
    Process p =
        new ProcessBuilder(
                JavaCommand.of(
                    CoordinatorMain.class.getName(),
                    "--dev",
                    "--port",
                    Integer.toString(port),
                    "--fee-bps",
                    Integer.toString(feeBps),
                    "--log-origin",
                    logOrigin,
                    "--parent-secret-file",
                    secretFile.toString(),
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
      throw new IOException(
          "the coordinator did not start: "
              + (line == null ? "it exited (its error is printed above)" : line));
    }
    Thread.ofVirtual().start(() -> out.lines().forEach(System.out::println));
    return new CoordinatorProcess(
        p,
        new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))),
        m.group(3),
        secretFile,
        secret,
        feeBps,
        logOrigin);
  }

  /** A client of this coordinator that authenticates with the secret. */
  public TcpCoordinator client() {
    return new TcpCoordinator(address, secret);
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
