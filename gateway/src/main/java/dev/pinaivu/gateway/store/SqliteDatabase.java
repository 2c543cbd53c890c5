package dev.pinaivu.gateway.store;

import dev.pinaivu.core.files.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded store of the one-machine deployment: one SQLite file in WAL mode, schema migrations
 * applied in order at open ({@code PRAGMA user_version} counts them). Two connections: one writes,
 * under a lock and with group commit (SQLite serialises writers anyway, and each commit waits for
 * an fsync of about 2 ms on a cloud disk), one reads, so lookups on the request path never wait for
 * a commit.
 */
public final class SqliteDatabase implements AutoCloseable {
  /** The database's file name inside a data directory. */
  public static final String FILE = "pinaivu.db";

  private final Connection writer;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Connection reader;
  private final ReentrantLock readLock;
  private final Queue<Pending<?>> pending = new ConcurrentLinkedQueue<>();

  /** {@code reader} may be {@code writer} itself (an in-memory database has only one). */
  private SqliteDatabase(Connection writer, Connection reader) {
    this.writer = writer;
    this.reader = reader;
    this.readLock = reader == writer ? writeLock : new ReentrantLock();
  }

  /**
   * SQLite's files beside the database; it makes them with the database's mode, so a database made
   * 0600 keeps them 0600 too.
   */
  private static final List<String> COMPANIONS = List.of("-wal", "-shm", "-journal");

  /**
   * Opens (creating if needed) the database file and brings its schema up to date. The file is made
   * 0600 in a 0700 directory, and an existing one, with SQLite's files beside it, loses any
   * permission for group and others: it holds the ledger and the keys' hashes.
   */
  public static SqliteDatabase open(Path file) {
    try {
      keepOwnerOnly(file);
      String url = "jdbc:sqlite:" + file.toAbsolutePath();
      Connection writer = DriverManager.getConnection(url);
      try (Statement s = writer.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA foreign_keys=ON");
        s.execute("PRAGMA busy_timeout=5000");
      }
      Connection reader = DriverManager.getConnection(url);
      try (Statement s = reader.createStatement()) {
        s.execute("PRAGMA busy_timeout=5000");
        s.execute("PRAGMA query_only=ON");
      }
      SqliteDatabase db = new SqliteDatabase(writer, reader);
      db.migrate();
      return db;
    } catch (SQLException | IOException e) {
      throw new StoreException("cannot open the database at " + file + ": " + e.getMessage(), e);
    }
  }

  private static void keepOwnerOnly(Path file) throws IOException {
    Path absolute = file.toAbsolutePath();
    OwnerOnlyFiles.createDirectories(absolute.getParent());
    try {
      if (!OwnerOnlyFiles.createFile(absolute)) { // an empty file is a new database to SQLite
        OwnerOnlyFiles.tighten(absolute);
      }
      for (String suffix : COMPANIONS) {
        Path companion = absolute.resolveSibling(absolute.getFileName() + suffix);
        if (Files.exists(companion)) {
          OwnerOnlyFiles.tighten(companion);
        }
      }
    } catch (UnsupportedOperationException e) {
      // no POSIX modes on this file system: nothing to set
    }
  }

  /** Opens (creating if needed) the database of the data directory {@code dataDir}. */
  public static SqliteDatabase openIn(Path dataDir) {
    return open(dataDir.resolve(FILE));
  }

  /** Opens a private in-memory database, for tests. */
  public static SqliteDatabase inMemory() {
    try {
      Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
      SqliteDatabase db = new SqliteDatabase(c, c);
      db.migrate();
      return db;
    } catch (SQLException e) {
      throw new StoreException("cannot open an in-memory database", e);
    }
  }

  /** Work done with the connection, under the lock. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs read-only {@code work} on the reading connection. In WAL mode it sees the last committed
   * state and neither waits for nor blocks a transaction being committed.
   */
  public <T> T read(Work<T> work) {
    readLock.lock();
    try {
      return work.run(reader);
    } catch (SQLException e) {
      throw new StoreException(e.getMessage(), e);
    } finally {
      readLock.unlock();
    }
  }

