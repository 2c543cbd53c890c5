package dev.pinaivu.functions.testsupport;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * dynalite (an in-memory DynamoDB emulator on Node) for integration tests: one process per test
 * JVM, on loopback only, started on first use and killed when the JVM exits. Each test makes its
 * own table ({@link #uniqueTableName}), so tests stay independent. The Maven build installs
 * dynalite with {@code npm ci} from {@code src/test/emulators} and passes its {@code cli.js} as the
 * system property {@code dynalite.cli}. dynalite lacks transactions (TransactWriteItems), TTL and
 * streams.
 */
public final class Dynalite {
  private static final String READY = "Dynalite listening at:";
  private static final long START_TIMEOUT_SECONDS = 30;
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static Dynalite shared;

  private final Process process;
  private final URI endpoint;
  private final DynamoDbClient client;

  private Dynalite(Process process, int port) {
    this.process = process;
    this.endpoint = URI.create("http://127.0.0.1:" + port);
    this.client = newClient();
  }

  /** The JVM's dynalite, started on the first call. */
  public static synchronized Dynalite shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "dynalite-stop"));
    }
    return shared;
  }

  public URI endpoint() {
    return endpoint;
  }

  /** A client shared by the JVM's tests; do not close it. */
  public DynamoDbClient client() {
    return client;
  }

  /** A new client to this dynalite (us-east-1, dummy credentials); the caller closes it. */
  public DynamoDbClient newClient() {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("dummy", "dummy")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  /** A table name no other test of this JVM uses. */
  public static String uniqueTableName(String prefix) {
    return prefix + "-" + TABLES.incrementAndGet() + "-" + ProcessHandle.current().pid();
  }

  private static Dynalite start() {
    Path cli = cli();
    for (int attempt = 1; ; attempt++) {
      try {
        return start(cli, freeLoopbackPort());
      } catch (IllegalStateException e) {
        // the free port was taken between finding it and dynalite binding it
        if (attempt == 3 || !String.valueOf(e.getMessage()).contains("EADDRINUSE")) {
          throw e;
        }
      }
    }
  }

  private static Dynalite start(Path cli, int port) {
    long started = System.nanoTime();
    ProcessBuilder builder =
        new ProcessBuilder(
            List.of(
                "node",
                cli.toString(),
                "--host",
                "127.0.0.1", // without it dynalite listens on every interface
                "--port",
                Integer.toString(port), // "--port 0" means its default 4567, not a free port
                "--createTableMs",
                "0",
                "--deleteTableMs",
                "0",
                "--updateTableMs",
                "0"));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run node (needed for dynalite): " + e.getMessage());
    }
    CompletableFuture<Void> ready = new CompletableFuture<>();
    StringBuilder stderr = new StringBuilder();
    drain(
        process.getInputStream(),
        line -> {
          if (line.startsWith(READY)) {
            ready.complete(null);
          }
        });
    Thread errors =
        drain(
            process.getErrorStream(),
            line -> {
              synchronized (stderr) {
                stderr.append(line).append('\n');
              }
            });
    process
        .onExit()
        .thenRun(() -> ready.completeExceptionally(new IllegalStateException("exited")));
    try {
      ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw failed(
          process, errors, port, "said nothing within " + START_TIMEOUT_SECONDS + " s", stderr);
    } catch (ExecutionException e) {
      throw failed(process, errors, port, "exited", stderr);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed(process, errors, port, "was interrupted", stderr);
    }
    System.err.printf(
        "dynalite ready on 127.0.0.1:%d in %d ms%n",
        port, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    return new Dynalite(process, port);
  }

  private static IllegalStateException failed(
      Process process, Thread errors, int port, String what, StringBuilder stderr) {
    process.destroyForcibly();
    try {
      errors.join(1000); // the last lines of a process that exited
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (stderr) {
      return new IllegalStateException(
          "dynalite on 127.0.0.1:" + port + " did not start: it " + what + "; stderr:\n" + stderr);
    }
  }

  private static Path cli() {
    Path cli =
        Path.of(
            System.getProperty("dynalite.cli", "target/emulators/node_modules/dynalite/cli.js"));
    if (!Files.isRegularFile(cli)) {
      throw new IllegalStateException(
          "dynalite is not installed at "
              + cli.toAbsolutePath()
              + "; `./mvnw -pl functions -am generate-test-resources` runs npm ci for it");
    }
    return cli;
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port", e);
    }
  }

  private static Thread drain(InputStream stream, Consumer<String> lines) {
    return Thread.ofPlatform()
        .daemon()
        .name("dynalite-output")
        .start(() -> {
          try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
              lines.accept(line);
            }
          } catch (IOException e) {
            // the process is gone; nothing more to read
          }
        });
  }

  private void stop() {
    client.close();
    process.destroy();
    try {
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
