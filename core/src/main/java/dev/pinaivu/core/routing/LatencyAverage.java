package dev.pinaivu.core.routing;

/**
 * Exponentially weighted moving average of a node's time to first token, and its failure streak.
 * Thread-safe; one per live node.
 */
public final class LatencyAverage {
  private static final double ALPHA = 0.2;
  private double average = Double.NaN;
  private int failures;

  public synchronized void success(double latencyMs) {
    average = Double.isNaN(average) ? latencyMs : ALPHA * latencyMs + (1 - ALPHA) * average;
    failures = 0;
  }

  public synchronized void failure() {
    failures++;
  }

  public synchronized double averageMs() {
    return average;
  }

  public synchronized int failures() {
    return failures;
  }
}
