package dev.pinaivu.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.limits.KeySpend;
import dev.pinaivu.core.limits.KeySpendContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteKeySpendTest extends KeySpendContract {
  @TempDir Path dir;
  private SqliteDatabase db;

  @Override
  protected KeySpend newKeySpend() {
    db = SqliteDatabase.open(dir.resolve("pinaivu.db"));
    return new SqliteKeySpend(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void spend_survivesReopeningTheFile() {
    RequestId request = RequestId.next();
    spend.recordSpend("key_a", request, 1_234);
    db.close();

    db = SqliteDatabase.open(dir.resolve("pinaivu.db"));
    spend = new SqliteKeySpend(db);

    assertThat(spend.spentMicros("key_a")).isEqualTo(1_234);
    assertThat(spend.recordSpend("key_a", request, 1_234)).isFalse();
  }

  @Test
  void recordSpend_fromTwoConnectionsToOneFile_countsEachRequestOnce() throws Exception {
    List<RequestId> requests = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      requests.add(RequestId.next());
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (SqliteDatabase other = SqliteDatabase.open(dir.resolve("pinaivu.db"))) {
      KeySpend second = new SqliteKeySpend(other);
      List<Future<?>> done = new ArrayList<>();
      for (KeySpend writer : List.of(spend, second)) {
        done.add(pool.submit(() -> requests.forEach(r -> writer.recordSpend("key_a", r, 10))));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(spend.spentMicros("key_a")).isEqualTo(400);
  }
}
