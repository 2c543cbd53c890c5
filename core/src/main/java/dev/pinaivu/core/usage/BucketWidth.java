package dev.pinaivu.core.usage;

import dev.pinaivu.core.error.ApiException;

/**
 * How long one bucket of a usage report is ({@code bucket_width}), and how many buckets one report
 * may hold: a year of days, or a month of hours.
 */
public enum BucketWidth {
  HOUR("1h", 3_600, 744),
  DAY("1d", 86_400, 366);

  private final String wire;
  private final long seconds;
  private final int maxBuckets;

  BucketWidth(String wire, long seconds, int maxBuckets) {
    this.wire = wire;
    this.seconds = seconds;
    this.maxBuckets = maxBuckets;
  }

  public static BucketWidth parse(String value) {
    for (BucketWidth width : values()) {
      if (width.wire.equals(value)) {
        return width;
      }
    }
    throw ApiException.invalid(
        "bucket_width",
        "Invalid value for 'bucket_width': " + Shown.of(value) + ". Expected '1h' or '1d'.");
  }

  public String wire() {
    return wire;
  }

  public long seconds() {
    return seconds;
  }

  public int maxBuckets() {
    return maxBuckets;
  }

  /** The start of the bucket of this width (counted from the Unix epoch, UTC) holding {@code t}. */
  long floor(long epochSeconds) {
    return Math.floorDiv(epochSeconds, seconds) * seconds;
  }
}
