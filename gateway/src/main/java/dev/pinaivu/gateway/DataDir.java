package dev.pinaivu.gateway;

import dev.pinaivu.core.files.OwnerOnlyFiles;
import dev.pinaivu.core.receipt.AccountSecrets;
import dev.pinaivu.gateway.http.AdminToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's data directory, made owner-only before anything is read from it: the directory 0700
 * and the secrets in it 0600, whatever the umask made them. A directory or secret that group or
 * others could read (left by an older version, or made by hand) is tightened, not refused, and said
 * in the log: the gateway still starts, and the operator learns that what was in it may have been
 * read. The database's own files are {@link dev.pinaivu.gateway.store.SqliteDatabase}'s to tighten;
 * the coordinator secret {@code up} keeps here is refused when loose (ADR 16).
 */
public final class DataDir {
  private static final Logger log = LoggerFactory.getLogger(DataDir.class);

  /** The gateway's secrets in a data directory. */
  static final List<String> SECRETS = List.of(DevApiKey.FILE, AdminToken.FILE, AccountSecrets.NAME);

  private DataDir() {}

  /** Creates {@code dir} 0700, or tightens it and the gateway's secrets in it. */
  public static void secure(Path dir) {
    try {
      OwnerOnlyFiles.createDirectories(dir);
      tighten(dir);
      for (String name : SECRETS) {
        Path file = dir.resolve(name);
        if (Files.exists(file)) {
          tighten(file);
        }
      }
    } catch (UnsupportedOperationException e) {
      log.warn("{} has no POSIX permissions: keep it where only you can read it", dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the data directory " + dir + " owner-only", e);
    }
  }

  private static void tighten(Path path) throws IOException {
    if (OwnerOnlyFiles.tighten(path)) {
      log.warn(
          "{} was open to group or others; it is owner-only now. If another user could reach it,"
              + " consider what it holds seen (revoke the keys, replace the admin token).",
          path);
    }
  }
}
