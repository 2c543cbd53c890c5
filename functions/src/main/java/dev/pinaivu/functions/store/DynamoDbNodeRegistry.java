package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.Attributes.longOf;
import static dev.pinaivu.functions.store.Attributes.n;
import static dev.pinaivu.functions.store.Attributes.s;
import static dev.pinaivu.functions.store.Attributes.ss;
import static dev.pinaivu.functions.store.Attributes.string;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.NodeEntry;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.node.NodeRegistry;
import dev.pinaivu.core.node.RegisteredNode;
import dev.pinaivu.core.openai.ApiKind;
import dev.pinaivu.core.receipt.SignedOffer;
import dev.pinaivu.core.receipt.Verification;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

  static final String CONNECTION = "conn";
  static final String CONNECTED_MS = "connected_ms";
  static final String PUBLIC_KEY = "public_key";
  static final String APIS = "apis";
  static final String OFFER = "offer";
  static final String ISSUED_MS = "issued_ms";
  static final String CAPACITY = "capacity";
  static final String LAST_SEEN_MS = "last_seen_ms";
  static final String SLOTS = "slots";
  static final String REPORTED = "reported";
  static final String LATENCY_MS = "latency_ms";
  static final String STREAK = "streak";
  static final String SUCCESSES = "successes";
  static final String FAILURES = "failures";

  private final NetworkTable table;

  public DynamoDbNodeRegistry(DynamoDbClient dynamo, String table) {
    this.table = new NetworkTable(dynamo, table);
  }

  @Override
  public boolean join(NodeEntry entry, long nowMs) {
    Map<String, AttributeValue> item = new HashMap<>(NetworkKeys.node(entry.nodeId()));
    item.put(CONNECTION, s(entry.connection()));
    item.put(CONNECTED_MS, n(entry.connectedAtMs()));
    item.put(PUBLIC_KEY, s(B64.encode(entry.publicKey())));
    item.put(APIS, ss(wire(entry.apis())));
    offerAttributes(entry).forEach(item::put);
    item.put(LAST_SEEN_MS, n(nowMs));
    item.put(SLOTS, AttributeValue.fromM(Map.of()));
    item.put(REPORTED, n(0));
    item.put(STREAK, n(0));
    item.put(SUCCESSES, n(0));
    item.put(FAILURES, n(0));
    Placeholders p = new Placeholders();
    String condition =
        "attribute_not_exists("
            + p.name(NetworkTable.PK)
            + ") OR "
            + p.name(CONNECTED_MS)
            + " <= "
            + p.value(n(entry.connectedAtMs()));
    return table.writeIf("join node " + entry.nodeId(), null, item, null, condition, p);
  }

  @Override
  public boolean offer(NodeEntry withOffer, long nowMs) {
    Placeholders p = new Placeholders();
    StringJoiner sets = new StringJoiner(", ", "SET ", "");
    offerAttributes(withOffer)
        .forEach((name, value) -> sets.add(p.name(name) + " = " + p.value(value)));
    String condition =
        held(p, withOffer.connection())
            + " AND "
            + p.name(ISSUED_MS)
            + " < "
            + p.value(n(withOffer.offer().issuedAtMs()));
    sets.add(p.name(LAST_SEEN_MS) + " = " + p.value(n(nowMs)));
    return table.writeIf(
        "offer of node " + withOffer.nodeId(),
        NetworkKeys.node(withOffer.nodeId()),
        null,
        sets.toString(),
        condition,
        p);
  }

  @Override
  public void heartbeat(NodeId node, String connection, int runningJobs, long nowMs) {
    int reported = Math.max(0, runningJobs);
    for (int attempt = 1; attempt <= 2; attempt++) {
      Placeholders p = new Placeholders();
      String update =
          "SET "
              + p.name(LAST_SEEN_MS)
              + " = "
              + p.value(n(nowMs))
              + ", "
              + p.name(REPORTED)
              + " = "
              + p.value(n(reported));
      String condition =
          held(p, connection) + " AND " + p.name(CAPACITY) + " >= " + p.value(n(reported));
      NetworkTable.UpdateOutcome outcome =
          table.updateIf("heartbeat of node " + node, NetworkKeys.node(node), update, condition, p);
      if (outcome.applied()
          || outcome.item().isEmpty()
          || !connection.equals(string(outcome.item(), CONNECTION))) {
        return; // written, or the node is not this connection's
      }
      reported = (int) longOf(outcome.item(), CAPACITY); // more than its offer: its capacity
    }
  }

  @Override
  public Reservation reserve(
      NodeId node, String connection, String jobId, int capacity, long leaseUntilMs, long nowMs) {
    String operation = "reserve a slot on node " + node + " for " + jobId;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // one conditional write: the map's size and the node's count are compared in the condition
      Placeholders p = new Placeholders();
      String slot = p.name(SLOTS) + "." + p.name(jobId);
      String cap = p.value(n(capacity));
      String update =
          "SET "
              + slot
              + " = "
              + p.value(n(leaseUntilMs))
              + " ADD "
              + p.name(REPORTED)
              + " "
              + p.value(n(1));
      String condition =
          held(p, connection)
              + " AND attribute_not_exists("
              + slot
              + ") AND size("
              + p.name(SLOTS)
              + ") < "
              + cap
              + " AND "
              + p.name(REPORTED)
              + " < "
              + cap;
      NetworkTable.UpdateOutcome outcome =
          table.updateIf(operation, NetworkKeys.node(node), update, condition, p);
      if (outcome.applied()) {
        return Reservation.RESERVED;
      }
      Map<String, AttributeValue> item = outcome.item();
      if (item.isEmpty() || !connection.equals(string(item, CONNECTION))) {
        return Reservation.NOT_HELD;
      }
      Map<String, AttributeValue> slots = slots(item);
      if (slots.containsKey(jobId)) {
        renew(node, jobId, leaseUntilMs); // it holds one already
        return Reservation.RESERVED;
      }
      List<String> lapsed = lapsed(slots, nowMs);
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
      String slot = p.name(SLOTS) + "." + p.name(jobId);
      String guard =
          lease == null ? "attribute_exists(" + slot + ")" : slot + " = " + p.value(lease);
      String update = "REMOVE " + slot;
      String condition = guard;
      if (counted) {
        String reported = p.name(REPORTED);
        String one = p.value(n(1));
        update = "SET " + reported + " = " + reported + " - " + one + " " + update;
        condition = guard + " AND " + reported + " >= " + one;
      }
      if (table.writeIf(operation, NetworkKeys.node(node), null, update, condition, p)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void renew(NodeId node, String jobId, long leaseUntilMs) {
    Placeholders p = new Placeholders();
    String slot = p.name(SLOTS) + "." + p.name(jobId);
    table.writeIf(
        "renew the slot of " + jobId,
        NetworkKeys.node(node),
        null,
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
    double average = NodeRegistry.averaged(latency(item), latencyMs);
    Placeholders p = new Placeholders();
    table.writeIf(
        "record a success of node " + node,
        NetworkKeys.node(node),
        null,
        "SET "
            + p.name(LATENCY_MS)
            + " = "
            + p.value(AttributeValue.fromN(Double.toString(average)))
            + ", "
            + p.name(STREAK)
            + " = "
            + p.value(n(0))
            + " ADD "
            + p.name(SUCCESSES)
            + " "
            + p.value(n(1)),
        "attribute_exists(" + p.name(NetworkTable.PK) + ")",
        p);
  }

  @Override
  public void failed(NodeId node) {
    Placeholders p = new Placeholders();
    String one = p.value(n(1));
    table.writeIf(
        "record a failure of node " + node,
        NetworkKeys.node(node),
        null,
        "ADD " + p.name(STREAK) + " " + one + ", " + p.name(FAILURES) + " " + one,
        "attribute_exists(" + p.name(NetworkTable.PK) + ")",
        p);
  }

  @Override
  public void leave(NodeId node, String connection) {
    Placeholders p = new Placeholders();
    table.writeIf(
        "node " + node + " leaves", NetworkKeys.node(node), null, null, held(p, connection), p);
  }

  @Override
  public Optional<RegisteredNode> find(NodeId node, long nowMs) {
    Map<String, AttributeValue> item = read(node);
    return item == null ? Optional.empty() : Optional.of(registered(item, nowMs));
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
        out.add(registered(item, nowMs));
      }
    }
    return out;
  }

  private Map<String, AttributeValue> read(NodeId node) {
    return table.get("read node " + node, NetworkKeys.node(node));
  }

  private static String held(Placeholders p, String connection) {
    return p.name(CONNECTION) + " = " + p.value(s(connection));
  }

  private static Map<String, AttributeValue> offerAttributes(NodeEntry entry) {
    ObjectNode signed = Json.object();
    signed.set("offer", entry.signed().offer());
    signed.put("signature", entry.signed().signature());
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    out.put(OFFER, s(Json.text(signed)));
    out.put(ISSUED_MS, n(entry.offer().issuedAtMs()));
    out.put(CAPACITY, n(entry.offer().capacity()));
    return out;
  }

  private static Set<String> wire(Set<ApiKind> apis) {
    Set<String> out = new HashSet<>();
    apis.forEach(api -> out.add(api.wire()));
    return out;
  }

  private static Map<String, AttributeValue> slots(Map<String, AttributeValue> item) {
    AttributeValue slots = item.get(SLOTS);
    return slots == null || !slots.hasM() ? Map.of() : slots.m();
  }

  private static List<String> lapsed(Map<String, AttributeValue> slots, long nowMs) {
    List<String> out = new ArrayList<>();
    slots.forEach((job, until) -> {
      if (Long.parseLong(until.n()) <= nowMs) {
        out.add(job);
      }
    });
    return out;
  }

  private static double latency(Map<String, AttributeValue> item) {
    AttributeValue value = item.get(LATENCY_MS);
    return value == null ? Double.NaN : Double.parseDouble(value.n());
  }

  private static RegisteredNode registered(Map<String, AttributeValue> item, long nowMs) {
    NodeId node = NodeId.parse(string(item, NetworkTable.SK).substring("NODE#".length()));
    SignedOffer signed;
    try {
      JsonNode tree = Json.parse(string(item, OFFER));
      signed = new SignedOffer((ObjectNode) tree.get("offer"), tree.get("signature").asText());
    } catch (JsonProcessingException | RuntimeException e) {
      throw new NetworkStoreException("read node " + node, "its offer is not readable: " + e);
    }
    Verification<NodeOffer> offer = signed.readStored();
    if (!offer.valid()) {
      throw new NetworkStoreException("read node " + node, offer.reason());
    }
    Set<ApiKind> apis = new HashSet<>();
    Attributes.stringSet(item, APIS).forEach(name -> apis.add(ApiKind.fromWire(name)));
    NodeEntry entry =
        new NodeEntry(
            node,
            string(item, CONNECTION),
            B64.decode(string(item, PUBLIC_KEY)),
            apis,
            signed,
            offer.value(),
            longOf(item, CONNECTED_MS));
    Map<String, AttributeValue> slots = slots(item);
    int lapsed = lapsed(slots, nowMs).size(); // freed as a release frees them, when next pruned
    return new RegisteredNode(
        entry,
        longOf(item, LAST_SEEN_MS),
        slots.size() - lapsed,
        (int) Math.max(0, longOf(item, REPORTED) - lapsed),
        latency(item),
        (int) longOf(item, STREAK),
        longOf(item, SUCCESSES),
        longOf(item, FAILURES));
  }
}
