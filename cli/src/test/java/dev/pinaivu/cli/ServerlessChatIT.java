package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.pinaivu.core.auth.KeyIssuer;
import dev.pinaivu.core.auth.NewKey;
import dev.pinaivu.core.auth.Scope;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.coordinator.OpenedLogs;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.reputation.ConductRules;
import dev.pinaivu.core.reputation.NodePolicy;
import dev.pinaivu.core.usage.StoredReceipt;
import dev.pinaivu.functions.api.ChatHandler;
import dev.pinaivu.functions.api.ServerlessChat;
import dev.pinaivu.functions.nodes.ManagementApiLinks;
import dev.pinaivu.functions.nodes.NodeSocketHandler;
import dev.pinaivu.functions.runtime.RuntimeApiStandIn;
import dev.pinaivu.functions.secrets.SecretsManagerSecrets;
import dev.pinaivu.functions.secrets.SecretsManagerTestServer;
import dev.pinaivu.functions.store.DynamoDbApiKeyStore;
import dev.pinaivu.functions.store.DynamoDbConductRecords;
import dev.pinaivu.functions.store.DynamoDbCoordinatorKeys;
import dev.pinaivu.functions.store.DynamoDbJobRoutes;
import dev.pinaivu.functions.store.DynamoDbLedger;
import dev.pinaivu.functions.store.DynamoDbNetworkStores;
import dev.pinaivu.functions.store.DynamoDbNodeConnections;
import dev.pinaivu.functions.store.DynamoDbNodeRegistry;
import dev.pinaivu.functions.store.DynamoDbReceiptStore;
import dev.pinaivu.functions.testsupport.DynamoTransactionsFront;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serverless deployment end to end on this machine: the official OpenAI SDK calls a loopback
 * stand-in of API Gateway's streaming REST API, which invokes the real {@link ChatHandler} in its
 * streaming runtime loop through the Runtime API stand-in; the handler dispatches to a real {@code
 * pinaivu node} process connected through the WebSocket API stand-in to the real {@link
 * NodeSocketHandler}, both functions on dynalite (with the transactions front), secrets from the
 * Secrets Manager test server. Stand-ins are test code. The coordinator runs in this JVM (a dev
 * {@link CoordinatorService}), not behind TCP: the TCP client has its own tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerlessChatIT {
  private static final DynamoTransactionsFront FRONT = DynamoTransactionsFront.shared();
  private static final String MODEL = "pinaivu-demo-echo";
  private static final String ACCOUNT = "acct_serverless";
  private static final long CREDIT = 5_000_000;

  @TempDir static Path dir;

  private final CoordinatorService coordinator =
      OpenedLogs.dev(CoordinatorOptions.withFees(new FeePolicy(500)));
  private String table;
  private SecretsManagerTestServer secrets;
  private ApiGatewayWebSocketStandIn sockets;
  private RuntimeApiStandIn runtimeApi;
  private RuntimeApiStandIn.Loop loop;
  private ApiGatewayRestStandIn rest;
  private NodeProcess node;
  private OpenAIClient client;
  private DynamoDbNodeRegistry registry;

  @BeforeAll
  void start() throws Exception {
    System.setProperty("aws.accessKeyId", "stand-in");
    System.setProperty("aws.secretAccessKey", "stand-in");
    String prefix = "chat-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    DynamoDbNetworkStores.createIfAbsent(FRONT.client(), prefix);
    table = DynamoDbNetworkStores.networkTable(prefix);
    secrets = new SecretsManagerTestServer();
    secrets.put("pinaivu/relay-secret", "relay-" + UUID.randomUUID());
    secrets.put("pinaivu/account-ref-secret", HexFormat.of().formatHex(new byte[32]));
    SecretsManagerSecrets deployment = new SecretsManagerSecrets(secrets.client(), "pinaivu/");

    registry = new DynamoDbNodeRegistry(FRONT.client(), table);
    DynamoDbCoordinatorKeys keys = new DynamoDbCoordinatorKeys(FRONT.client(), table);
    keys.remember(coordinator.identity(), System.currentTimeMillis());
    NodeSocketHandler[] socketHandler = new NodeSocketHandler[1];
    sockets = new ApiGatewayWebSocketStandIn(event -> socketHandler[0].handleRequest(event, null));
    ManagementApiLinks links = ManagementApiLinks.forStage("us-east-1", sockets.managementApi());
    socketHandler[0] =
        new NodeSocketHandler(
            new NodeSocketHandler.Parts(
                new DynamoDbNodeConnections(FRONT.client(), table),
                registry,
                new DynamoDbConductRecords(FRONT.client(), table),
                ConductRules.DEFAULTS,
                NodePolicy.DEFAULTS.admission(),
                endpoint -> links,
                keys::all,
                1_000,
                InstantSource.system(),
                new DynamoDbJobRoutes(FRONT.client(), table),
                () ->
                    deployment
                        .secret("relay-secret", () -> null)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    node =
        NodeProcess.start(
            sockets.nodeUrl().toString(), dir.resolve("node"), "--gateway-handshake", "HEADERS");
    for (int i = 0; i < 300 && registry.all(System.currentTimeMillis()).isEmpty(); i++) {
      Thread.sleep(100);
    }
    assertThat(registry.all(System.currentTimeMillis())).as(node.output()).isNotEmpty();

    runtimeApi = new RuntimeApiStandIn();
    loop =
        runtimeApi.serve(
            new ChatHandler(
                new ServerlessChat(
                    new ServerlessChat.Clients(
                        FRONT.client(),
                        prefix,
                        coordinator,
                        deployment,
                        sockets.nodeUrl(),
                        links))));
    rest = new ApiGatewayRestStandIn(runtimeApi);

    KeyIssuer issuer =
        new KeyIssuer(new DynamoDbApiKeyStore(FRONT.client(), table), Clock.systemUTC());
    String key =
        issuer
            .issue(new NewKey("serverless", ACCOUNT, Scope.all(), Set.of(), null, null, null))
            .key()
            .reveal();
    ledger().credit(ACCOUNT, CREDIT, "pay_serverless");
    client = OpenAIOkHttpClient.builder().baseUrl(rest.baseUrl()).apiKey(key).maxRetries(0).build();
  }

  @AfterAll
  void stop() throws Exception {
    client.close();
    rest.close();
    runtimeApi.close();
    loop.join(Duration.ofSeconds(10));
    node.close();
    sockets.close();
    secrets.close();
  }

  private DynamoDbLedger ledger() {
    return new DynamoDbLedger(FRONT.client(), table, Clock.systemUTC());
  }

  private static ChatCompletionCreateParams params(String model, String text) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(text).build();
  }

  @Test
  void aStreamedAnswerArrivesChunkByChunkWithItsRequestId_andIsBilledByItsReceipt()
      throws Exception {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params(MODEL, "hello through lambda"))) {
      stream.stream().forEach(chunks::add);
    }
    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
    assertThat(text.toString()).contains("You said: hello through lambda");
    String requestId =
        chunks.getFirst()._additionalProperties().get("request_id").asStringOrThrow();
    assertThat(chunks)
        .allSatisfy(c ->
            assertThat(c._additionalProperties().get("request_id").asStringOrThrow())
                .isEqualTo(requestId));

    StoredReceipt receipt = awaitReceipt(requestId);
    assertThat(receipt.accountId()).isEqualTo(ACCOUNT);
    assertThat(receipt.model()).isEqualTo(MODEL);
    assertThat(receipt.completionTokens()).isPositive();
    assertThat(receipt.nodeId())
        .isEqualTo(registry.all(System.currentTimeMillis()).getFirst().nodeId().value());
  }

  @Test
  void aWholeAnswerComesBackAsOneCompletion_andTheBooksBalance() throws Exception {
    long before = ledger().balance(AccountId.client(ACCOUNT));
    ChatCompletion completion = client.chat().completions().create(params(MODEL, "once, whole"));
    assertThat(completion.choices().getFirst().message().content().orElseThrow())
        .contains("You said: once, whole");
    String requestId = completion._additionalProperties().get("request_id").asStringOrThrow();

    StoredReceipt receipt = awaitReceipt(requestId);
    long after = ledger().balance(AccountId.client(ACCOUNT));
    assertThat(before - after)
        .as("the client paid exactly what its receipt says")
        .isEqualTo(receipt.totalChargedMicros());
  }

  @Test
  void aBadKeyIs401_andAModelNoNodeServesIs404_asTheLocalGatewayAnswers() {
    OpenAIClient stranger =
        OpenAIOkHttpClient.builder()
            .baseUrl(rest.baseUrl())
            .apiKey("sk-pnv-not-a-key")
            .maxRetries(0)
            .build();
    try {
      assertThatThrownBy(() -> stranger.chat().completions().create(params(MODEL, "hi")))
          .isInstanceOf(UnauthorizedException.class);
    } finally {
      stranger.close();
    }
    assertThatThrownBy(() -> client.chat().completions().create(params("no-such-model", "hi")))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("does not exist");
  }

  private StoredReceipt awaitReceipt(String requestId) throws Exception {
    DynamoDbReceiptStore receipts = new DynamoDbReceiptStore(FRONT.client(), table);
    for (int i = 0; i < 100; i++) {
      var found = receipts.find(RequestId.parse(requestId));
      if (found.isPresent()) {
        return found.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no receipt for " + requestId + "; the node said:\n" + node.output());
  }
}
