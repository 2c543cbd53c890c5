package dev.pinaivu.cli;

import dev.pinaivu.gateway.DataDir;
import dev.pinaivu.gateway.store.SqliteDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --data-dir} for commands that work on the gateway's database directly. SQLite in WAL mode
 * lets them run while a gateway uses the same file; the gateway reads keys on every request, so a
 * change is seen by the next one. The directory and its files are made owner-only as the gateway
 * makes them ({@link DataDir}).
 */
final class DataStore {
  @Option(
      names = "--data-dir",
      defaultValue = ".pinaivu",
      description = "State directory of the gateway (default: ${DEFAULT-VALUE})")
  Path dataDir;

  /** Opens the database, creating it if needed (a gateway started later will use it). */
  SqliteDatabase openOrCreate() {
    DataDir.secure(dataDir);
    return SqliteDatabase.openIn(dataDir);
  }

  /** Opens an existing database; a missing one is a mistake worth saying, not an empty list. */
  SqliteDatabase openExisting() {
    if (!Files.exists(dataDir.resolve(SqliteDatabase.FILE))) {
      throw new IllegalArgumentException(
          "no Pinaivu database in "
              + dataDir
              + " (start a gateway there first, or pass --data-dir)");
    }
    DataDir.secure(dataDir);
    return SqliteDatabase.openIn(dataDir);
  }
}
