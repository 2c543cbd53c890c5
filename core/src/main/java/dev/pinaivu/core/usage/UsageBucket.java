package dev.pinaivu.core.usage;

import java.util.List;

/**
 * One time bucket of a usage report: receipts issued in {@code [startTime, endTime)}, Unix seconds.
 * {@code results} is empty when there were none; otherwise one per group, ordered by model then key
 * id.
 */
public record UsageBucket(String object, long startTime, long endTime, List<UsageResult> results) {
  public static final String OBJECT = "bucket";

  public UsageBucket {
    if (!OBJECT.equals(object)) {
      throw new IllegalArgumentException("object must be " + OBJECT);
    }
    if (endTime <= startTime) {
      throw new IllegalArgumentException("a bucket ends after it starts");
    }
    results = List.copyOf(results);
  }
}
