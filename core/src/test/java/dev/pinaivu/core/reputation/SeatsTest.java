package dev.pinaivu.core.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SeatsTest {
  @Test
  void take_refusesBeyondTheLimit_andGiveFreesASeat() {
    Seats seats = new Seats();

    assertThat(seats.take("a", 2)).isTrue();
    assertThat(seats.take("a", 2)).isTrue();
    assertThat(seats.take("a", 2)).isFalse();
    assertThat(seats.take("b", 2)).isTrue();
    seats.give("a");
    assertThat(seats.take("a", 2)).isTrue();
    assertThat(seats.count("a")).isEqualTo(2);
  }

  @Test
  void take_whenAThousandRace_admitsExactlyTheLimit() throws InterruptedException {
    Seats seats = new Seats();
    AtomicInteger admitted = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 1000; i++) {
        pool.submit(() -> {
          go.await();
          if (seats.take("127.0.0.1", 16)) {
            admitted.incrementAndGet();
          }
          return null;
        });
      }
      go.countDown();
    }

    assertThat(admitted.get()).isEqualTo(16);
  }
}
