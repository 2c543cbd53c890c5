package dev.pinaivu.functions.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.translog.Checkpoint;
import dev.pinaivu.core.translog.Hash;
import dev.pinaivu.core.translog.NoteSigner;
import dev.pinaivu.core.translog.SignedCheckpoint;
import dev.pinaivu.functions.testsupport.Dynalite;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What the fencing must hold when writers crash or race, beyond the port's contract: each test
 * stops or pauses one store instance inside a write (a {@link WriteProbe}) while another one works
 * on the same log, as two Lambdas would.
 */
class DynamoDbLogStoreFencingIT {
  private static final DynamoDbClient DYNAMO = Dynalite.shared().client();
  private static final String LOG = "test.pinaivu.dev/log";
  private static final NoteSigner SIGNER = new NoteSigner(LOG, Ed25519.PrivateKey.generate());

  private final ExecutorService writers = Executors.newCachedThreadPool();
  private String table;
  private DynamoDbLogStore store;

  @AfterEach
  void stopWriters() {
    writers.shutdownNow();
  }

  @BeforeEach
  void createTable() {
    table = Dynalite.uniqueTableName("fencing");
    DynamoDbLogStore.createTable(DYNAMO, table);
    store = new DynamoDbLogStore(DYNAMO, table, LOG);
  }

  @Test
  void extend_thatCrashedBeforeItsCommit_changesNothingAndTheNextExtendReplacesItsLeaves() {
    store.append(entry("a0"));
    DynamoDbLogStore crashing = withProbe(new CrashBeforeCommit());

    assertThatThrownBy(() -> crashing.extend(1, List.of(entry("x1"), entry("x2")), checkpoint(3)))
        .isInstanceOf(Crash.class);

    assertThat(store.size()).isEqualTo(1);
    assertThatThrownBy(() -> store.leafData(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(store.indexOf(Hash.leaf(entry("x1")))).isEmpty();
    assertThat(store.latestCheckpoint()).isEmpty();

    SignedCheckpoint covering = checkpoint(2);
    store.extend(1, List.of(entry("y1")), covering);

    assertThat(store.size()).isEqualTo(2);
    assertThat(store.leafData(1)).isEqualTo(entry("y1"));
    assertThat(store.leafHashes(0, 2))
        .containsExactly(Hash.leaf(entry("a0")), Hash.leaf(entry("y1")));
    assertThat(store.indexOf(Hash.leaf(entry("x2")))).isEmpty();
    assertThat(store.latestCheckpoint()).contains(covering);
  }

  @Test
  void staleWriter_cannotOverwriteLeavesANewerWriterCommitted() throws Exception {
    store.append(entry("a0"));
    Pause pause = new Pause();
    DynamoDbLogStore stale = withProbe(pause.afterClaim());
    CompletableFuture<Void> staleExtend =
        CompletableFuture.runAsync(
            () -> stale.extend(1, List.of(entry("stale")), checkpoint(2)), writers);
    pause.awaitReached();

    SignedCheckpoint fresh = checkpoint(2);
    store.extend(1, List.of(entry("fresh")), fresh);
    pause.release();

    assertThatThrownBy(() -> staleExtend.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(store.size()).isEqualTo(2);
    assertThat(store.leafData(1)).isEqualTo(entry("fresh"));
    assertThat(store.latestCheckpoint()).contains(fresh);
  }

  @Test
  void writerFencedOutAfterWritingItsLeaves_cannotCommit() throws Exception {
    Pause first = new Pause();
    Pause second = new Pause();
    DynamoDbLogStore older = withProbe(first.beforeCommit());
    DynamoDbLogStore newer = withProbe(second.beforeCommit());
    CompletableFuture<Void> olderExtend =
        CompletableFuture.runAsync(
            () -> older.extend(0, List.of(entry("old")), checkpoint(1)), writers);
    first.awaitReached();
    SignedCheckpoint newerCheckpoint = checkpoint(1);
    CompletableFuture<Void> newerExtend =
        CompletableFuture.runAsync(
            () -> newer.extend(0, List.of(entry("new")), newerCheckpoint), writers);
    second.awaitReached(); // its leaf replaced the older writer's: both wait to commit

    first.release();
    assertThatThrownBy(() -> olderExtend.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(store.size()).isZero();

    second.release();
    newerExtend.get(10, TimeUnit.SECONDS);
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.leafData(0)).isEqualTo(entry("new"));
    assertThat(store.latestCheckpoint()).contains(newerCheckpoint);
  }

  @Test
  void extend_whenALargerCheckpointIsSavedDuringIt_commitsItsLeavesAndKeepsTheLarger() {
    SignedCheckpoint larger = checkpoint(9);
    DynamoDbLogStore racing =
        withProbe(
            new WriteProbe() {
              @Override
              public void leavesWritten(long fence) {
                store.saveCheckpoint(larger);
              }
            });

    racing.extend(0, List.of(entry("a0")), checkpoint(1));

    assertThat(store.size()).isEqualTo(1);
    assertThat(store.latestCheckpoint()).contains(larger);
  }

  private DynamoDbLogStore withProbe(WriteProbe probe) {
    return new DynamoDbLogStore(DYNAMO, table, LOG, probe);
  }

  static byte[] entry(String name) {
    return ("receipt " + name).getBytes(UTF_8);
  }

  static SignedCheckpoint checkpoint(long size) {
    Hash root = Hash.leaf(("root " + size + " " + System.nanoTime()).getBytes(UTF_8));
    return SignedCheckpoint.sign(new Checkpoint(LOG, size, root), SIGNER);
  }

  /** Stands for the writer's process dying between its leaves and its commit. */
  static final class Crash extends RuntimeException {}

  static final class CrashBeforeCommit implements WriteProbe {
    @Override
    public void leavesWritten(long fence) {
      throw new Crash();
    }
  }

  /** Holds a writer at one point until released. */
  static final class Pause {
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    WriteProbe afterClaim() {
      return new WriteProbe() {
        @Override
        public void claimed(long fence) {
          hold();
        }
      };
    }

    WriteProbe beforeCommit() {
      return new WriteProbe() {
        @Override
        public void leavesWritten(long fence) {
          hold();
        }
      };
    }

    void awaitReached() throws InterruptedException {
      assertThat(reached.await(10, TimeUnit.SECONDS)).as("the writer reached the pause").isTrue();
    }

    void release() {
      released.countDown();
    }

    private void hold() {
      reached.countDown();
      try {
        released.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
