package dev.pinaivu.functions.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * dynalite (an in-memory DynamoDB emulator on Node) for integration tests: one process per test
 * JVM, on loopback only, started on first use and killed when the JVM exits. Each test makes its
 * own table ({@link #uniqueTableName}), so tests stay independent. The Maven build installs
 * dynalite with {@code npm ci} from {@code src/test/emulators} and passes its {@code cli.js} as the
 * system property {@code dynalite.cli}. dynalite lacks transactions (TransactWriteItems), TTL and
 * streams: {@link DynamoTransactionsFront} adds the first two in front of it.
 */
public final class Dynalite {
  private static final Pattern READY = Pattern.compile("^Dynalite listening at:");
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static Dynalite shared;

  private final NodeProcess process;
  private final URI endpoint;
  private final DynamoDbClient client;

  private Dynalite(NodeProcess process, int port) {
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
    return EmulatorClients.to(endpoint);
  }

  /** A table name no other test of this JVM uses. */
  public static String uniqueTableName(String prefix) {
    return prefix + "-" + TABLES.incrementAndGet() + "-" + ProcessHandle.current().pid();
  }

  /** The installed dynalite's {@code cli.js}; the other emulators sit beside its node_modules. */
  static Path cli() {
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

  private static Dynalite start() {
    Path cli = cli();
    for (int attempt = 1; ; attempt++) {
      int port = freeLoopbackPort();
      try {
        return new Dynalite(NodeProcess.start("dynalite", arguments(cli, port), READY), port);
      } catch (IllegalStateException e) {
        // the free port was taken between finding it and dynalite binding it
        if (attempt == 3 || !String.valueOf(e.getMessage()).contains("EADDRINUSE")) {
          throw e;
        }
      }
    }
  }

  private static List<String> arguments(Path cli, int port) {
    return List.of(
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
        "0");
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port", e);
    }
  }

  private void stop() {
    client.close();
    process.stop();
  }
}
