package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.Attributes.longOf;
import static dev.pinaivu.functions.store.Attributes.n;
import static dev.pinaivu.functions.store.Attributes.s;
import static dev.pinaivu.functions.store.Attributes.string;

import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.reputation.ConductRecord;
import dev.pinaivu.core.reputation.ConductRecords;
import dev.pinaivu.core.reputation.Reputation;
import dev.pinaivu.core.reputation.Standing.Phase;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link ConductRecords} on the network table: a node's record is the item {@code
 * CONDUCT#<id>/CONDUCT}, put whole after each event by the process holding the node's connection,
 * and deleted by TTL after {@link ConductRecord#keepUntilMs} (a record read past it is treated as
 * gone: TTL deletion is lazy).
 */
public final class DynamoDbConductRecords implements ConductRecords {
  private final NetworkTable table;

  public DynamoDbConductRecords(DynamoDbClient dynamo, String table) {
    this.table = new NetworkTable(dynamo, table);
  }

  @Override
  public Optional<ConductRecord> find(NodeId node) {
    Map<String, AttributeValue> item =
        table.get("read the conduct of node " + node, NetworkKeys.conduct(node));
    if (item == null || longOf(item, NetworkTable.TTL) * 1000 < System.currentTimeMillis()) {
      return Optional.empty();
    }
    Reputation reputation =
        new Reputation(
            real(item, "rep_good"),
            real(item, "rep_bad"),
            real(item, "rep_latency_sum"),
            real(item, "rep_latency_count"),
            longOf(item, "rep_at_ms"));
    return Optional.of(
        new ConductRecord(
            reputation,
            Phase.valueOf(string(item, "phase").toUpperCase(Locale.ROOT)),
            longOf(item, "quarantined_until_ms"),
            (int) longOf(item, "quarantines"),
            (int) longOf(item, "probation_successes"),
            (int) longOf(item, "streak"),
            (int) longOf(item, "strikes"),
            (int) longOf(item, "shown_concurrency"),
            longOf(item, "successes"),
            longOf(item, "failures"),
            longOf(item, "overclaims"),
            longOf(item, "last_event_ms"),
            item.get("link_lost").bool(),
            longOf(item, "link_lost_at_ms")));
  }

  @Override
  public void save(NodeId node, ConductRecord r) {
    Map<String, AttributeValue> item = new HashMap<>(NetworkKeys.conduct(node));
    Reputation rep = r.reputation();
    item.put("rep_good", real(rep.good()));
    item.put("rep_bad", real(rep.bad()));
    item.put("rep_latency_sum", real(rep.latencySum()));
    item.put("rep_latency_count", real(rep.latencyCount()));
    item.put("rep_at_ms", n(rep.atMs()));
    item.put("phase", s(r.phase().wire()));
    item.put("quarantined_until_ms", n(r.quarantinedUntilMs()));
    item.put("quarantines", n(r.quarantines()));
    item.put("probation_successes", n(r.probationSuccesses()));
    item.put("streak", n(r.streak()));
    item.put("strikes", n(r.strikes()));
    item.put("shown_concurrency", n(r.shownConcurrency()));
    item.put("successes", n(r.successes()));
    item.put("failures", n(r.failures()));
    item.put("overclaims", n(r.overclaims()));
    item.put("last_event_ms", n(r.lastEventMs()));
    item.put("link_lost", AttributeValue.fromBool(r.linkLost()));
    item.put("link_lost_at_ms", n(r.linkLostAtMs()));
    item.put(NetworkTable.TTL, n(Math.ceilDiv(r.keepUntilMs(), 1000)));
    table.put("keep the conduct of node " + node, item);
  }

  private static AttributeValue real(double value) {
    return AttributeValue.fromN(Double.toString(value));
  }

  private static double real(Map<String, AttributeValue> item, String name) {
    return Double.parseDouble(item.get(name).n());
  }
}