  /**
   * Runs {@code work} in one transaction: all of it is committed, or none, and it is on disk
   * (synchronous=FULL) when this returns.
   *
   * <p>Group commit: every caller queues its work, then takes the write lock; whoever gets it runs
   * all queued work, each in a savepoint of its own, and commits once. A caller whose work a
   * previous holder already committed just returns its result. With a 2 ms fsync, that is what lets
   * concurrent settlements share one disk flush instead of queueing for one each. A work that fails
   * is rolled back to its savepoint and fails alone; a failed commit fails the whole group. Called
   * from inside a transaction, {@code work} joins it (in a savepoint).
   */
  public <T> T transaction(Work<T> work) {
    if (writeLock.isHeldByCurrentThread()) {
      Pending<T> nested = new Pending<>(work);
      runInSavepoint(nested);
      return nested.outcome();
    }
    Pending<T> mine = new Pending<>(work);
    pending.add(mine);
    writeLock.lock();
    try {
      if (!mine.done) {
        commitQueued();
      }
    } finally {
      writeLock.unlock();
    }
    return mine.outcome();
  }

  /** Under the write lock: runs and commits everything queued, including the caller's work. */
  private void commitQueued() {
    List<Pending<?>> group = new ArrayList<>();
    for (Pending<?> p; (p = pending.poll()) != null; ) {
      group.add(p);
    }
    try {
      writer.setAutoCommit(false);
      try {
        for (Pending<?> p : group) {
          runInSavepoint(p);
        }
        writer.commit();
      } catch (SQLException | RuntimeException | Error e) {
        rollbackQuietly(e);
        group.forEach(p -> p.failUnlessFailed(e));
      } finally {
        writer.setAutoCommit(true);
      }
    } catch (SQLException e) {
      group.forEach(p -> p.failUnlessFailed(e));
    } finally {
      group.forEach(p -> p.done = true);
    }
  }

  private void runInSavepoint(Pending<?> p) {
    Savepoint savepoint;
    try {
      savepoint = writer.setSavepoint();
    } catch (SQLException e) {
      p.failUnlessFailed(e);
      return;
    }
    try {
      p.run(writer);
      writer.releaseSavepoint(savepoint);
    } catch (SQLException | RuntimeException e) {
      p.failUnlessFailed(e);
      try {
        writer.rollback(savepoint);
        writer.releaseSavepoint(savepoint);
      } catch (SQLException undo) {
        e.addSuppressed(undo);
        throw new StoreException("cannot roll back a failed transaction: " + undo, undo);
      }
    }
  }

  private void rollbackQuietly(Throwable cause) {
    try {
      writer.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** One caller's transaction, run by whichever caller holds the write lock. */
  private static final class Pending<T> {
    private final Work<T> work;
    private T result;
    private Throwable failure;
    // Written and read under the write lock (the owner reads it after taking the lock).
    private boolean done;

    Pending(Work<T> work) {
      this.work = work;
    }

    void run(Connection c) throws SQLException {
      result = work.run(c);
    }

    void failUnlessFailed(Throwable e) {
      if (failure == null) {
        failure = e;
      }
    }

    T outcome() {
      if (failure == null) {
        return result;
      }
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      throw new StoreException(failure.getMessage(), failure);
    }
  }

  private void migrate() throws SQLException {
    int version;
    try (Statement s = writer.createStatement();
        var rs = s.executeQuery("PRAGMA user_version")) {
      version = rs.next() ? rs.getInt(1) : 0;
    }
    if (version > Schema.MIGRATIONS.size()) {
      throw new StoreException(
          "the database is from a newer Pinaivu (schema "
              + version
              + ", this build knows "
              + Schema.MIGRATIONS.size()
              + ")",
          null);
    }
    for (int i = version; i < Schema.MIGRATIONS.size(); i++) {
      final int next = i + 1;
      final String sql = Schema.MIGRATIONS.get(i);
      transaction(c -> {
        try (Statement s = c.createStatement()) {
          s.executeUpdate(sql);
          s.executeUpdate("PRAGMA user_version = " + next);
        }
        return null;
      });
    }
  }

  @Override
  public void close() {
    writeLock.lock();
    readLock.lock();
    try {
      if (reader != writer) {
        reader.close();
      }
      writer.close();
    } catch (SQLException e) {
      throw new StoreException("cannot close the database", e);
    } finally {
      readLock.unlock();
      writeLock.unlock();
    }
  }
}
