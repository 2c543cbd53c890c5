package dev.pinaivu.core.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class UsageQueryTest {
  /** 2027-01-15T10:20:30.500Z */
  private static final long NOW_MS = 1_800_008_430_500L;

  private static final long DAY = 86_400;

  private static UsageQuery parse(Map<String, List<String>> params) {
    return UsageQuery.from(params, NOW_MS);
  }

  private static AbstractThrowableAssert<?, ?> assertRefused(
      Map<String, List<String>> params, String param) {
    return assertThatThrownBy(() -> parse(params))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
              assertThat(e.param()).isEqualTo(param);
            });
  }

  @Test
  void noParameters_coverTheLast30DaysInDailyBucketsUpToNow() {
    UsageQuery q = parse(Map.of());

    assertThat(q.endTime()).isEqualTo(NOW_MS / 1000 + 1);
    assertThat(q.startTime()).isEqualTo(((NOW_MS / 1000 + 1 - 30 * DAY) / DAY) * DAY);
    assertThat(q.startTime() % DAY).isZero();
    assertThat(q.bucketWidth()).isEqualTo(BucketWidth.DAY);
    assertThat(q.bucketCount()).isEqualTo(31);
    assertThat(q.groupBy()).isEmpty();
    assertThat(q.models()).isEmpty();
    assertThat(q.keyIds()).isEmpty();
  }

  @Test
  void hourlyBucketsByDefault_startOnAWholeHour_andFitTheLimit() {
    UsageQuery q = parse(Map.of("bucket_width", List.of("1h")));

    assertThat(q.startTime() % 3600).isZero();
    assertThat(q.bucketCount()).isLessThanOrEqualTo(BucketWidth.HOUR.maxBuckets());
  }

  @Test
  void explicitRange_isKeptAsGiven_andTheLastBucketEndsAtEndTime() {
    UsageQuery q =
        parse(
            Map.of(
                "start_time",
                List.of("1000"),
                "end_time",
                List.of(Long.toString(1000 + 2 * DAY + 5))));

    assertThat(q.startMs()).isEqualTo(1_000_000);
    assertThat(q.bucketCount()).isEqualTo(3);
    assertThat(q.bucketStart(1)).isEqualTo(1000 + DAY);
    assertThat(q.bucketEnd(1)).isEqualTo(1000 + 2 * DAY);
    assertThat(q.bucketEnd(2)).isEqualTo(1000 + 2 * DAY + 5);
  }

  @Test
  void listParameters_mayBeRepeatedBracketedOrCommaSeparated() {
    UsageQuery q =
        parse(
            Map.of(
                "group_by", List.of("model"),
                "group_by[]", List.of("key_id"),
                "models", List.of("a,b", " c "),
                "key_ids[]", List.of("key_1,,")));

    assertThat(q.groupBy()).containsExactlyInAnyOrder(GroupBy.MODEL, GroupBy.KEY_ID);
    assertThat(q.models()).isEqualTo(Set.of("a", "b", "c"));
    assertThat(q.keyIds()).isEqualTo(Set.of("key_1"));
  }

  @Test
  void unknownParameters_areIgnored() {
    assertThat(parse(Map.of("limit", List.of("7"), "page", List.of("x"))).bucketCount())
        .isEqualTo(31);
  }

  @Test
  void endBeforeOrAtStart_isA400OnEndTime() {
    assertRefused(Map.of("start_time", List.of("2000"), "end_time", List.of("1000")), "end_time")
        .hasMessageContaining("must be after 'start_time'");
    assertRefused(Map.of("start_time", List.of("2000"), "end_time", List.of("2000")), "end_time");
  }

  @Test
  void unknownGroupByOrBucketWidth_isA400NamingTheParameter() {
    assertRefused(Map.of("group_by", List.of("model,project_id")), "group_by")
        .hasMessageContaining("'project_id'");
    assertRefused(Map.of("bucket_width", List.of("1m")), "bucket_width")
        .hasMessageContaining("'1m'");
  }

  @Test
  void timesThatAreNotWholeSecondsOrOutOfRange_areA400() {
    assertRefused(Map.of("start_time", List.of("12.5")), "start_time")
        .hasMessageContaining("whole seconds");
    assertRefused(Map.of("end_time", List.of("soon")), "end_time");
    assertRefused(Map.of("start_time", List.of("-1")), "start_time");
    assertRefused(Map.of("end_time", List.of("99999999999999")), "end_time");
  }

  @Test
  void aScalarGivenTwice_isA400() {
    assertRefused(Map.of("start_time", List.of("1", "2")), "start_time")
        .hasMessageContaining("only once");
  }

  @Test
  void tooManyBuckets_isA400_andTheLimitItselfIsAllowed() {
    long start = 1_700_000_000L;
    String justFits = Long.toString(start + 366 * DAY);
    String oneMore = Long.toString(start + 366 * DAY + 1);

    assertThat(
            parse(
                    Map.of(
                        "start_time", List.of(Long.toString(start)), "end_time", List.of(justFits)))
                .bucketCount())
        .isEqualTo(366);
    assertRefused(
            Map.of("start_time", List.of(Long.toString(start)), "end_time", List.of(oneMore)),
            "start_time")
        .hasMessageContaining("367 buckets of 1d");
    assertRefused(
        Map.of(
            "bucket_width", List.of("1h"),
            "start_time", List.of(Long.toString(start)),
            "end_time", List.of(Long.toString(start + 745 * 3600L))),
        "start_time");
  }

  @Test
  void aLongValueIsNotEchoedWhole() {
    String huge = "x".repeat(10_000);

    assertRefused(Map.of("group_by", List.of(huge)), "group_by")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
  }
}
