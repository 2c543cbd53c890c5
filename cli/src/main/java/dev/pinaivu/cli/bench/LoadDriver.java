package dev.pinaivu.cli.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Runs a measured call from {@code concurrency} virtual threads, closed-loop. */
final class LoadDriver {
  /** One call; returns the nanoseconds to record. */
  @FunctionalInterface
  interface Call {
    long run() throws Exception;
  }

  record Result(Histogram latencyNanos, long errors, double seconds) {
    double perSecond() {
      return latencyNanos.getTotalCount() / seconds;
    }

    double p50Ms() {
      return latencyNanos.getValueAtPercentile(50) / 1e6;
    }

    double p99Ms() {
      return latencyNanos.getValueAtPercentile(99) / 1e6;
    }
  }

  private LoadDriver() {}

  /** Runs {@code total} calls in all (or until {@code maxTime}), spread over the workers. */
  static Result run(int concurrency, long total, Duration maxTime, Call call)
      throws InterruptedException {
    Recorder recorder = new Recorder(3);
    AtomicLong remaining = new AtomicLong(total);
    AtomicLong errors = new AtomicLong();
    long deadline = System.nanoTime() + maxTime.toNanos();
    List<Thread> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < concurrency; i++) {
      workers.add(
          Thread.ofVirtual()
              .start(() -> {
                while (remaining.decrementAndGet() >= 0 && System.nanoTime() < deadline) {
                  try {
                    recorder.recordValue(call.run());
                  } catch (Exception e) {
                    if (errors.incrementAndGet() <= 3) {
                      System.err.println("bench call failed: " + e.getMessage());
                    }
                  }
                }
              }));
    }
    for (Thread t : workers) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(recorder.getIntervalHistogram(), errors.get(), seconds);
  }
}
