package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.Attributes.longOf;
import static dev.pinaivu.functions.store.Attributes.n;
import static dev.pinaivu.functions.store.Attributes.s;
import static dev.pinaivu.functions.store.Attributes.string;

import dev.pinaivu.core.node.NodeEntry;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeRegistry;
import dev.pinaivu.core.node.RegisteredNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * {@link NodeRegistry} on the network table, shared by every process that holds node connections
 * (ADR 21): a node is the item {@code NODES#<shard>/NODE#<id>}, its slots a map {@code slots} of
 * job id to lease end. Joining is a put conditioned on no newer connection; every other write is
 * conditioned on the connection that holds the node. A reservation is one conditional update that
 * compares the size of the slot map and the node's own count with the capacity, so two processes
 * racing for a node's last slot cannot both win; slots whose lease ran out are removed (each only
 * while it still has the lease read) when they are all that stands in the way.
 */
public final class DynamoDbNodeRegistry implements NodeRegistry {
  private static final int MAX_ATTEMPTS = 20;

  private final NetworkTable table;

  public DynamoDbNodeRegistry(DynamoDbClient dynamo, String table) {
    this.table = new NetworkTable(dynamo, table);
  }

  @Override
  public boolean join(NodeEntry entry, long nowMs) {
    Map<String, AttributeValue> item = NodeItems.joined(entry, nowMs);
    Placeholders p = new Placeholders();
    String condition =
        "attribute_not_exists("
            + p.name(NetworkTable.PK)
            + ") OR "
            + p.name(NodeItems.CONNECTED_MS)
            + " <= "
            + p.value(n(entry.connectedAtMs()));
    return table.putIf("join node " + entry.nodeId(), item, condition, p);
  }

  @Override
  public boolean offer(NodeEntry withOffer, long nowMs) {
    Placeholders p = new Placeholders();
    StringJoiner sets = new StringJoiner(", ", "SET ", "");
    NodeItems.offerAttributes(withOffer)
        .forEach((name, value) -> sets.add(p.name(name) + " = " + p.value(value)));
    String condition =
        held(p, withOffer.connection())
            + " AND "
            + p.name(NodeItems.ISSUED_MS)
            + " < "
            + p.value(n(withOffer.offer().issuedAtMs()));
    sets.add(p.name(NodeItems.LAST_SEEN_MS) + " = " + p.value(n(nowMs)));
    return table
        .updateIf(
            "offer of node " + withOffer.nodeId(),
            NetworkKeys.node(withOffer.nodeId()),
            sets.toString(),
            condition,
            p)
        .applied();
  }

  @Override
  public void heartbeat(NodeId node, String connection, int runningJobs, long nowMs) {
    int reported = Math.max(0, runningJobs);
    for (int attempt = 1; attempt <= 2; attempt++) {
      Placeholders p = new Placeholders();
      String update =
          "SET "
              + p.name(NodeItems.LAST_SEEN_MS)
              + " = "
              + p.value(n(nowMs))
              + ", "
              + p.name(NodeItems.REPORTED)
              + " = "
              + p.value(n(reported));
      String condition =
          held(p, connection)
              + " AND "
              + p.name(NodeItems.CAPACITY)
              + " >= "
              + p.value(n(reported));
      NetworkTable.UpdateOutcome outcome =
          table.updateIf("heartbeat of node " + node, NetworkKeys.node(node), update, condition, p);
      if (outcome.applied()
          || outcome.item().isEmpty()
          || !connection.equals(string(outcome.item(), NodeItems.CONNECTION))) {
        return; // written, or the node is not this connection's
      }
      reported =
          (int) longOf(outcome.item(), NodeItems.CAPACITY); // more than its offer: its capacity
    }
  }

