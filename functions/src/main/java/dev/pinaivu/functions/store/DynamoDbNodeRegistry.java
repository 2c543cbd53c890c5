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
 * conditioned on the connection that holds the node, and those that count slots (reserve,
 * heartbeat) are read, computed and written back on the item's {@code version}, retried when
 * another writer came first. Two processes racing for a node's last slot cannot both win.
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
  static final String VERSION = "version";

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
    item.put(VERSION, n(0));
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
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Map<String, AttributeValue> item = read(node);
      if (item == null || !connection.equals(string(item, CONNECTION))) {
        return;
      }
      int reported = NodeRegistry.clampedRunning(runningJobs, (int) longOf(item, CAPACITY));
      long seen = Math.max(longOf(item, LAST_SEEN_MS), nowMs);
      Placeholders p = new Placeholders();
      String update =
          "SET "
              + p.name(LAST_SEEN_MS)
              + " = "
              + p.value(n(seen))
              + ", "
              + p.name(REPORTED)
              + " = "
              + p.value(n(reported))
              + " ADD "
              + p.name(VERSION)
              + " "
              + p.value(n(1));
      if (table.writeIf(
          "heartbeat of node " + node,
          NetworkKeys.node(node),
          null,
          update,
          sameVersion(p, item),
          p)) {
        return;
      }
    }
    throw new NetworkStoreException("heartbeat of node " + node, "the node kept changing");
  }

  @Override
  public Reservation reserve(
      NodeId node, String connection, String jobId, int capacity, long leaseUntilMs, long nowMs) {
    String operation = "reserve a slot on node " + node + " for " + jobId;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Map<String, AttributeValue> item = read(node);
      if (item == null || !connection.equals(string(item, CONNECTION))) {
        return Reservation.NOT_HELD;
      }
      Map<String, AttributeValue> slots = slots(item);
      List<String> lapsed = lapsed(slots, nowMs);
      boolean holds = slots.containsKey(jobId) && !lapsed.contains(jobId);
      int live = slots.size() - lapsed.size();
      int reported = (int) longOf(item, REPORTED);
      if (!holds && Math.max(live, reported) >= capacity) {
        return Reservation.AT_CAPACITY;
      }
      Placeholders p = new Placeholders();
      String slot = p.name(SLOTS) + "." + p.name(jobId);
      StringBuilder update = new StringBuilder("SET ").append(slot).append(" = ");
      update.append(p.value(n(leaseUntilMs)));
      if (!holds) {
        int raised = Math.min(reported + 1, (int) longOf(item, CAPACITY));
        update.append(", ").append(p.name(REPORTED)).append(" = ").append(p.value(n(raised)));
      }
      StringJoiner removes = new StringJoiner(", ", " REMOVE ", "").setEmptyValue("");
      lapsed.stream()
          .filter(job -> !job.equals(jobId))
          .forEach(job -> removes.add(p.name(SLOTS) + "." + p.name(job)));
      update.append(removes).append(" ADD ").append(p.name(VERSION)).append(' ');
      update.append(p.value(n(1)));
      if (table.writeIf(
          operation, NetworkKeys.node(node), null, update.toString(), sameVersion(p, item), p)) {
        return Reservation.RESERVED;
      }
    }
    throw new NetworkStoreException(operation, "the node kept changing");
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
    String operation = "release the slot of " + jobId;
    Placeholders p = new Placeholders();
    String slot = p.name(SLOTS) + "." + p.name(jobId);
    String reported = p.name(REPORTED);
    String one = p.value(n(1));
    boolean counted =
        table.writeIf(
            operation,
            NetworkKeys.node(node),
            null,
            "SET "
                + reported
                + " = "
                + reported
                + " - "
                + one
                + " REMOVE "
                + slot
                + " ADD "
                + p.name(VERSION)
                + " "
                + one,
            "attribute_exists(" + slot + ") AND " + reported + " >= " + one,
            p);
    if (!counted) { // a count of 0 stays 0; the slot goes all the same
      Placeholders q = new Placeholders();
      String slotQ = q.name(SLOTS) + "." + q.name(jobId);
      table.writeIf(
          operation,
          NetworkKeys.node(node),
          null,
          "REMOVE " + slotQ + " ADD " + q.name(VERSION) + " " + q.value(n(1)),
          "attribute_exists(" + slotQ + ")",
          q);
    }
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

  private static String sameVersion(Placeholders p, Map<String, AttributeValue> item) {
    return p.name(VERSION) + " = " + p.value(item.get(VERSION));
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
    return new RegisteredNode(
        entry,
        longOf(item, LAST_SEEN_MS),
        slots.size() - lapsed(slots, nowMs).size(),
        (int) longOf(item, REPORTED),
        latency(item),
        (int) longOf(item, STREAK),
        longOf(item, SUCCESSES),
        longOf(item, FAILURES));
  }
}
