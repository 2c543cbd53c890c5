package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.billing.PendingSettlement;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.functions.store.DynamoDbNetworkStores;
import dev.pinaivu.functions.store.DynamoDbPendingSettlements;
import dev.pinaivu.functions.testsupport.DynamoTransactionsFront;
import dev.pinaivu.gateway.store.SqliteDatabase;
import dev.pinaivu.testkit.FakeOpenAiServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway, in its own process, killed with SIGKILL under load: streams in the middle of their
 * answer, and settlements owed (the node's proof kept, the coordinator's receipt not yet stored:
 * the coordinator is held still, as a slow or restarting one would be). A new gateway on the same
 * data directory and port bills every owed settlement once, and the books balance. Run on the local
 * SQLite stores and with every store on DynamoDB (dynalite behind the test-only transactions
 * front), where the owed settlements, the ledger and the receipts outlive the process in the table.
 */
class GatewayCrashIT {
  @TempDir Path dir;

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"sqlite", "dynamodb"})
  void aGatewayKilledUnderLoad_billsWhatItOwed_onceTheNextOneStarts(String storeName)
      throws Exception {
    Path data = dir.resolve("gateway");
    Store store =
        storeName.equals("sqlite")
            ? new Sqlite(data)
            : new Dynamo("crash-" + UUID.randomUUID().toString().substring(0, 8) + "-");
    List<NodeProcess> nodes = new ArrayList<>();
    GatewayProcess first = null;
    try (FakeOpenAiServer fast = FakeOpenAiServer.builder().model("fast").start();
        FakeOpenAiServer slow = FakeOpenAiServer.builder().model("slow").start();
        CoordinatorProcess coordinator =
            CoordinatorProcess.start(500, dir.resolve(CoordinatorProcess.SECRET_FILE))) {
      fast.setTokenDelay(Duration.ofMillis(25));
      // still streaming when the gateway dies: 150 tokens, 60 s, however slowly a loaded machine
      // keeps the owed settlements (it once took longer than a 30-token echo on DynamoDB)
      slow.setTokenDelay(Duration.ofMillis(400));
      slow.setReplyTokens(150);
      first =
          GatewayProcess.start(
              data,
              store.environment(),
              store.options(
                  "--coordinator",
                  coordinator.hostPort(),
                  "--coordinator-secret-file",
                  coordinator.secretFile.toString(),
                  "--trust-nodes")); // four jobs at once on a new node: its claim, not yet shown
      String key = first.key();
      nodes.add(node(first, "fast", fast));
      nodes.add(node(first, "slow", slow));
      List<Future<Answer>> answers = new ArrayList<>();
      try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < 8; i++) { // settled before the crash
          answers.add(clients.submit(chat(first, key, "fast", i)));
        }
        awaitDone(answers);
        for (int i = 0; i < 4; i++) {
          answers.add(clients.submit(chat(first, key, "slow", i)));
        }
        List<Future<Answer>> owed = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
          owed.add(clients.submit(chat(first, key, "fast", 20 + i)));
        }
        answers.addAll(owed);
        awaitActive(slow, 4);
        awaitActive(fast, 4); // dispatched: their tokens are signed
        signal(coordinator, "STOP"); // receipts are no longer signed; proofs are kept owed
        awaitDone(owed);
        awaitPending(store, owed.stream().filter(GatewayCrashIT::complete).count());
        assertThat(slow.activeChatRequests())
            .as("streams in the middle of their answer")
            .isPositive();

        first.kill(); // SIGKILL
        signal(coordinator, "CONT");
        awaitDone(answers);
      }
      List<String> owedIds = store.pending();
      assertThat(owedIds).as("settlements owed when the gateway died").isNotEmpty();

      try (Network network = store.network(dir, first.port, coordinator.client())) {
        network.awaitLive(2); // the nodes reconnect by themselves
        Books books = new Books(network);
        ClientKey client = new Admin(network).devKey();
        for (Future<Answer> answer : answers) {
          answer.get().trackIn(books, client);
        }

        books.check();
        for (String id : owedIds) {
          assertThat(network.gateway.ledger().settlement(RequestId.parse(id)))
              .as("%s, owed when the gateway died", id)
              .isPresent();
        }
        assertThat(store.pending()).isEmpty();
      }
    } finally {
      for (NodeProcess node : nodes) {
        node.close();
      }
      if (first != null) {
        first.close();
      }
    }
  }

  /** A client's answer: streamed (fast or slow model) or not. */
  private record Answer(HttpResult whole, Sse stream) {
    void trackIn(Books books, ClientKey key) throws Exception {
      if (stream != null) {
        books.track(key, stream);
      } else {
        books.track(key, whole);
      }
    }
  }

  private static boolean complete(Future<Answer> f) {
    try {
      Answer a = f.get();
      return a.stream != null
          ? a.stream.status == 200 && a.stream.endedWithDone()
          : a.whole.status == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private static Callable<Answer> chat(GatewayProcess gateway, String key, String model, int n) {
    boolean stream = model.equals("slow") || n % 2 == 0;
    String body =
        "{\"model\":\""
            + model
            + "\",\"stream\":"
            + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\""
            + "word ".repeat(30 + n)
            + "\"}]}";
    return () ->
        stream
            ? new Answer(null, Sse.post(gateway.baseUrl, key, body, 10_000))
            : new Answer(HttpResult.post(gateway.baseUrl, key, body), null);
  }

  /** A node serving {@code model} from {@code upstream}, once the gateway lists it. */
  private static NodeProcess node(GatewayProcess gateway, String model, FakeOpenAiServer upstream)
      throws Exception {
    NodeProcess node =
        NodeProcess.start(
            gateway.baseUrl,
            gateway.dataDir.resolveSibling(model + "-node"),
            "--upstream",
            upstream.baseUrl());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (HttpResult.get(gateway.baseUrl + "/models/" + model, gateway.key()).status != 200) {
      assertThat(System.nanoTime()).as(node.output()).isLessThan(deadline);
      Thread.sleep(100); // until the node is live
    }
    return node;
  }

  private static void awaitDone(List<Future<Answer>> answers) throws Exception {
    for (Future<Answer> f : answers) {
      f.get(60, TimeUnit.SECONDS);
    }
  }

  private static void awaitActive(FakeOpenAiServer upstream, int jobs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (upstream.activeChatRequests() < jobs) {
      assertThat(System.nanoTime()).as("the node never got %d jobs", jobs).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  /** Waits until the gateway has kept {@code count} settlements owed (read-only, beside it). */
  private static void awaitPending(Store store, long count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (store.pending().size() < count) {
      assertThat(System.nanoTime()).as("owed settlements kept").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /** Where the gateways keep the network's state, and how the test reads what they owe. */
  private interface Store {
    /** The gateway process's options: {@code more} after the store's own. */
    String[] options(String... more);

    Map<String, String> environment();

    /** A gateway in this process on the same state, on {@code port}. */
    Network network(Path dir, int port, dev.pinaivu.core.coordinator.Coordinator coordinator);

    /** The request ids of the settlements owed now, read beside the running gateway. */
    List<String> pending() throws Exception;
  }

  /** The data directory's SQLite database, read-only. */
  private record Sqlite(Path data) implements Store {
    @Override
    public String[] options(String... more) {
      return more;
    }

    @Override
    public Map<String, String> environment() {
      return Map.of();
    }

    @Override
    public Network network(
        Path dir, int port, dev.pinaivu.core.coordinator.Coordinator coordinator) {
      return new Network(dir, port, coordinator);
    }

    @Override
    public List<String> pending() throws Exception {
      String url = "jdbc:sqlite:file:" + data.resolve(SqliteDatabase.FILE) + "?mode=ro";
      try (Connection c = DriverManager.getConnection(url);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT request_id FROM pending_settlements")) {
        List<String> ids = new ArrayList<>();
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
        return ids;
      }
    }
  }

  /** Every store on one network table, read through the DynamoDB adapter of the port. */
  private record Dynamo(String prefix) implements Store {
    private static final DynamoTransactionsFront FRONT = DynamoTransactionsFront.shared();

    Dynamo {
      DynamoDbNetworkStores.createIfAbsent(FRONT.client(), prefix);
    }

    @Override
    public String[] options(String... more) {
      List<String> all = new ArrayList<>(GatewayProcess.dynamoDbOptions(FRONT.endpoint(), prefix));
      all.addAll(List.of(more));
      return all.toArray(String[]::new);
    }

    @Override
    public Map<String, String> environment() {
      return GatewayProcess.EMULATOR_CREDENTIALS;
    }

    @Override
    public Network network(
        Path dir, int port, dev.pinaivu.core.coordinator.Coordinator coordinator) {
      return Network.onDynamoDb(dir, prefix, port, coordinator);
    }

    @Override
    public List<String> pending() {
      return new DynamoDbPendingSettlements(
              FRONT.client(), DynamoDbNetworkStores.networkTable(prefix))
          .keptUntil(Long.MAX_VALUE).stream()
              .map(PendingSettlement::requestId)
              .map(RequestId::value)
              .toList();
    }
  }

  /** Sends {@code signal} (STOP, CONT) to the coordinator's process. */
  private static void signal(CoordinatorProcess coordinator, String signal) throws Exception {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(coordinator.process.pid()))
            .inheritIO()
            .start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).isTrue();
  }
}
