package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.Attributes.longOf;
import static dev.pinaivu.functions.store.Attributes.n;
import static dev.pinaivu.functions.store.Attributes.s;
import static dev.pinaivu.functions.store.Attributes.ss;
import static dev.pinaivu.functions.store.Attributes.string;

import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.openai.ApiKind;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The nodes' connections to the WebSocket API, on the network table: what {@code $connect} proved
 * (the node, its key, its APIs), kept for the frames that follow on the same connection, each of
 * which is its own invocation; and the {@code $connect} signatures seen, so that each opens one
 * connection. Items expire by TTL after API Gateway's two-hour connection limit, and signatures
 * after their window.
 */
public final class DynamoDbNodeConnections {
  /** API Gateway closes any WebSocket connection after two hours. */
  static final long CONNECTION_LIFETIME_MS = 2 * 3_600_000L + 300_000;

  /**
   * What {@code $connect} proved for a connection, and the jobs dispatched on it not finished yet
   * (so that {@code $disconnect} can tell their relays at once).
   */
  public record Opened(
      String connectionId,
      NodeId nodeId,
      byte[] publicKey,
      Set<ApiKind> apis,
      long connectedAtMs,
      Set<String> jobs) {
    public Opened {
      publicKey = publicKey.clone();
      apis = Set.copyOf(apis);
      jobs = Set.copyOf(jobs);
    }

    public Opened(
        String connectionId, NodeId nodeId, byte[] publicKey, Set<ApiKind> apis, long connectedAt) {
      this(connectionId, nodeId, publicKey, apis, connectedAt, Set.of());
    }

    @Override
    public byte[] publicKey() {
      return publicKey.clone();
    }
  }

  private static final String JOBS = "jobs";

  private final NetworkTable table;

  public DynamoDbNodeConnections(DynamoDbClient dynamo, String table) {
    this.table = new NetworkTable(dynamo, table);
  }

  /**
   * Takes {@code signature} for one connection.
   *
   * @return false when it was taken before (a replayed {@code $connect})
   */
  public boolean claim(String signature, long keepUntilMs) {
    Map<String, AttributeValue> item =
        new HashMap<>(NetworkKeys.connectSignature(Sha256.hex(B64.decode(signature))));
    item.put(NetworkTable.TTL, n(Math.ceilDiv(keepUntilMs, 1000)));
    return table.putIfAbsent("claim a connect signature", item);
  }

  public void open(Opened opened) {
    Map<String, AttributeValue> item =
        new HashMap<>(NetworkKeys.nodeConnection(opened.connectionId()));
    item.put("node", s(opened.nodeId().value()));
    item.put("public_key", s(B64.encode(opened.publicKey())));
    Set<String> apis = new HashSet<>();
    opened.apis().forEach(a -> apis.add(a.wire()));
    item.put("apis", ss(apis));
    item.put("connected_ms", n(opened.connectedAtMs()));
    item.put(
        NetworkTable.TTL, n(Math.ceilDiv(opened.connectedAtMs() + CONNECTION_LIFETIME_MS, 1000)));
    table.put("open the connection " + opened.connectionId(), item);
  }

  public Optional<Opened> find(String connectionId) {
    Map<String, AttributeValue> item =
        table.get("read the connection " + connectionId, NetworkKeys.nodeConnection(connectionId));
    if (item == null) {
      return Optional.empty();
    }
    Set<ApiKind> apis = new HashSet<>();
    Attributes.stringSet(item, "apis").forEach(a -> apis.add(ApiKind.fromWire(a)));
    return Optional.of(
        new Opened(
            connectionId,
            NodeId.parse(string(item, "node")),
            B64.decode(string(item, "public_key")),
            apis,
            longOf(item, "connected_ms"),
            Attributes.stringSet(item, JOBS)));
  }

  /** Job {@code jobId} was dispatched on the connection; false when the connection is gone. */
  public boolean addJob(String connectionId, String jobId) {
    Placeholders p = new Placeholders();
    return table
        .updateIf(
            "add job " + jobId + " to connection " + connectionId,
            NetworkKeys.nodeConnection(connectionId),
            "ADD " + p.name(JOBS) + " " + p.value(ss(Set.of(jobId))),
            "attribute_exists(" + p.name("node") + ")",
            p)
        .applied();
  }

  /** Job {@code jobId} is finished on the connection (a connection gone is no error). */
  public void removeJob(String connectionId, String jobId) {
    Placeholders p = new Placeholders();
    table.updateIf(
        "remove job " + jobId + " from connection " + connectionId,
        NetworkKeys.nodeConnection(connectionId),
        "DELETE " + p.name(JOBS) + " " + p.value(ss(Set.of(jobId))),
        "attribute_exists(" + p.name("node") + ")",
        p);
  }

  /**
   * A relay connection opened (a chat invocation's, authenticated at {@code $connect}): its frames
   * are relay frames, not a node's.
   */
  public void openRelay(String connectionId, long nowMs) {
    Map<String, AttributeValue> item = new HashMap<>(NetworkKeys.relayConnection(connectionId));
    item.put("connected_ms", n(nowMs));
    item.put(NetworkTable.TTL, n(Math.ceilDiv(nowMs + CONNECTION_LIFETIME_MS, 1000)));
    table.put("open the relay connection " + connectionId, item);
  }

  public boolean isRelay(String connectionId) {
    return table.get(
            "read the relay connection " + connectionId, NetworkKeys.relayConnection(connectionId))
        != null;
  }

  public void closeRelay(String connectionId) {
    table.delete(
        "close the relay connection " + connectionId, NetworkKeys.relayConnection(connectionId));
  }

  public void close(String connectionId) {
    table.delete("close the connection " + connectionId, NetworkKeys.nodeConnection(connectionId));
  }
}
