package dev.pinaivu.functions;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.coordinator.CoordinatorServer;
import dev.pinaivu.core.auth.KeyIssuer;
import dev.pinaivu.core.auth.NewKey;
import dev.pinaivu.core.auth.Scope;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.OpenedLogs;
import dev.pinaivu.core.coordinator.ParentSecret;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.protocol.NodeProtocol;
import dev.pinaivu.core.translog.NoteSigner;
import dev.pinaivu.core.translog.TransparencyLog;
import dev.pinaivu.functions.coordinator.ParameterStoreTestServer;
import dev.pinaivu.functions.coordinator.PublishedCoordinator;
import dev.pinaivu.functions.secrets.SecretsManagerTestServer;
import dev.pinaivu.functions.store.DynamoDbApiKeyStore;
import dev.pinaivu.functions.store.DynamoDbLedger;
import dev.pinaivu.functions.store.DynamoDbLogStore;
import dev.pinaivu.functions.store.DynamoDbNetworkStores;
import dev.pinaivu.functions.testsupport.DynamoTransactionsFront;
import dev.pinaivu.functions.testsupport.ElasticMq;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A benchmark, not a test (it asserts nothing about time, and the suite does not run it): the cold
 * start of every Lambda function on this machine, from the instant before a fresh JVM starts to the
 * first handled event, as the managed runtime starts it: its own interface client ({@code
 * AWSLambda}, from {@code target/runtime-client}) or, for the chat, our streaming runtime loop as
 * the exec wrapper starts it; the deployment package's jars under {@code lib/} of a task root; the
 * JVM options the managed Java 25 runtime chooses; the variables the stack sets, pointed at
 * loopback (the transactions front on dynalite, ElasticMQ, the Secrets Manager and Parameter Store
 * fixtures, a dev-mode coordinator). Each function answers a sample event from {@code events/},
 * then one more while warm. Run:
 *
 * <pre>
 * ./mvnw -pl functions -am verify -Dit.test=ColdStartBench -Dtest=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
 *     -Dbench.runs=10
 * </pre>
 *
 * It prints a Markdown table for BENCHMARKS.md. {@code -Dbench.jvmArgs=...} adds JVM options to
 * every function ({@code {name}} is replaced by the function's), for a look inside: {@code
 * -Xlog:class+load:file={name}-classes.txt} writes what each one loads into the task root.
 */
class ColdStartBench {
  private static final String HANDLERS = "dev.pinaivu.functions.api.";
  private static final String RIC = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
  private static final String STREAMING = "dev.pinaivu.functions.runtime.StreamingRuntime";
  private static final String PLACEHOLDER_KEY = "sk-pnv-REPLACED-BY-THE-TEST";
  private static final String SOCKET_STAGE = "ws123abcde.execute-api.eu-west-1.amazonaws.com/prod";
  private static final String LOG_ORIGIN = "bench.pinaivu.dev/cold-start-log";

  /**
   * The managed runtime's options (AWS docs, "Customize Java runtime startup behavior": Java 17 and
   * later stop tiered compilation at level 1, except, from Java 25, under SnapStart, which keeps
   * the JVM's default; serial GC), and the 1 GB the stack gives every function as the JVM's memory.
   */
  private static final List<String> JVM =
      List.of("-XX:+UseSerialGC", "-Xshare:auto", "-XX:MaxRAM=1g");

  private static final List<String> LEVEL_1 =
      List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");

