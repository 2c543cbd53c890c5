package dev.pinaivu.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit and the separate reading connection, on a real database file. */
class SqliteDatabaseTest {
  @TempDir Path dir;
  private SqliteDatabase db;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  @BeforeEach
  void open() {
    db = SqliteDatabase.open(dir.resolve("test.db"));
    db.transaction(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (name TEXT PRIMARY KEY, n INTEGER NOT NULL)");
        s.execute("INSERT INTO t VALUES ('counter', 0)");
      }
      return null;
    });
  }

  @AfterEach
  void close() {
    threads.shutdownNow();
    db.close();
  }

  @Test
  void theDatabaseAndSqlitesFilesBesideIt_areOwnerOnly_andALooseOneIsTightened() throws Exception {
    Path file = dir.resolve("data").resolve("pinaivu.db");
    try (SqliteDatabase fresh = SqliteDatabase.open(file)) {
      fresh.transaction(c -> c.createStatement().execute("CREATE TABLE x (a INTEGER)"));

      assertThat(mode(file.getParent())).isEqualTo("rwx------");
      for (String name : new String[] {"pinaivu.db", "pinaivu.db-wal", "pinaivu.db-shm"}) {
        assertThat(mode(file.resolveSibling(name))).as(name).isEqualTo("rw-------");
      }
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    SqliteDatabase.open(file).close();

    assertThat(mode(file)).isEqualTo("rw-------");
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void transaction_whenManyRunAtOnce_everyOneIsCommittedOnce() throws Exception {
    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      results.add(threads.submit(() -> db.transaction(SqliteDatabaseTest::increment)));
    }
    List<Integer> seen = new ArrayList<>();
    for (Future<Integer> f : results) {
      seen.add(f.get(30, TimeUnit.SECONDS));
    }
    assertThat(counter()).isEqualTo(400);
    assertThat(seen).doesNotHaveDuplicates().allMatch(n -> n >= 1 && n <= 400);
  }

  @Test
  void transaction_whenOneOfAGroupFails_itAloneIsRolledBack() throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<?> first =
        threads.submit(() ->
            db.transaction(c -> {
              holding.countDown();
              await(release);
              return insert(c, "first");
            }));
    holding.await();
    // Both queue behind the first; whoever commits next takes both in one group.
    Future<?> failing =
        threads.submit(() ->
            db.transaction(c -> {
              insert(c, "failing");
              throw new IllegalStateException("refused");
            }));
    Future<?> fine = threads.submit(() -> db.transaction(c -> insert(c, "fine")));
    Thread.sleep(100);
    release.countDown();

    first.get(10, TimeUnit.SECONDS);
    fine.get(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasRootCauseMessage("refused");
    assertThat(names()).containsExactlyInAnyOrder("counter", "first", "fine");
  }

  @Test
  void transaction_whenANestedOneFails_theOuterDecides() {
    db.transaction(c -> {
      insert(c, "outer");
      try {
        db.transaction(inner -> {
          insert(inner, "inner");
          throw new IllegalArgumentException("inner refused");
        });
      } catch (IllegalArgumentException expected) {
        // the inner work is undone, the outer goes on
      }
      return null;
    });
    assertThat(names()).containsExactlyInAnyOrder("counter", "outer");

    assertThatThrownBy(() ->
            db.transaction(c -> {
              db.transaction(inner -> insert(inner, "joined"));
              throw new IllegalStateException("outer refused");
            }))
        .hasMessage("outer refused");
    assertThat(names()).doesNotContain("joined");
  }

  @Test
  void read_whileATransactionIsOpen_seesTheLastCommitAndDoesNotWait() throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<?> writer =
        threads.submit(() ->
            db.transaction(c -> {
              insert(c, "uncommitted");
              holding.countDown();
              await(release);
              return null;
            }));
    holding.await();
    List<String> during =
        CompletableFuture.supplyAsync(this::names, threads).get(5, TimeUnit.SECONDS);
    release.countDown();
    writer.get(10, TimeUnit.SECONDS);

    assertThat(during).containsExactly("counter");
    assertThat(names()).containsExactlyInAnyOrder("counter", "uncommitted");
  }

  @Test
  void read_cannotWrite() {
    assertThatThrownBy(() -> db.read(c -> insert(c, "sneaky"))).isInstanceOf(StoreException.class);
    assertThat(names()).containsExactly("counter");
  }

  @Test
  void transaction_whenSqlFails_throwsStoreExceptionAndKeepsNothing() {
    assertThatThrownBy(() ->
            db.transaction(c -> {
              insert(c, "half");
              return insert(c, "counter"); // primary key taken
            }))
        .isInstanceOf(StoreException.class);
    assertThat(names()).containsExactly("counter");
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int increment(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE t SET n = n + 1 WHERE name = 'counter'");
      try (ResultSet rs = s.executeQuery("SELECT n FROM t WHERE name = 'counter'")) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static Integer insert(Connection c, String name) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO t VALUES (?, 1)")) {
      s.setString(1, name);
      return s.executeUpdate();
    }
  }

  private int counter() {
    return db.read(c -> {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT n FROM t WHERE name = 'counter'")) {
        rs.next();
        return rs.getInt(1);
      }
    });
  }

  private List<String> names() {
    return db.read(c -> {
      List<String> names = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT name FROM t ORDER BY name")) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
      return names;
    });
  }
}
