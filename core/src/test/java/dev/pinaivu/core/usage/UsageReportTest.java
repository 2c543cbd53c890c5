package dev.pinaivu.core.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.id.RequestId;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class UsageReportTest {
  private static final String ALICE = "acct_alice";
  private static final long DAY = 86_400;
  private static final long HOUR = 3_600;

  /** 2027-01-15T00:00:00Z, a day boundary. */
  private static final long T = 1_800_000_000L - 1_800_000_000L % DAY;

  private final InMemoryReceiptStore store = new InMemoryReceiptStore();
  private final UsageReport usage =
      new UsageReport(store, InstantSource.fixed(Instant.ofEpochSecond(T + 3 * DAY)));

  private StoredReceipt save(
      String account, String key, String model, long issuedAtMs, long in, long out, long cost) {
    StoredReceipt r =
        new StoredReceipt(
            RequestId.next(),
            account,
            key,
            model,
            "node_x",
            "completed",
            issuedAtMs,
            in,
            out,
            cost,
            "{}");
    store.save(r);
    return r;
  }

  private StoredReceipt save(String model, long issuedAtMs, long cost) {
    return save(ALICE, "key_1", model, issuedAtMs, 10, 20, cost);
  }

  private static UsageQuery days(long start, long end, Set<GroupBy> groupBy) {
    return new UsageQuery(start, end, BucketWidth.DAY, groupBy, Set.of(), Set.of());
  }

  private static long ms(long seconds) {
    return seconds * 1000;
  }

  @Test
  void totalsAndBuckets_addUpExactlyToTheReceipts() {
    Random random = new Random(7);
    List<StoredReceipt> saved = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      saved.add(
          save(
              ALICE,
              "key_" + random.nextInt(3),
              "model-" + random.nextInt(4),
              ms(T) + random.nextLong(ms(3 * DAY)),
              random.nextLong(100_000),
              random.nextLong(100_000),
              random.nextLong(10_000_000)));
    }

    UsagePage page =
        usage.report(ALICE, days(T, T + 3 * DAY, Set.of(GroupBy.MODEL, GroupBy.KEY_ID)));

    long in = saved.stream().mapToLong(StoredReceipt::promptTokens).sum();
    long out = saved.stream().mapToLong(StoredReceipt::completionTokens).sum();
    long cost = saved.stream().mapToLong(StoredReceipt::totalChargedMicros).sum();
    assertThat(page.totals()).isEqualTo(new UsageTotals(500, in, out, cost, Tally.usd(cost)));
    List<UsageResult> results = page.data().stream().flatMap(b -> b.results().stream()).toList();
    assertThat(results.stream().mapToLong(UsageResult::numModelRequests).sum()).isEqualTo(500);
    assertThat(results.stream().mapToLong(UsageResult::inputTokens).sum()).isEqualTo(in);
    assertThat(results.stream().mapToLong(UsageResult::outputTokens).sum()).isEqualTo(out);
    assertThat(results.stream().mapToLong(UsageResult::costMicros).sum()).isEqualTo(cost);
  }

  @Test
  void aReceiptAtABucketStart_belongsToThatBucket_andOneAtEndTimeIsLeftOut() {
    save("m", ms(T) - 1, 1);
    save("m", ms(T), 10);
    save("m", ms(T + DAY) - 1, 100);
    save("m", ms(T + DAY), 1_000);
    save("m", ms(T + 2 * DAY), 10_000);

    UsagePage page = usage.report(ALICE, days(T, T + 2 * DAY, Set.of()));

    assertThat(page.data())
        .extracting(UsageBucket::startTime, UsageBucket::endTime)
        .containsExactly(tuple(T, T + DAY), tuple(T + DAY, T + 2 * DAY));
    assertThat(page.data().get(0).results())
        .singleElement()
        .satisfies(r -> {
          assertThat(r.numModelRequests()).isEqualTo(2);
          assertThat(r.costMicros()).isEqualTo(110);
        });
    assertThat(page.data().get(1).results())
        .singleElement()
        .extracting(UsageResult::costMicros)
        .isEqualTo(1_000L);
    assertThat(page.totals().costMicros()).isEqualTo(1_110);
  }

  @Test
  void theLastBucket_isCutAtEndTime() {
    save("m", ms(T + HOUR), 5);

    UsagePage page = usage.report(ALICE, days(T - DAY, T + 2 * HOUR, Set.of()));

    assertThat(page.data())
        .extracting(UsageBucket::startTime, UsageBucket::endTime)
        .containsExactly(tuple(T - DAY, T), tuple(T, T + 2 * HOUR));
    assertThat(page.data().get(1).results())
        .singleElement()
        .extracting(UsageResult::costMicros)
        .isEqualTo(5L);
  }

  @Test
  void groupingByModel_givesOneResultPerModel_sortedByName_andNullKeyIds() {
    save(ALICE, "key_1", "zeta", ms(T), 1, 2, 3);
    save(ALICE, "key_2", "alpha", ms(T) + 1, 4, 5, 6);
    save(ALICE, "key_2", "zeta", ms(T) + 2, 7, 8, 9);

    UsagePage page = usage.report(ALICE, days(T, T + DAY, Set.of(GroupBy.MODEL)));

    assertThat(page.data().get(0).results())
        .extracting(
            UsageResult::model,
            UsageResult::keyId,
            UsageResult::numModelRequests,
            UsageResult::inputTokens,
            UsageResult::outputTokens,
            UsageResult::costMicros)
        .containsExactly(
            tuple("alpha", null, 1L, 4L, 5L, 6L), tuple("zeta", null, 2L, 8L, 10L, 12L));
  }

  @Test
  void groupingByKeyAndModel_splitsByBoth_andNoGroupingGivesOneResult() {
    save(ALICE, "key_1", "m", ms(T), 1, 1, 1);
    save(ALICE, "key_2", "m", ms(T), 1, 1, 1);
    save(ALICE, "key_2", "n", ms(T), 1, 1, 1);

    assertThat(
            usage
                .report(ALICE, days(T, T + DAY, Set.of(GroupBy.KEY_ID, GroupBy.MODEL)))
                .data()
                .get(0)
                .results())
        .extracting(UsageResult::keyId, UsageResult::model)
        .containsExactly(tuple("key_1", "m"), tuple("key_2", "m"), tuple("key_2", "n"));
    assertThat(usage.report(ALICE, days(T, T + DAY, Set.of())).data().get(0).results())
        .singleElement()
        .satisfies(r -> {
          assertThat(r.model()).isNull();
          assertThat(r.keyId()).isNull();
          assertThat(r.numModelRequests()).isEqualTo(3);
        });
  }

  @Test
  void filters_keepOnlyTheNamedModelsAndKeys_inBucketsAndTotals() {
    save(ALICE, "key_1", "m", ms(T), 1, 1, 10);
    save(ALICE, "key_1", "n", ms(T), 1, 1, 20);
    save(ALICE, "key_2", "m", ms(T), 1, 1, 40);

    UsageQuery q =
        new UsageQuery(T, T + DAY, BucketWidth.DAY, Set.of(), Set.of("m"), Set.of("key_1"));

    UsagePage page = usage.report(ALICE, q);
    assertThat(page.totals().costMicros()).isEqualTo(10);
    assertThat(page.data().get(0).results())
        .singleElement()
        .extracting(UsageResult::costMicros)
        .isEqualTo(10L);
    assertThat(
            usage
                .report(
                    ALICE,
                    new UsageQuery(
                        T, T + DAY, BucketWidth.DAY, Set.of(), Set.of("m", "n"), Set.of()))
                .totals()
                .costMicros())
        .isEqualTo(70);
  }

  @Test
  void aRangeWithoutReceipts_hasEveryBucketEmpty_andZeroTotals() {
    save("m", ms(T + 10 * DAY), 5);
    save("other-account-m", ms(T), 5);
    store.save(
        new StoredReceipt(
            RequestId.next(),
            "acct_bob",
            "key_9",
            "m",
            "node_x",
            "completed",
            ms(T),
            1,
            1,
            99,
            "{}"));

    UsagePage page =
        usage.report(
            ALICE,
            new UsageQuery(
                T + DAY, T + DAY + 3 * HOUR, BucketWidth.HOUR, Set.of(), Set.of(), Set.of()));

    assertThat(page.data()).hasSize(3).allSatisfy(b -> assertThat(b.results()).isEmpty());
    assertThat(page.totals()).isEqualTo(new UsageTotals(0, 0, 0, 0, "0.000000"));
    assertThat(page.hasMore()).isFalse();
    assertThat(page.nextPage()).isNull();
  }

  @Test
  void anotherAccountsReceipts_areNeverCounted() {
    save("acct_bob", "key_9", "m", ms(T), 1, 1, 99);
    save("m", ms(T), 1);

    assertThat(usage.report(ALICE, days(T, T + DAY, Set.of())).totals().costMicros()).isEqualTo(1);
  }

  @Test
  void queryParameters_areReadWithTheClockForDefaults() {
    save("m", ms(T + 2 * DAY + 5), 42);

    UsagePage page =
        usage.report(ALICE, Map.of("bucket_width", List.of("1h"), "group_by", List.of("model")));

    assertThat(page.totals().costMicros()).isEqualTo(42);
    assertThat(page.data().getLast().endTime()).isEqualTo(T + 3 * DAY + 1);
    Assertions.assertThatThrownBy(
            () -> usage.report(ALICE, Map.of("group_by", List.of("project_id"))))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void costUsd_isTheExactMicrosWithSixDecimals() {
    assertThat(Tally.usd(0)).isEqualTo("0.000000");
    assertThat(Tally.usd(123)).isEqualTo("0.000123");
    assertThat(Tally.usd(1_500_000)).isEqualTo("1.500000");
    assertThat(Tally.usd((1L << 53) - 1)).isEqualTo("9007199254.740991");
  }
}