  @Test
  void coldStart_ofEveryFunction_inFreshJvms() throws Exception {
    int runs = Integer.getInteger("bench.runs", 10);
    int warmup = Integer.getInteger("bench.warmup", 1);
    Path dir = Files.createDirectories(Path.of("target", "cold-start"));
    Path task = taskRoot(dir.resolve("task"));
    DynamoTransactionsFront front = DynamoTransactionsFront.shared();
    String prefix = "cold-" + UUID.randomUUID().toString().substring(0, 6) + "-";
    DynamoDbNetworkStores.createIfAbsent(front.client(), prefix);
    String key =
        new KeyIssuer(
                new DynamoDbApiKeyStore(front.client(), DynamoDbNetworkStores.networkTable(prefix)),
                Clock.systemUTC())
            .issue(new NewKey("bench", "acct_bench", Scope.all(), Set.of(), null, null, null))
            .key()
            .reveal();
    new DynamoDbLedger(
            front.client(), DynamoDbNetworkStores.networkTable(prefix), Clock.systemUTC())
        .credit("acct_bench", 1_000_000_000L, "pay_bench"); // the chat gets past the quota
    String logTable = prefix + "log";
    DynamoDbLogStore.createTable(front.client(), logTable);
    TransparencyLog log =
        new TransparencyLog(LOG_ORIGIN, new DynamoDbLogStore(front.client(), logTable, LOG_ORIGIN));
    log.append("entry 0".getBytes(UTF_8));
    log.publishCheckpoint(new NoteSigner(LOG_ORIGIN, Ed25519.PrivateKey.generate()));
    String settleQueue =
        ElasticMq.shared().client().createQueue(b -> b.queueName(prefix + "settle")).queueUrl();
    ParentSecret parentSecret = ParentSecret.generate();
    try (SecretsManagerTestServer secrets = new SecretsManagerTestServer();
        ParameterStoreTestServer parameters = new ParameterStoreTestServer();
        CoordinatorServer coordinator =
            CoordinatorServer.start(
                OpenedLogs.dev(CoordinatorOptions.withFees(new FeePolicy(500))),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                parentSecret)) {
      secrets.put("pinaivu/relay-secret", "relay-" + UUID.randomUUID());
      secrets.put("pinaivu/account-ref-secret", HexFormat.of().formatHex(new byte[32]));
      String path = "/pinaivu/coordinator/";
      parameters.putString(path + PublishedCoordinator.ADDRESS, "127.0.0.1:" + coordinator.port());
      parameters.putSecureString(path + PublishedCoordinator.PARENT_SECRET, parentSecret.hex());

      // as ServerlessStack and ChatFunctions set them, AWS endpoints replaced by loopback
      Map<String, String> shared = new HashMap<>(lambdaVariables());
      shared.put("PINAIVU_TABLE_PREFIX", prefix);
      shared.put("PINAIVU_DYNAMODB_ENDPOINT", front.endpoint().toString());
      shared.put("PINAIVU_LOG_TABLE", logTable);
      shared.put("PINAIVU_LOG_ORIGIN", LOG_ORIGIN);
      Map<String, String> socket = new HashMap<>(shared);
      socket.put("PINAIVU_SECRET_PREFIX", "pinaivu/");
      socket.put("PINAIVU_SECRETS_ENDPOINT", secrets.endpoint().toString());
      Map<String, String> chat = new HashMap<>(socket);
      chat.put("PINAIVU_COORDINATOR_PARAMETERS", path);
      chat.put("PINAIVU_SSM_ENDPOINT", parameters.endpoint().toString());
      chat.put("PINAIVU_NODE_SOCKET_URL", "ws://127.0.0.1:9/prod"); // the relay opens on dispatch
      chat.put("PINAIVU_SETTLE_QUEUE_URL", settleQueue);
      chat.put("PINAIVU_SQS_ENDPOINT", ElasticMq.shared().endpoint().toString());

      Map<String, String> poll = new HashMap<>(socket);
      poll.put("PINAIVU_JOB_QUEUE_PREFIX", prefix + "jobs-");
      poll.put("PINAIVU_SQS_ENDPOINT", ElasticMq.shared().endpoint().toString());
      poll.put("PINAIVU_NODE_SOCKET_URL", "ws://127.0.0.1:9/prod");

      List<FreshJvm.Function> functions =
          List.of(
              buffered("ModelsHandler", shared, api("get-models.json", key)),
              buffered("UsageHandler", shared, api("get-usage.json", key)),
              buffered("ReceiptHandler", shared, api("get-receipt.json", key)),
              buffered("AttestationHandler", shared, api("get-attestation.json", key)),
              buffered("LogHandler", shared, api("get-log-checkpoint.json", key)),
              streaming("ChatHandler", chat, api("post-chat-completions.json", key)),
              buffered("SettleQueueHandler", chat, file("sqs/settle-reminder.json")),
              buffered("SettleSweepHandler", chat, file("scheduled/settle-sweep.json")),
              function(
                  "NodeSocketHandler",
                  "dev.pinaivu.functions.nodes.NodeSocketHandler::handleRequest",
                  RIC,
                  LEVEL_1,
                  socket,
                  ColdStartBench::signedConnect),
              buffered("AdminHandler", shared, file("api/post-admin-keys.json")),
              function(
                  "NodePollHandler",
                  "dev.pinaivu.functions.nodes.NodePollHandler::handleRequest",
                  RIC,
                  LEVEL_1,
                  poll,
                  ColdStartBench::signedPoll));

      Map<String, List<FreshJvm.Sample>> samples = new LinkedHashMap<>();
      Map<String, String> answers = new HashMap<>();
      for (int run = -warmup; run < runs; run++) {
        for (FreshJvm.Function function : functions) { // interleaved: each sees the same machine
          FreshJvm.Sample sample =
              FreshJvm.run(function, task, dir.resolve(function.name() + ".log"));
          answers.putIfAbsent(function.name(), sample.firstResponse());
          if (run >= 0) {
            samples.computeIfAbsent(function.name(), n -> new ArrayList<>()).add(sample);
          }
        }
      }
      System.out.println(table(functions, samples, answers, runs));
    }
  }

