package dev.pinaivu.core.usage;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Use case {@code GET /v1/usage}: the caller's usage summed from its stored receipts, in time
 * buckets, optionally per model and API key. Every figure is a sum of receipts, in integer
 * arithmetic, so the report adds up to the receipts exactly; no receipt is counted twice or lost.
 */
public final class UsageReport {
  private static final Comparator<String> NULLS_FIRST =
      Comparator.nullsFirst(Comparator.naturalOrder());
  private static final Comparator<Group> BY_MODEL_THEN_KEY =
      Comparator.comparing(Group::model, NULLS_FIRST).thenComparing(Group::keyId, NULLS_FIRST);

  private final ReceiptStore store;
  private final InstantSource clock;

  public UsageReport(ReceiptStore store, InstantSource clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The report for {@code accountId} from the request's query parameters (name to values, as HTTP
   * servers give them); a bad parameter is an {@code ApiException} (400).
   */
  public UsagePage report(String accountId, Map<String, List<String>> queryParams) {
    return report(accountId, UsageQuery.from(queryParams, clock.millis()));
  }

  public UsagePage report(String accountId, UsageQuery query) {
    List<Map<Group, Tally>> buckets = new ArrayList<>();
    for (int i = 0; i < query.bucketCount(); i++) {
      buckets.add(new TreeMap<>(BY_MODEL_THEN_KEY));
    }
    Tally totals = Tally.ZERO;
    for (ReceiptFigures receipt : store.figures(accountId, query.startMs(), query.endMs())) {
      if (query.keeps(receipt)) {
        buckets
            .get(query.bucketOf(receipt.issuedAtMs()))
            .compute(
                Group.of(receipt, query),
                (g, sum) -> (sum == null ? Tally.ZERO : sum).plus(receipt));
        totals = totals.plus(receipt);
      }
    }
    List<UsageBucket> data = new ArrayList<>(buckets.size());
    for (int i = 0; i < buckets.size(); i++) {
      List<UsageResult> results = new ArrayList<>();
      buckets.get(i).forEach((group, tally) -> results.add(group.result(tally)));
      data.add(
          new UsageBucket(UsageBucket.OBJECT, query.bucketStart(i), query.bucketEnd(i), results));
    }
    return UsagePage.of(data, UsageTotals.of(totals));
  }

  /** What a result is split by: null for a field the report does not group by. */
  private record Group(String model, String keyId) {
    static Group of(ReceiptFigures receipt, UsageQuery query) {
      return new Group(
          query.groupBy().contains(GroupBy.MODEL) ? receipt.model() : null,
          query.groupBy().contains(GroupBy.KEY_ID) ? receipt.keyId() : null);
    }

    UsageResult result(Tally tally) {
      return UsageResult.of(model, keyId, tally);
    }
  }
}