  @Override
  public Reservation reserve(
      NodeId node, String connection, String jobId, int capacity, long leaseUntilMs, long nowMs) {
    String operation = "reserve a slot on node " + node + " for " + jobId;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // one conditional write: the map's size and the node's count are compared in the condition
      Placeholders p = new Placeholders();
      String slot = p.name(NodeItems.SLOTS) + "." + p.name(jobId);
      String cap = p.value(n(capacity));
      String update =
          "SET "
              + slot
              + " = "
              + p.value(n(leaseUntilMs))
              + " ADD "
              + p.name(NodeItems.REPORTED)
              + " "
              + p.value(n(1));
      String condition =
          held(p, connection)
              + " AND attribute_not_exists("
              + slot
              + ") AND size("
              + p.name(NodeItems.SLOTS)
              + ") < "
              + cap
              + " AND "
              + p.name(NodeItems.REPORTED)
              + " < "
              + cap;
      NetworkTable.UpdateOutcome outcome =
          table.updateIf(operation, NetworkKeys.node(node), update, condition, p);
      if (outcome.applied()) {
        return Reservation.RESERVED;
      }
      Map<String, AttributeValue> item = outcome.item();
      if (item.isEmpty() || !connection.equals(string(item, NodeItems.CONNECTION))) {
        return Reservation.NOT_HELD;
      }
      Map<String, AttributeValue> slots = NodeItems.slots(item);
      if (slots.containsKey(jobId)) {
        renew(node, jobId, leaseUntilMs); // it holds one already
        return Reservation.RESERVED;
      }
      List<String> lapsed = NodeItems.lapsed(slots, nowMs);
      if (lapsed.isEmpty() || !prune(node, slots, lapsed)) {
        return Reservation.AT_CAPACITY;
      }
      // slots whose holders died are gone: try again
    }
    throw new NetworkStoreException(operation, "the node kept changing");
  }

  /**
   * Frees {@code lapsed} slots, each only while it still has the lease end read (a slot renewed
   * since is kept).
   *
   * @return whether any was freed
   */
  private boolean prune(NodeId node, Map<String, AttributeValue> slots, List<String> lapsed) {
    boolean any = false;
    for (String job : lapsed) {
      any |= free("free the lapsed slot of " + job, node, job, slots.get(job));
    }
    return any;
  }

  /**
   * Removes {@code jobId}'s slot, and one from the node's count unless it is 0; only while the slot
   * has the lease end {@code lease} when that is given.
   *
   * @return whether a slot was removed
   */
  private boolean free(String operation, NodeId node, String jobId, AttributeValue lease) {
    for (boolean counted : new boolean[] {true, false}) {
      Placeholders p = new Placeholders();
      String slot = p.name(NodeItems.SLOTS) + "." + p.name(jobId);
      String guard =
          lease == null ? "attribute_exists(" + slot + ")" : slot + " = " + p.value(lease);
      String update = "REMOVE " + slot;
      String condition = guard;
      if (counted) {
        String reported = p.name(NodeItems.REPORTED);
        String one = p.value(n(1));
        update = "SET " + reported + " = " + reported + " - " + one + " " + update;
        condition = guard + " AND " + reported + " >= " + one;
      }
      if (table.updateIf(operation, NetworkKeys.node(node), update, condition, p).applied()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void renew(NodeId node, String jobId, long leaseUntilMs) {
    Placeholders p = new Placeholders();
    String slot = p.name(NodeItems.SLOTS) + "." + p.name(jobId);
    table.updateIf(
        "renew the slot of " + jobId,
        NetworkKeys.node(node),
        "SET " + slot + " = " + p.value(n(leaseUntilMs)),
        "attribute_exists(" + slot + ")",
        p);
  }

  @Override
  public void release(NodeId node, String jobId) {
    free("release the slot of " + jobId, node, jobId, null);
  }

  @Override
  public void succeeded(NodeId node, double latencyMs) {
    Map<String, AttributeValue> item = read(node);
    if (item == null) {
      return;
    }
    // read, averaged and written back without a version: a sample lost to a racing writer only
    // moves the average a little less, and it is an average
    double average = NodeRegistry.averaged(NodeItems.latency(item), latencyMs);
    Placeholders p = new Placeholders();
    table.updateIf(
        "record a success of node " + node,
        NetworkKeys.node(node),
        "SET "
            + p.name(NodeItems.LATENCY_MS)
            + " = "
            + p.value(AttributeValue.fromN(Double.toString(average)))
            + ", "
            + p.name(NodeItems.STREAK)
            + " = "
            + p.value(n(0))
            + " ADD "
            + p.name(NodeItems.SUCCESSES)
            + " "
            + p.value(n(1)),
        "attribute_exists(" + p.name(NetworkTable.PK) + ")",
        p);
  }

  @Override
  public void failed(NodeId node) {
    Placeholders p = new Placeholders();
    String one = p.value(n(1));
    table.updateIf(
        "record a failure of node " + node,
        NetworkKeys.node(node),
        "ADD "
            + p.name(NodeItems.STREAK)
            + " "
            + one
            + ", "
            + p.name(NodeItems.FAILURES)
            + " "
            + one,
        "attribute_exists(" + p.name(NetworkTable.PK) + ")",
        p);
  }

  @Override
  public void leave(NodeId node, String connection) {
    Placeholders p = new Placeholders();
    table.deleteIf("node " + node + " leaves", NetworkKeys.node(node), held(p, connection), p);
  }

  @Override
  public Optional<RegisteredNode> find(NodeId node, long nowMs) {
    Map<String, AttributeValue> item = read(node);
    return item == null ? Optional.empty() : Optional.of(NodeItems.registered(item, nowMs));
  }

  @Override
  public List<RegisteredNode> all(long nowMs) {
    List<RegisteredNode> out = new ArrayList<>();
    for (int shard = 0; shard < NetworkKeys.NODE_SHARDS; shard++) {
      Placeholders p = new Placeholders();
      QueryRequest query =
          QueryRequest.builder()
              .keyConditionExpression(
                  p.name(NetworkTable.PK) + " = " + p.value(s(NetworkKeys.nodePartition(shard))))
              .expressionAttributeNames(p.names())
              .expressionAttributeValues(p.values())
              .consistentRead(true)
              .build();
      for (Map<String, AttributeValue> item : table.query("list the nodes", query)) {
        out.add(NodeItems.registered(item, nowMs));
      }
    }
    return out;
  }

  private Map<String, AttributeValue> read(NodeId node) {
    return table.get("read node " + node, NetworkKeys.node(node));
  }

  private static String held(Placeholders p, String connection) {
    return p.name(NodeItems.CONNECTION) + " = " + p.value(s(connection));
  }
}
