package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.Attributes.n;
import static dev.pinaivu.functions.store.Attributes.s;
import static dev.pinaivu.functions.store.Attributes.string;

import dev.pinaivu.core.node.NodeId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where the frames of a job dispatched on the WebSocket API go (ADR 27), on the network table: the
 * node it went to (only that node's frames are relayed), the node's connection, and the relay
 * connection of the chat invocation waiting for it. Written by the chat function before the job
 * frame is sent; read by {@code $default} for each of the node's frames; gone by TTL after the
 * longest stream.
 */
public final class DynamoDbJobRoutes {
  /** A stream lasts at most 15 minutes; the proof comes after it. */
  static final long ROUTE_LIFETIME_MS = 20 * 60_000L;

  /** A job's route. */
  public record Route(String jobId, NodeId node, String nodeConnection, String relayConnection) {}

  private final NetworkTable table;

  public DynamoDbJobRoutes(DynamoDbClient dynamo, String table) {
    this.table = new NetworkTable(dynamo, table);
  }

  public void put(Route route, long nowMs) {
    Map<String, AttributeValue> item = new HashMap<>(NetworkKeys.jobRoute(route.jobId()));
    item.put("node", s(route.node().value()));
    item.put("node_connection", s(route.nodeConnection()));
    item.put("relay", s(route.relayConnection()));
    item.put(NetworkTable.TTL, n(Math.ceilDiv(nowMs + ROUTE_LIFETIME_MS, 1000)));
    table.put("route the job " + route.jobId(), item);
  }

  public Optional<Route> find(String jobId) {
    Map<String, AttributeValue> item =
        table.get("read the route of job " + jobId, NetworkKeys.jobRoute(jobId));
    if (item == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Route(
            jobId,
            NodeId.parse(string(item, "node")),
            string(item, "node_connection"),
            string(item, "relay")));
  }

  public void delete(String jobId) {
    table.delete("forget the route of job " + jobId, NetworkKeys.jobRoute(jobId));
  }
}
