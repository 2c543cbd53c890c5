package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.Ledger;
import dev.pinaivu.core.ledger.LedgerTotals;
import dev.pinaivu.core.ledger.Settlement;
import dev.pinaivu.core.ledger.SettlementResult;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.RegisteredNode;
import dev.pinaivu.core.receipt.AccountRef;
import dev.pinaivu.core.receipt.AccountSecrets;
import dev.pinaivu.functions.secrets.SecretsManagerTestServer;
import dev.pinaivu.functions.store.DynamoDbConductRecords;
import dev.pinaivu.functions.store.DynamoDbLedger;
import dev.pinaivu.functions.store.DynamoDbNetworkStores;
import dev.pinaivu.functions.store.DynamoDbNodeRegistry;
import dev.pinaivu.functions.testsupport.DynamoTransactionsFront;
import dev.pinaivu.gateway.GatewayConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code pinaivu gateway --store dynamodb} processes on one network table (dynalite behind the
 * test-only transactions front, on loopback), each with its own node agent and its own development
 * coordinator: they serve one network. A key revoked through one is refused by the other within the
 * 1 s key cache; a key's RPM holds across both; receipts and usage read the same on both; and with
 * both settling at once the money adds up. Both read their admin token and the secret behind {@code
 * account_ref} from Secrets Manager (a loopback test server speaking its protocol, not AWS), so an
 * account's receipts carry one {@code account_ref} whichever gateway served them.
 */
class TwoGatewaysIT {
  private static final String CHAT =
      "{\"model\":\"pinaivu-demo-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String ACCOUNT = "acct_two";
  private static final long CREDIT_MICROS = 5_000_000;

  @TempDir static Path dir;

  private static final DynamoTransactionsFront FRONT = DynamoTransactionsFront.shared();
  private static final String PREFIX = "two-" + UUID.randomUUID().toString().substring(0, 8) + "-";
  private static GatewayProcess one;
  private static GatewayProcess other;
  private static NodeProcess nodeOfOne;
  private static NodeProcess nodeOfOther;
  private static Ledger ledger;
  private static SecretsManagerTestServer secretsManager;
  private static final String SECRETS = "pinaivu/two/";
  private static final String ACCOUNT_REF_SECRET =
      java.util.HexFormat.of().formatHex(UUID.randomUUID().toString().getBytes());
  private static final String ADMIN_TOKEN =
      "pnv-admin-" + UUID.randomUUID().toString().replace("-", "");

