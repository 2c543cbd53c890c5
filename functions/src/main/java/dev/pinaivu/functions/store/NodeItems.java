package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.Attributes.longOf;
import static dev.pinaivu.functions.store.Attributes.n;
import static dev.pinaivu.functions.store.Attributes.s;
import static dev.pinaivu.functions.store.Attributes.string;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.NodeEntry;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.node.RegisteredNode;
import dev.pinaivu.core.openai.ApiKind;
import dev.pinaivu.core.receipt.SignedOffer;
import dev.pinaivu.core.receipt.Verification;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A node's item in the network table ({@code NODES#<shard>/NODE#<id>}, ADR 21): its attributes, and
 * the node read back from one. The offer is stored as the node signed it and read back without its
 * signature checked again: it was checked before it was written.
 */
final class NodeItems {
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

  private NodeItems() {}

  /** The item of a node that joins now: its entry, no slots, no history. */
  static Map<String, AttributeValue> joined(NodeEntry entry, long nowMs) {
    Map<String, AttributeValue> item = new java.util.HashMap<>(NetworkKeys.node(entry.nodeId()));
    item.put(CONNECTION, s(entry.connection()));
    item.put(CONNECTED_MS, n(entry.connectedAtMs()));
    item.put(PUBLIC_KEY, s(B64.encode(entry.publicKey())));
    item.put(APIS, Attributes.ss(wire(entry.apis())));
    offerAttributes(entry).forEach(item::put);
    item.put(LAST_SEEN_MS, n(nowMs));
    item.put(SLOTS, AttributeValue.fromM(Map.of()));
    item.put(REPORTED, n(0));
    item.put(STREAK, n(0));
    item.put(SUCCESSES, n(0));
    item.put(FAILURES, n(0));
    return item;
  }

  static Map<String, AttributeValue> offerAttributes(NodeEntry entry) {
    ObjectNode signed = Json.object();
    signed.set("offer", entry.signed().offer());
    signed.put("signature", entry.signed().signature());
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    out.put(OFFER, s(Json.text(signed)));
    out.put(ISSUED_MS, n(entry.offer().issuedAtMs()));
    out.put(CAPACITY, n(entry.offer().capacity()));
    return out;
  }

  static Set<String> wire(Set<ApiKind> apis) {
    Set<String> out = new HashSet<>();
    apis.forEach(api -> out.add(api.wire()));
    return out;
  }

  static Map<String, AttributeValue> slots(Map<String, AttributeValue> item) {
    AttributeValue slots = item.get(SLOTS);
    return slots == null || !slots.hasM() ? Map.of() : slots.m();
  }

  static List<String> lapsed(Map<String, AttributeValue> slots, long nowMs) {
    List<String> out = new ArrayList<>();
    slots.forEach((job, until) -> {
      if (Long.parseLong(until.n()) <= nowMs) {
        out.add(job);
      }
    });
    return out;
  }

  static double latency(Map<String, AttributeValue> item) {
    AttributeValue value = item.get(LATENCY_MS);
    return value == null ? Double.NaN : Double.parseDouble(value.n());
  }

  static RegisteredNode registered(Map<String, AttributeValue> item, long nowMs) {
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
