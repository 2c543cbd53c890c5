package dev.pinaivu.core.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.reputation.Standing.Phase;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ConductRecords} does: a record comes back exactly as it was saved (every field,
 * the reputation's fractions included), a later save replaces it, nodes do not share records.
 */
public abstract class ConductRecordsContract {
  protected abstract ConductRecords newRecords();

  private static ConductRecord quarantined(long nowMs) {
    return new ConductRecord(
        new Reputation(3.25, 1.5, 2.125, 3.0, nowMs),
        Phase.QUARANTINED,
        nowMs + 120_000,
        2,
        0,
        0,
        1,
        0,
        7,
        4,
        1,
        nowMs,
        true,
        nowMs - 5);
  }

  @Test
  void aSavedRecord_isFoundAsItWasSaved_andOnlyForItsNode() {
    ConductRecords records = newRecords();
    var node = NodeKey.generate().id();
    long now = System.currentTimeMillis();

    assertThat(records.find(node)).isEmpty();
    records.save(node, quarantined(now));

    assertThat(records.find(node)).contains(quarantined(now));
    assertThat(records.find(NodeKey.generate().id())).isEmpty();
  }

  @Test
  void aLaterSave_replacesTheRecord() {
    ConductRecords records = newRecords();
    var node = NodeKey.generate().id();
    long now = System.currentTimeMillis();
    records.save(node, quarantined(now));
    NodeConduct released = NodeConduct.of(ConductRules.DEFAULTS, quarantined(now));
    released.succeeded(now + 200_000, 150, 3); // its quarantine over: on probation, one success

    records.save(node, released.record());

    ConductRecord found = records.find(node).orElseThrow();
    assertThat(found.phase()).isEqualTo(Phase.PROBATION);
    assertThat(found.successes()).isEqualTo(8);
    assertThat(found.shownConcurrency()).isEqualTo(3);
    assertThat(found).isEqualTo(released.record());
  }
}
