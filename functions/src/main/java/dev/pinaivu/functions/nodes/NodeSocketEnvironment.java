package dev.pinaivu.functions.nodes;

import dev.pinaivu.core.dispatch.JobQueue;
import dev.pinaivu.core.reputation.ConductRules;
import dev.pinaivu.core.reputation.NodePolicy;
import dev.pinaivu.core.secrets.Secrets;
import dev.pinaivu.functions.AwsClients;
import dev.pinaivu.functions.api.ServerlessNetwork;
import dev.pinaivu.functions.queue.SqsJobQueue;
import dev.pinaivu.functions.secrets.SecretsManagerClients;
import dev.pinaivu.functions.secrets.SecretsManagerSecrets;
import dev.pinaivu.functions.store.DynamoDbClients;
import dev.pinaivu.functions.store.DynamoDbConductRecords;
import dev.pinaivu.functions.store.DynamoDbCoordinatorKeys;
import dev.pinaivu.functions.store.DynamoDbJobRoutes;
import dev.pinaivu.functions.store.DynamoDbNetworkStores;
import dev.pinaivu.functions.store.DynamoDbNodeConnections;
import dev.pinaivu.functions.store.DynamoDbNodeRegistry;
import java.net.URI;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What the node socket function builds once per execution environment from its variables ({@code
 * PINAIVU_TABLE_PREFIX}, optional {@code PINAIVU_DYNAMODB_ENDPOINT}, Lambda's {@code AWS_REGION}):
 * the stores on the network table and a management API client per stage the events name.
 */
public final class NodeSocketEnvironment {
  /** The prefix of the deployment's secrets' names in Secrets Manager (ADR 25). */
  static final String SECRET_PREFIX = "PINAIVU_SECRET_PREFIX";

  /** Secrets Manager's endpoint when not the Region's (a VPC endpoint, or a test server). */
  static final String SECRETS_ENDPOINT = "PINAIVU_SECRETS_ENDPOINT";

  /** The polling nodes' job queues, {@code <prefix><node id>.fifo} (ADR 35, 39); optional. */
  public static final String JOB_QUEUE_PREFIX = "PINAIVU_JOB_QUEUE_PREFIX";

  /** SQS's endpoint when not the Region's (an emulator in tests). */
  public static final String SQS_ENDPOINT = "PINAIVU_SQS_ENDPOINT";

  /** The nodes' WebSocket API stage, {@code wss://<domain>/<stage>}. */
  static final String NODE_SOCKET_URL = "PINAIVU_NODE_SOCKET_URL";

  private NodeSocketEnvironment() {}

  /** The polling nodes' job queue of {@value #JOB_QUEUE_PREFIX}, which must be set. */
  static JobQueue jobQueue(Map<String, String> env) {
    String prefix = env.get(JOB_QUEUE_PREFIX);
    if (prefix == null) {
      throw new IllegalStateException(
          "the environment variable " + JOB_QUEUE_PREFIX + " is not set: the deployment sets it");
    }
    String endpoint = env.get(SQS_ENDPOINT);
    return new SqsJobQueue(
        AwsClients.create(
            SqsClient.builder(),
            env.get("AWS_REGION"),
            endpoint == null ? null : URI.create(endpoint)),
        prefix);
  }

  /** The relays' links: the management API of {@value #NODE_SOCKET_URL}, which must be set. */
  static NodeLinks relays(Map<String, String> env) {
    String socket = env.get(NODE_SOCKET_URL);
    if (socket == null) {
      throw new IllegalStateException(
          "the environment variable " + NODE_SOCKET_URL + " is not set: the deployment sets it");
    }
    return ManagementApiLinks.forSocketUrl(env.get("AWS_REGION"), URI.create(socket));
  }

  /**
   * {@code sockets}, reaching polling nodes too when the deployment has their queues ({@value
   * #JOB_QUEUE_PREFIX} set): what a function that sends to nodes (the chat function) sends with.
   */
  public static NodeLinks links(Map<String, String> env, NodeLinks sockets) {
    return env.get(JOB_QUEUE_PREFIX) == null
        ? sockets
        : new QueuedNodeLinks(sockets, jobQueue(env), InstantSource.system());
  }

  static NodeSocketHandler.Parts parts(Map<String, String> env) {
    String prefix = env.get(ServerlessNetwork.TABLE_PREFIX);
    if (prefix == null || prefix.isBlank()) {
      throw new IllegalStateException(
          "the environment variable " + ServerlessNetwork.TABLE_PREFIX + " is not set");
    }
    String endpoint = env.get(ServerlessNetwork.DYNAMODB_ENDPOINT);
    String region = env.get("AWS_REGION");
    DynamoDbClient dynamo =
        DynamoDbClients.create(region, endpoint == null ? null : URI.create(endpoint));
    String table = DynamoDbNetworkStores.networkTable(prefix);
    Map<String, NodeLinks> byStage = new ConcurrentHashMap<>();
    return new NodeSocketHandler.Parts(
        new DynamoDbNodeConnections(dynamo, table),
        new DynamoDbNodeRegistry(dynamo, table),
        new DynamoDbConductRecords(dynamo, table),
        ConductRules.DEFAULTS,
        NodePolicy.DEFAULTS.admission(),
        stage ->
            byStage.computeIfAbsent(
                stage, s -> ManagementApiLinks.forStage(region, URI.create("https://" + s))),
        new DynamoDbCoordinatorKeys(dynamo, table)::all,
        NodeSocketHandler.HEARTBEAT_MS,
        InstantSource.system(),
        new DynamoDbJobRoutes(dynamo, table),
        relaySecret(env, region));
  }

  /**
   * The relay secret from Secrets Manager ({@code <PINAIVU_SECRET_PREFIX>relay-secret}), read on
   * the first relay's {@code $connect}.
   */
  static Supplier<byte[]> relaySecret(Map<String, String> env, String region) {
    String prefix = env.getOrDefault(SECRET_PREFIX, "");
    String endpoint = env.get(SECRETS_ENDPOINT);
    Secrets secrets =
        new SecretsManagerSecrets(
            SecretsManagerClients.create(region, endpoint == null ? null : URI.create(endpoint)),
            prefix);
    return () ->
        secrets // kept by the adapter after the first read
            .secret(RelayAuth.SECRET_NAME, () -> null)
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
