package dev.pinaivu.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the gateway keeps under its data directory (the database with SQLite's files, the keys,
 * tokens and secrets) is 0600 in a 0700 directory, whatever the umask, and a directory an older
 * version left open is tightened at the next start.
 */
class DataDirIT {
  @TempDir Path parent;

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
  }

  private static List<Path> everything(Path dir) throws Exception {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.toList();
    }
  }

  private static void assertOwnerOnly(Path dir) throws Exception {
    for (Path p : everything(dir)) {
      assertThat(mode(p))
          .as(p.toString())
          .isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
    }
  }

  @Test
  void aNewDataDirectory_andEveryFileInIt_areOwnerOnly() throws Exception {
    Path dir = parent.resolve("data");

    try (GatewayServer gateway = GatewayServer.start(GatewayConfig.defaults(dir, 0))) {
      assertThat(everything(dir).stream().map(p -> p.getFileName().toString()))
          .contains(
              "pinaivu.db", "pinaivu.db-wal", "dev-api-key", "admin-token", "account-ref-secret");
      assertOwnerOnly(dir);
    }
  }

  @Test
  void aDataDirectoryLeftOpen_isTightenedAtStart() throws Exception {
    Path dir = parent.resolve("data");
    GatewayServer.start(GatewayConfig.defaults(dir, 0)).close();
    for (Path p : everything(dir)) {
      Files.setPosixFilePermissions(
          p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
    }

    try (GatewayServer gateway = GatewayServer.start(GatewayConfig.defaults(dir, 0))) {
      assertOwnerOnly(dir);
    }
  }
}
