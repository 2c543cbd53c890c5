package dev.pinaivu.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.node.NodeId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link JobQueue} does, on the system clock with leases of whole seconds (SQS counts
 * visibility and waits in seconds). Subclasses give a new, empty queue per test.
 */
public abstract class JobQueueContract {
  protected static final NodeId NODE = NodeId.parse("node_" + "a".repeat(26));
  protected static final NodeId OTHER = NodeId.parse("node_" + "b".repeat(26));
  private static final Duration NO_WAIT = Duration.ZERO;
  private static final Duration LEASE = Duration.ofSeconds(1);

  protected abstract JobQueue newQueue();

  private static QueuedJob job(String id) {
    return new QueuedJob(id, "{\"type\":\"job\",\"job_id\":\"" + id + "\"}", later());
  }

  private static long later() {
    return System.currentTimeMillis() + 60_000;
  }

  @Test
  void aJob_isTakenByTheNodeItIsFor_andNoOther() {
    JobQueue queue = newQueue();
    queue.put(NODE, job("req_1"));

    assertThat(queue.take(OTHER, 10, NO_WAIT, LEASE)).isEmpty();
    List<JobLease> taken = queue.take(NODE, 10, NO_WAIT, LEASE);
    assertThat(taken).extracting(l -> l.job().jobId()).containsExactly("req_1");
    assertThat(taken.getFirst().job().frame()).isEqualTo(job("req_1").frame());
    assertThat(taken.getFirst().deliveries()).isEqualTo(1);
  }

  @Test
  void aRetriedPut_isOneJob() {
    JobQueue queue = newQueue();
    QueuedJob once = job("req_twice");
    queue.put(NODE, once);
    queue.put(NODE, once);

    Duration held = Duration.ofSeconds(30);
    assertThat(queue.take(NODE, 10, NO_WAIT, held)).hasSize(1);
    assertThat(queue.take(NODE, 10, Duration.ofSeconds(1), held)).isEmpty();
  }

  @Test
  void aBatch_holdsAtMostWhatWasAskedFor_andTheRestFollow() {
    JobQueue queue = newQueue();
    for (int i = 0; i < 5; i++) {
      queue.put(NODE, job("req_batch_" + i));
    }

    List<JobLease> first = queue.take(NODE, 3, NO_WAIT, Duration.ofSeconds(30));
    assertThat(first).hasSizeBetween(1, 3);
    int seen = first.size();
    for (int i = 0; i < 10 && seen < 5; i++) {
      seen += queue.take(NODE, 3, NO_WAIT, Duration.ofSeconds(30)).size();
    }
    assertThat(seen).isEqualTo(5);
  }

  @Test
  void aJobTakenButNotDone_comesBackAfterItsLease_countingItsDeliveries() throws Exception {
    JobQueue queue = newQueue();
    queue.put(NODE, job("req_lost"));
    assertThat(queue.take(NODE, 1, NO_WAIT, LEASE)).hasSize(1); // its taker dies

    assertThat(queue.take(NODE, 1, NO_WAIT, LEASE)).as("hidden during the lease").isEmpty();
    Thread.sleep(1_200);
    List<JobLease> again = queue.take(NODE, 1, Duration.ofSeconds(2), LEASE);
    assertThat(again).extracting(l -> l.job().jobId()).containsExactly("req_lost");
    assertThat(again.getFirst().deliveries()).isEqualTo(2);
  }

  @Test
  void aDoneJob_neverComesBack_andDoneTwiceIsHarmless() throws Exception {
    JobQueue queue = newQueue();
    queue.put(NODE, job("req_done"));
    JobLease lease = queue.take(NODE, 1, NO_WAIT, LEASE).getFirst();

    queue.done(lease);
    queue.done(lease);
    Thread.sleep(1_200);
    assertThat(queue.take(NODE, 10, Duration.ofSeconds(1), LEASE)).isEmpty();
  }

  @Test
  void anExpiredJob_isNeverDelivered() throws Exception {
    JobQueue queue = newQueue();
    queue.put(NODE, new QueuedJob("req_expired", "{}", System.currentTimeMillis() - 1));
    queue.put(NODE, new QueuedJob("req_soon", "{}", System.currentTimeMillis() + 300));
    queue.put(NODE, job("req_alive"));
    Thread.sleep(400);

    Duration held = Duration.ofSeconds(30);
    assertThat(queue.take(NODE, 10, NO_WAIT, held))
        .extracting(l -> l.job().jobId())
        .containsExactly("req_alive");
    assertThat(queue.take(NODE, 10, Duration.ofSeconds(1), held)).isEmpty();
  }

  @Test
  void aWaitingTake_returnsAsSoonAsAJobIsPut() throws Exception {
    JobQueue queue = newQueue();
    long started = System.nanoTime();
    CompletableFuture<List<JobLease>> waiting =
        CompletableFuture.supplyAsync(() -> queue.take(NODE, 1, Duration.ofSeconds(10), LEASE));
    Thread.sleep(300);
    queue.put(NODE, job("req_awaited"));

    assertThat(waiting.get(10, TimeUnit.SECONDS)).hasSize(1);
    assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(5));
  }

  @Test
  void aBatchOutsideOneToTen_isRefused() {
    JobQueue queue = newQueue();
    assertThatThrownBy(() -> queue.take(NODE, 0, NO_WAIT, LEASE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> queue.take(NODE, 11, NO_WAIT, LEASE))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
