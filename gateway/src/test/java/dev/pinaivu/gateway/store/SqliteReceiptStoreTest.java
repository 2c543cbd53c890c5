package dev.pinaivu.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.usage.ReceiptStore;
import dev.pinaivu.core.usage.ReceiptStoreContract;
import dev.pinaivu.core.usage.StoredReceipt;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteReceiptStoreTest extends ReceiptStoreContract {
  private SqliteDatabase db;
  @TempDir Path dir;

  @Override
  protected ReceiptStore newStore() {
    db = SqliteDatabase.open(dir.resolve("test.db"));
    return new SqliteReceiptStore(db);
  }

  @Override
  protected ReceiptStore reopen() {
    db.close();
    db = SqliteDatabase.open(dir.resolve("test.db"));
    return new SqliteReceiptStore(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void save_fromTwoConnectionsToOneFile_storesTheReceiptOnce() throws Exception {
    RequestId id = RequestId.next();
    try (SqliteDatabase other = SqliteDatabase.open(dir.resolve("test.db"));
        ExecutorService threads = Executors.newFixedThreadPool(2)) {
      ReceiptStore second = new SqliteReceiptStore(other);
      CountDownLatch start = new CountDownLatch(1);
      Future<Boolean> a = threads.submit(saveAfter(start, store, receipt(id, ALICE, T0)));
      Future<Boolean> b = threads.submit(saveAfter(start, second, receipt(id, ALICE, T0 + 1)));
      start.countDown();

      assertThat(a.get() ^ b.get()).as("exactly one save wins").isTrue();
      StoredReceipt kept = store.find(id).orElseThrow();
      assertThat(second.find(id)).contains(kept);
      assertThat(kept.issuedAtMs()).isEqualTo(a.get() ? T0 : T0 + 1);
    }
  }

  private static Callable<Boolean> saveAfter(
      CountDownLatch start, ReceiptStore store, StoredReceipt receipt) {
    return () -> {
      start.await();
      return store.save(receipt);
    };
  }
}