  @BeforeAll
  static void startTwoGateways() throws Exception {
    // the in-process CLI runs (keys, accounts) take credentials from the SDK's chain too
    System.setProperty("aws.accessKeyId", "dynalite");
    System.setProperty("aws.secretAccessKey", "dynalite");
    secretsManager = new SecretsManagerTestServer();
    secretsManager.put(SECRETS + "admin-token", ADMIN_TOKEN);
    secretsManager.put(SECRETS + "account-ref-secret", ACCOUNT_REF_SECRET);
    one = gateway(dir.resolve("one"), "--create-tables");
    other = gateway(dir.resolve("other"));
    nodeOfOne = NodeProcess.start(one.baseUrl, dir.resolve("node-one"));
    nodeOfOther = NodeProcess.start(other.baseUrl, dir.resolve("node-other"));
    ledger =
        new DynamoDbLedger(
            FRONT.client(), DynamoDbNetworkStores.networkTable(PREFIX), InstantSource.system());
    CliRun credit = cli("accounts", "credit", "--account", ACCOUNT, "--amount", "5.00");
    assertThat(credit.exit()).as(credit.err()).isZero();
    String probe = createKey("--name", "probe");
    awaitAnswer(one, probe, nodeOfOne);
    awaitAnswer(other, probe, nodeOfOther);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c :
        new AutoCloseable[] {nodeOfOne, nodeOfOther, one, other, secretsManager}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void bothReadTheirSecretsFromSecretsManager_andMakeNoneInTheirDataDirectories() {
    assertThat(secretsManager.requested().stream().filter(id -> id.startsWith(SECRETS)))
        .containsOnly(SECRETS + "admin-token", SECRETS + "account-ref-secret")
        .hasSize(4); // each secret once per process
    for (GatewayProcess g : List.of(one, other)) {
      assertThat(g.dataDir.resolve("admin-token")).doesNotExist();
      assertThat(g.dataDir.resolve("account-ref-secret")).doesNotExist();
    }
    assertThat(one.output()).contains("token in Secrets Manager secret " + SECRETS + "admin-token");
  }

  @Test
  void aGatewayWhoseSecretsTheDeploymentDidNotMake_refusesToStart_namingTheSecret() {
    CliRun run =
        cli(
            "gateway",
            "--port",
            "0",
            "--data-dir",
            dir.resolve("unmade").toString(),
            "--secrets-manager-prefix",
            "pinaivu/unmade/",
            "--secrets-manager-endpoint",
            secretsManager.endpoint().toString());
    assertThat(run.exit()).as(run.out()).isEqualTo(1);
    assertThat(run.err()).contains("pinaivu/unmade/admin-token");
  }

  @Test
  void bothGatewaysNodes_areInOneRegistry_eachOnAConnectionOfItsOwnProcess_withTheirConduct() {
    long now = System.currentTimeMillis();
    List<RegisteredNode> nodes =
        new DynamoDbNodeRegistry(FRONT.client(), DynamoDbNetworkStores.networkTable(PREFIX))
            .all(now);

    DynamoDbConductRecords conduct =
        new DynamoDbConductRecords(FRONT.client(), DynamoDbNetworkStores.networkTable(PREFIX));
    assertThat(nodes).hasSize(2);
    assertThat(nodes.stream().map(n -> n.entry().connection().split("/")[0]).distinct())
        .as("one hub per gateway process")
        .hasSize(2);
    for (RegisteredNode node : nodes) {
      assertThat(node.entry().offer().models())
          .extracting(ModelOffer::id)
          .contains("pinaivu-demo-echo");
      assertThat(node.fresh(now, 3 * GatewayConfig.DEFAULT_HEARTBEAT_MS)).isTrue();
      // what it did is where the other gateway would read it, were the node to connect there
      assertThat(conduct.find(node.nodeId()))
          .hasValueSatisfying(r -> assertThat(r.successes()).isPositive());
    }
  }

  @Test
  void aKeyRevokedThroughOne_isRefusedByTheOther_within1s() throws Exception {
    String key = createKey("--name", "to-revoke");
    String id = keyId("to-revoke");
    assertThat(HttpResult.post(other.baseUrl, key, CHAT).status).isEqualTo(200); // cached there

    HttpResponse<String> revoked = admin(one, "DELETE", "/admin/v1/keys/" + id);
    long revokedAt = System.nanoTime();
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
    assertThat(HttpResult.post(one.baseUrl, key, CHAT).status).isEqualTo(401); // at once there

    int status = 200;
    while (status != 401 && System.nanoTime() - revokedAt < 1_000_000_000L) {
      status = HttpResult.get(other.baseUrl + "/models", key).status;
      Thread.sleep(20);
    }
    System.out.printf(
        "TwoGatewaysIT: the other gateway refused the revoked key %d ms after the revocation%n",
        (System.nanoTime() - revokedAt) / 1_000_000);
    Thread.sleep(Math.max(0, 1_000 - (System.nanoTime() - revokedAt) / 1_000_000));
    assertThat(HttpResult.post(other.baseUrl, key, CHAT).status)
        .as("a second after the revocation, the other gateway still took the key")
        .isEqualTo(401);
  }

  @Test
  void aKeysRpm_holdsAcrossBothGateways_notTwiceOver() throws Exception {
    String key = createKey("--name", "rpm-4", "--rpm", "4");
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      GatewayProcess g = i % 2 == 0 ? one : other;
      statuses.add(HttpResult.post(g.baseUrl, key, CHAT).status);
    }

    assertThat(statuses.stream().filter(s -> s == 200).count()).as("%s", statuses).isEqualTo(4);
    assertThat(statuses.stream().filter(s -> s == 429).count()).as("%s", statuses).isEqualTo(6);
  }