  /**
   * A task root as the deployment package unpacks: {@code lib/} holds this module's jar and its
   * runtime dependencies (links to the build's files).
   */
  private static Path taskRoot(Path task) throws Exception {
    Path lib = task.resolve("lib");
    if (Files.exists(lib)) {
      try (Stream<Path> old = Files.list(lib)) {
        for (Path p : old.toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(lib);
    List<Path> jars = new ArrayList<>();
    jars.add(Path.of(property("bench.lambda.jar", "target/pinaivu-functions-0.1.0-SNAPSHOT.jar")));
    for (String entry :
        Files.readString(Path.of(property("bench.lambda.classpath", "target/lambda-classpath.txt")))
            .trim()
            .split(java.io.File.pathSeparator)) {
      jars.add(Path.of(entry));
    }
    for (Path jar : jars) {
      if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
        throw new IllegalStateException(
            jar + " is not a jar: run the bench through `verify`, which packages the modules");
      }
      Files.createSymbolicLink(lib.resolve(jar.getFileName()), jar.toAbsolutePath());
    }
    return task.toAbsolutePath();
  }

  private static String property(String name, String fallback) {
    return System.getProperty(name, fallback);
  }

  /** What Lambda sets in every Java function's environment (besides the Runtime API's address). */
  private static Map<String, String> lambdaVariables() {
    return Map.of(
        "AWS_REGION", "us-east-1",
        "AWS_DEFAULT_REGION", "us-east-1",
        "AWS_ACCESS_KEY_ID", "stand-in",
        "AWS_SECRET_ACCESS_KEY", "stand-in",
        "AWS_EXECUTION_ENV", "AWS_Lambda_java25",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024",
        "AWS_LAMBDA_FUNCTION_VERSION", "$LATEST",
        "AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand",
        "TZ", ":UTC",
        "LANG", "en_US.UTF-8");
  }

  /** A function the managed runtime's interface client runs, at tiered level 1. */
  private static FreshJvm.Function buffered(
      String handler, Map<String, String> env, Supplier<byte[]> event) {
    return function(handler, HANDLERS + handler + "::handleRequest", RIC, LEVEL_1, env, event);
  }

  /** The chat: our loop, as the exec wrapper starts it; SnapStart, so the JVM's default tiers. */
  private static FreshJvm.Function streaming(
      String handler, Map<String, String> env, Supplier<byte[]> event) {
    return function(handler, HANDLERS + handler, STREAMING, List.of(), env, event);
  }

  private static FreshJvm.Function function(
      String name,
      String handler,
      String main,
      List<String> tiers,
      Map<String, String> env,
      Supplier<byte[]> event) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM);
    command.addAll(tiers);
    String extra = System.getProperty("bench.jvmArgs", ""); // e.g. -Xlog:class+load:file={name}.txt
    for (String arg : extra.isBlank() ? new String[0] : extra.trim().split("\\s+")) {
      command.add(arg.replace("{name}", name));
    }
    command.add("-cp");
    command.add(
        main.equals(RIC)
            ? Path.of(property("bench.runtime.client", "target/runtime-client")).toAbsolutePath()
                + "/*"
            : ".:lib/*"); // pinaivu-streaming: -cp "$task:$task/lib/*"
    command.add(main);
    command.add(handler);
    Map<String, String> variables = new HashMap<>(env);
    variables.put("_HANDLER", handler);
    variables.put("AWS_LAMBDA_FUNCTION_NAME", "pinaivu-" + name);
    String loop = main.equals(RIC) ? "AWSLambda (RIC 2.10.1)" : "StreamingRuntime";
    return new FreshJvm.Function(name, loop, List.copyOf(command), Map.copyOf(variables), event);
  }

  private static Supplier<byte[]> file(String name) {
    return () -> read(name).getBytes(UTF_8);
  }

  private static Supplier<byte[]> api(String name, String key) {
    return () -> read("api/" + name).replace(PLACEHOLDER_KEY, key).getBytes(UTF_8);
  }

