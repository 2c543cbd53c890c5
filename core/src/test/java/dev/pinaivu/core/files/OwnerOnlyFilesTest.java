package dev.pinaivu.core.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owner-only files whatever the umask (the build's is usually 022, which makes 0644 files). */
class OwnerOnlyFilesTest {
  @TempDir Path dir;

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void write_makesA0600File_inNew0700Directories_andReplacesItWhole() throws Exception {
    Path file = dir.resolve("a").resolve("b").resolve("secret");

    OwnerOnlyFiles.write(file, "one".getBytes(StandardCharsets.US_ASCII));
    OwnerOnlyFiles.write(file, "two".getBytes(StandardCharsets.US_ASCII));

    assertThat(Files.readString(file)).isEqualTo("two");
    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(mode(file.getParent())).isEqualTo("rwx------");
    assertThat(mode(file.getParent().getParent())).isEqualTo("rwx------");
    assertThat(Files.list(file.getParent())).containsExactly(file);
  }

  @Test
  void createFile_makesAnEmpty0600File_once() throws Exception {
    Path file = dir.resolve("db");

    assertThat(OwnerOnlyFiles.createFile(file)).isTrue();
    assertThat(OwnerOnlyFiles.createFile(file)).isFalse();
    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(Files.size(file)).isZero();
  }

  @Test
  void tighten_takesGroupAndOthersOff_andKeepsTheOwners() throws Exception {
    Path readOnly = Files.createFile(dir.resolve("ro"));
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r--r--r--"));
    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThat(OwnerOnlyFiles.tighten(readOnly)).isTrue();
    assertThat(OwnerOnlyFiles.tighten(open)).isTrue();
    assertThat(OwnerOnlyFiles.tighten(open)).as("already owner-only").isFalse();

    assertThat(mode(readOnly)).isEqualTo("r--------");
    assertThat(mode(open)).isEqualTo("rwx------");
  }

  @Test
  void tighten_leavesALinkAndWhatItPointsTo() throws Exception {
    Path target = Files.createFile(dir.resolve("target"));
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);

    assertThat(OwnerOnlyFiles.tighten(link)).isFalse();
    assertThat(mode(target)).isEqualTo("rw-r--r--");
  }
}