  @Test
  void bothSettlingAtOnce_conserveMoney_andReceiptsAndUsageReadTheSameOnBoth() throws Exception {
    String key = createKey("--name", "money", "--account", "acct_money");
    CliRun credit = cli("accounts", "credit", "--account", "acct_money", "--amount", "1.00");
    assertThat(credit.exit()).as(credit.err()).isZero();
    List<String> answered = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<HttpResult>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        GatewayProcess g = i % 2 == 0 ? one : other;
        calls.add(pool.submit(() -> HttpResult.post(g.baseUrl, key, CHAT)));
      }
      for (Future<HttpResult> call : calls) {
        HttpResult r = call.get();
        assertThat(r.status).as(r.body).isIn(200, 503); // a busy node may refuse; never a 5xx else
        if (r.status == 200) {
          answered.add(Json.parse(r.body).get("request_id").asText());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(answered).hasSizeGreaterThanOrEqualTo(4);

    long charged = 0;
    AccountSecrets deployments = AccountSecrets.from((name, fresh) -> ACCOUNT_REF_SECRET);
    byte[] accountSecret = deployments.apply("acct_money");
    List<String> wrongRefs = new ArrayList<>();
    java.util.Set<String> signers = new java.util.HashSet<>();
    for (String id : answered) {
      JsonNode onOne = awaitReceipt(one, key, id);
      if (!onOne
          .at("/receipt/account_ref")
          .asText()
          .equals(AccountRef.of(accountSecret, RequestId.parse(id)))) {
        wrongRefs.add(id);
      }
      signers.add(onOne.at("/receipt/coordinator_key_id").asText());
      JsonNode onOther = awaitReceipt(other, key, id);
      assertThat(withoutLog(onOther)).isEqualTo(withoutLog(onOne));
      long total = onOne.at("/receipt/charge/total_charged").asLong();
      charged += total;
      Settlement settled = ledger.settlement(RequestId.parse(id)).orElseThrow();
      assertThat(settled.totalMicros()).isEqualTo(total);
      assertThat(ledger.settle(settled).status())
          .isEqualTo(SettlementResult.Status.ALREADY_SETTLED);
    }
    assertThat(signers).as("receipts signed through both gateways").hasSize(2);
    assertThat(wrongRefs)
        .as("receipts whose account_ref is not under the deployment's secret")
        .isEmpty();
    assertThat(ledger.balance(AccountId.client("acct_money"))).isEqualTo(1_000_000 - charged);
    LedgerTotals totals = ledger.totals();
    assertThat(totals.balanced()).as("%s", totals).isTrue();

    ObjectNode usageOne = (ObjectNode) Json.parse(HttpResult.get(one.baseUrl + "/usage", key).body);
    ObjectNode usageOther =
        (ObjectNode) Json.parse(HttpResult.get(other.baseUrl + "/usage", key).body);
    usageOne.remove("request_id"); // each answer's own (ADR 29)
    usageOther.remove("request_id");
    assertThat(usageOther).isEqualTo(usageOne);
    assertThat(usageOne.at("/totals/cost_micros").asLong()).isEqualTo(charged);
    assertThat(usageOne.at("/totals/num_model_requests").asLong()).isEqualTo(answered.size());
  }

  private static JsonNode withoutLog(JsonNode receipt) {
    ObjectNode copy = receipt.deepCopy();
    copy.remove("log"); // each gateway keeps its own log (ADR 21): the evidence differs
    return copy;
  }

  private static JsonNode awaitReceipt(GatewayProcess g, String key, String id) throws Exception {
    for (int i = 0; i < 300; i++) {
      HttpResult r = HttpResult.get(g.baseUrl + "/receipts/" + id, key);
      if (r.status == 200) {
        return Json.parse(r.body);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no receipt of " + id + " on " + g.baseUrl + " within 30 s");
  }

  private static GatewayProcess gateway(Path dataDir, String... more) throws Exception {
    List<String> options = new ArrayList<>(storeOptions());
    options.addAll(
        List.of(
            "--trust-nodes",
            "--secrets-manager-prefix",
            SECRETS,
            "--secrets-manager-endpoint",
            secretsManager.endpoint().toString()));
    options.addAll(List.of(more));
    return GatewayProcess.start(
        dataDir, GatewayProcess.EMULATOR_CREDENTIALS, options.toArray(String[]::new));
  }

  private static List<String> storeOptions() {
    return GatewayProcess.dynamoDbOptions(FRONT.endpoint(), PREFIX);
  }

  private static CliRun cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(storeOptions());
    return CliRun.of(all.toArray(String[]::new));
  }

  /** {@code pinaivu keys create --store dynamodb ...}: the key, for {@link #ACCOUNT} by default. */
  private static String createKey(String... options) {
    List<String> args = new ArrayList<>(List.of("keys", "create"));
    args.addAll(List.of(options));
    if (!args.contains("--account")) {
      args.addAll(List.of("--account", ACCOUNT));
    }
    CliRun run = cli(args.toArray(String[]::new));
    assertThat(run.exit()).as(run.err()).isZero();
    return run.firstLine();
  }

  private static String keyId(String name) {
    CliRun list = cli("keys", "list");
    return list.out()
        .lines()
        .filter(l -> l.contains(" " + name + " "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no key " + name + " in:\n" + list.out()))
        .split("\\s+")[0];
  }

  private static void awaitAnswer(GatewayProcess g, String key, NodeProcess node) throws Exception {
    for (int i = 0; i < 600; i++) {
      if (HttpResult.post(g.baseUrl, key, CHAT).status == 200) {
        return;
      }
      Thread.sleep(100); // until its node is live
    }
    throw new AssertionError("no answer from " + g.baseUrl + "; its node said: " + node.output());
  }

  private static HttpResponse<String> admin(GatewayProcess g, String method, String path)
      throws Exception {
    String token = ADMIN_TOKEN; // the deployment's, from Secrets Manager
    String root = g.baseUrl.substring(0, g.baseUrl.length() - "/v1".length());
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
          HttpRequest.newBuilder(URI.create(root + path))
              .header("Authorization", "Bearer " + token)
              .method(method, HttpRequest.BodyPublishers.noBody())
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }
}