  private static String read(String name) {
    try {
      return Files.readString(
          Path.of(dev.pinaivu.functions.testsupport.SampleEvents.path(name)), UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@code ws/connect.json} as a new node signs it now, on a new connection. */
  private static byte[] signedConnect() {
    try {
      ObjectNode event = (ObjectNode) Json.MAPPER.readTree(read("ws/connect.json"));
      NodeKey node = NodeKey.generate();
      long issuedAt = System.currentTimeMillis();
      Map<String, String> signed =
          Map.of(
              "X-Pinaivu-Node-Id", node.id().value(),
              "X-Pinaivu-Public-Key", B64.encode(node.publicKey()),
              "X-Pinaivu-Issued-At", Long.toString(issuedAt),
              "X-Pinaivu-Signature",
                  B64.encode(
                      node.signChallenge(NodeProtocol.connectChallenge(SOCKET_STAGE, issuedAt))));
      ObjectNode headers = (ObjectNode) event.path("headers");
      ObjectNode multi = (ObjectNode) event.path("multiValueHeaders");
      signed.forEach((name, value) -> {
        headers.put(name, value);
        multi.putArray(name).add(value);
      });
      ((ObjectNode) event.path("requestContext"))
          .put("connectionId", "c-" + UUID.randomUUID().toString().substring(0, 8) + "=");
      return Json.MAPPER.writeValueAsBytes(event);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A polling node's heartbeat, signed as the agent signs it; it asks to wait for nothing. */
  private static byte[] signedPoll() {
    try {
      ObjectNode event = (ObjectNode) Json.MAPPER.readTree(read("api/post-nodes-exchange.json"));
      NodeKey node = NodeKey.generate();
      long issuedAt = System.currentTimeMillis();
      String session = UUID.randomUUID().toString().replace("-", "");
      String body = event.path("body").asText();
      JsonNode context = event.path("requestContext");
      String endpoint = context.path("domainName").asText() + context.path("path").asText();
      Map<String, String> signed =
          Map.of(
              "X-Pinaivu-Node-Id", node.id().value(),
              "X-Pinaivu-Public-Key", B64.encode(node.publicKey()),
              "X-Pinaivu-Session", session,
              "X-Pinaivu-Issued-At", Long.toString(issuedAt),
              "X-Pinaivu-Signature",
                  B64.encode(
                      node.signChallenge(
                          NodeProtocol.pollChallenge(
                              endpoint,
                              session,
                              issuedAt,
                              dev.pinaivu.core.crypto.Sha256.hex(body.getBytes(UTF_8))))));
      ObjectNode headers = (ObjectNode) event.path("headers");
      ObjectNode multi = (ObjectNode) event.path("multiValueHeaders");
      signed.forEach((name, value) -> {
        headers.put(name, value);
        multi.putArray(name).add(value);
      });
      ((ObjectNode) event.path("queryStringParameters")).put("wait", "0");
      ((ObjectNode) event.path("multiValueQueryStringParameters")).putArray("wait").add("0");
      return Json.MAPPER.writeValueAsBytes(event);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String table(
      List<FreshJvm.Function> functions,
      Map<String, List<FreshJvm.Sample>> samples,
      Map<String, String> answers,
      int runs) {
    StringBuilder out =
        new StringBuilder(
            "\n"
                + runs
                + " fresh JVMs per function; ms, p50 / p90 / max\n\n"
                + "| function | runtime loop | init: start → first `next` | first invoke:"
                + " `next` → response | cold: start → first response | warm invoke |\n"
                + "| --- | --- | --- | --- | --- | --- |\n");
    for (FreshJvm.Function function : functions) {
      List<FreshJvm.Sample> s = samples.get(function.name());
      out.append("| ")
          .append(function.name())
          .append(" | ")
          .append(function.loop())
          .append(" | ")
          .append(summary(s.stream().mapToLong(FreshJvm.Sample::initNanos).toArray()))
          .append(" | ")
          .append(summary(s.stream().mapToLong(FreshJvm.Sample::firstInvokeNanos).toArray()))
          .append(" | ")
          .append(summary(s.stream().mapToLong(FreshJvm.Sample::coldNanos).toArray()))
          .append(" | ")
          .append(summary(s.stream().mapToLong(FreshJvm.Sample::warmNanos).toArray()))
          .append(" |\n");
    }
    out.append("\nfirst responses (beginning):\n\n");
    functions.forEach(f ->
        out.append("- ")
            .append(f.name())
            .append(": `")
            .append(answers.get(f.name()))
            .append("`\n"));
    return out.toString();
  }

  /** p50 / p90 / max in ms (nearest rank). */
  private static String summary(long[] nanos) {
    long[] sorted = nanos.clone();
    java.util.Arrays.sort(sorted);
    return ms(rank(sorted, 0.50))
        + " / "
        + ms(rank(sorted, 0.90))
        + " / "
        + ms(sorted[sorted.length - 1]);
  }

  private static long rank(long[] sorted, double q) {
    return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static String ms(long nanos) {
    return Long.toString(Math.round(nanos / 1e6));
  }
}
