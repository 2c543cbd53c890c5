package dev.pinaivu.core.usage;

import dev.pinaivu.core.error.ApiException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a usage report covers: receipts issued in {@code [startTime, endTime)} (Unix seconds), cut
 * into buckets of {@code bucketWidth} starting at {@code startTime} (the last one ends at {@code
 * endTime}), split by the {@code groupBy} fields, keeping only the given models and API keys (all
 * when empty). docs/usage.md describes the parameters.
 */
public record UsageQuery(
    long startTime,
    long endTime,
    BucketWidth bucketWidth,
    Set<GroupBy> groupBy,
    Set<String> models,
    Set<String> keyIds) {
  /** The range a report covers when {@code start_time} is not given. */
  public static final long DEFAULT_RANGE_SECONDS = 30 * 86_400L;

  /** 9999-12-31T23:59:59Z: far enough, and milliseconds of it fit a long many times over. */
  public static final long MAX_TIME = 253_402_300_799L;

  public UsageQuery {
    requireTime("end_time", endTime); // first: a default start_time is derived from it
    requireTime("start_time", startTime);
    if (endTime <= startTime) {
      throw ApiException.invalid(
          "end_time",
          "'end_time' (" + endTime + ") must be after 'start_time' (" + startTime + ").");
    }
    if (bucketWidth == null) {
      throw ApiException.missing("bucket_width");
    }
    long buckets = Math.ceilDiv(endTime - startTime, bucketWidth.seconds());
    if (buckets > bucketWidth.maxBuckets()) {
      throw ApiException.invalid(
          "start_time",
          "The range from 'start_time' to 'end_time' holds "
              + buckets
              + " buckets of "
              + bucketWidth.wire()
              + "; at most "
              + bucketWidth.maxBuckets()
              + " are allowed. Narrow the range or use a wider 'bucket_width'.");
    }
    groupBy = Set.copyOf(groupBy);
    models = Set.copyOf(models);
    keyIds = Set.copyOf(keyIds);
  }

  /**
   * Reads the query parameters of a request. Defaults: {@code end_time} now (the end of the current
   * second), {@code start_time} 30 days before {@code end_time} rounded down to a whole bucket
   * (UTC), {@code bucket_width} {@code 1d}, no grouping, no filter. Unknown parameters are ignored.
   */
  public static UsageQuery from(Map<String, List<String>> queryParams, long nowMs) {
    QueryParams params = new QueryParams(queryParams);
    BucketWidth width =
        params.scalar("bucket_width").map(BucketWidth::parse).orElse(BucketWidth.DAY);
    long end =
        params
            .scalar("end_time")
            .map(v -> params.seconds("end_time", v))
            .orElse(Math.floorDiv(nowMs, 1000) + 1);
    long start =
        params
            .scalar("start_time")
            .map(v -> params.seconds("start_time", v))
            .orElseGet(() -> width.floor(Math.max(0, end - DEFAULT_RANGE_SECONDS)));
    Set<GroupBy> groupBy = EnumSet.noneOf(GroupBy.class);
    params.list("group_by").forEach(v -> groupBy.add(GroupBy.parse(v)));
    return new UsageQuery(
        start,
        end,
        width,
        groupBy,
        Set.copyOf(params.list("models")),
        Set.copyOf(params.list("key_ids")));
  }

  public long startMs() {
    return startTime * 1000;
  }

  public long endMs() {
    return endTime * 1000;
  }

  public int bucketCount() {
    return Math.toIntExact(Math.ceilDiv(endTime - startTime, bucketWidth.seconds()));
  }

  /** The start of bucket {@code index}, in Unix seconds. */
  public long bucketStart(int index) {
    return startTime + index * bucketWidth.seconds();
  }

  /** The end of bucket {@code index} (exclusive): a whole width later, or {@code endTime}. */
  public long bucketEnd(int index) {
    return Math.min(bucketStart(index) + bucketWidth.seconds(), endTime);
  }

  /** The bucket holding a receipt issued at {@code issuedAtMs}, which must be in the range. */
  int bucketOf(long issuedAtMs) {
    return Math.toIntExact((issuedAtMs - startMs()) / (bucketWidth.seconds() * 1000));
  }

  /** Whether the filters keep {@code receipt}. */
  boolean keeps(ReceiptFigures receipt) {
    return (models.isEmpty() || models.contains(receipt.model()))
        && (keyIds.isEmpty() || keyIds.contains(receipt.keyId()));
  }

  private static void requireTime(String param, long seconds) {
    if (seconds < 0 || seconds > MAX_TIME) {
      throw ApiException.invalid(
          param,
          "Invalid value for '"
              + param
              + "': "
              + seconds
              + ". Expected Unix seconds between 0 and "
              + MAX_TIME
              + ".");
    }
  }
}
