package dev.pinaivu.functions.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.limits.RateLimitedException;
import dev.pinaivu.core.limits.RateLimits;
import dev.pinaivu.core.limits.RateLimitsContract;
import dev.pinaivu.functions.testsupport.DynamoTransactionsFront;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The port's contract against the network table, through the transactions front, with the slot
 * counter's stated lateness (a request counts up to 999 ms past its minute); that lateness itself,
 * measured; and two processes enforcing one limit together.
 */
class DynamoDbRateLimitsIT extends RateLimitsContract {
  @Override
  protected RateLimits newLimits(InstantSource clock) {
    return new DynamoDbRateLimits(FrontTables.DYNAMO, FrontTables.create("rates"), clock);
  }

  @Override
  protected long latenessMs() {
    return SlotWindow.LATENESS_MS;
  }

  @Test
  void aRequestCounts_forAMinute_andLessThanOneSecondMore_whereverInItsSecondItCame() {
    Random random = new Random(11);
    for (int i = 0; i < 20; i++) {
      String key = "key_edge_" + i;
      long admitted = T0 + random.nextInt(120_000);
      now.set(admitted);
      limiter.admit(key, 1, null, 0);
      long exactLeave = admitted + RateLimits.WINDOW_MS;
      long slotEnd = admitted - Math.floorMod(admitted, 1_000) + 999;

      now.set(admitted + random.nextInt((int) RateLimits.WINDOW_MS));
      long wait = refusedWait(key);
      assertThat(now.get() + wait)
          .as("where the counter says the request leaves")
          .isBetween(exactLeave, exactLeave + SlotWindow.LATENESS_MS)
          .isEqualTo(slotEnd + RateLimits.WINDOW_MS);

      now.set(slotEnd + RateLimits.WINDOW_MS - 1);
      refusedWait(key);
      now.set(slotEnd + RateLimits.WINDOW_MS);
      limiter.admit(key, 1, null, 0);
    }
  }

  private long refusedWait(String key) {
    try {
      limiter.admit(key, 1, null, 0);
    } catch (RateLimitedException e) {
      return e.retryAfterMs();
    }
    throw new AssertionError("admitted at " + now.get());
  }

  @Test
  void twoProcesses_enforceOneRpmLimitTogether_notTwice() throws Exception {
    String table = FrontTables.create("rates");
    InstantSource clock = () -> Instant.ofEpochMilli(T0 + 5_000);
    try (DynamoDbClient second = DynamoTransactionsFront.shared().newClient()) {
      List<RateLimits> processes =
          List.of(
              new DynamoDbRateLimits(FrontTables.DYNAMO, table, clock),
              new DynamoDbRateLimits(second, table, clock));
      CountDownLatch start = new CountDownLatch(1);
      List<Callable<Integer>> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        RateLimits process = processes.get(t % 2);
        threads.add(() -> {
          start.await();
          int admitted = 0;
          for (int i = 0; i < 25; i++) {
            try {
              process.admit("key_shared", 40, null, 0);
              admitted++;
            } catch (RateLimitedException e) {
              // the shared window is full
            }
          }
          return admitted;
        });
      }

      int total = 0;
      try (var pool = Executors.newFixedThreadPool(8)) {
        List<Future<Integer>> results = new ArrayList<>();
        for (Callable<Integer> thread : threads) {
          results.add(pool.submit(thread));
        }
        start.countDown();
        for (Future<Integer> f : results) {
          total += f.get();
        }
      }

      assertThat(total).isEqualTo(40);
    }
  }
}
