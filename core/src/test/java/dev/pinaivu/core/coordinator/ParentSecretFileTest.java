package dev.pinaivu.core.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parent secret on disk: made owner-only, and refused when anyone else could read it. */
class ParentSecretFileTest {
  @TempDir Path dir;

  private Path write(String content, String mode) throws Exception {
    Path file = dir.resolve("coordinator-secret");
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  @Test
  void createIfAbsent_makesAnOwnerOnlyFile_inAnOwnerOnlyDirectory_andKeepsIt() throws Exception {
    Path file = dir.resolve("data").resolve("coordinator-secret");

    ParentSecret made = ParentSecretFile.createIfAbsent(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    assertThat(Files.readString(file)).isEqualTo(made.hex() + "\n");
    assertThat(ParentSecretFile.createIfAbsent(file).hex()).isEqualTo(made.hex());
    assertThat(ParentSecretFile.read(file).hex()).isEqualTo(made.hex());
    assertThat(Files.list(file.getParent())).containsExactly(file);
  }

  @Test
  void aReadOnlyOwnerFile_isRead() throws Exception {
    Path file = write(ParentAuthTest.SECRET + "\n", "r--------");

    assertThat(ParentSecretFile.read(file).hex()).isEqualTo(ParentAuthTest.SECRET);
  }

  @Test
  void aFileOthersCanRead_isRefused_withTheFix() throws Exception {
    Path file = write(ParentAuthTest.SECRET, "rw-r--r--");

    assertThatThrownBy(() -> ParentSecretFile.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is open to group or others (mode rw-r--r--)")
        .hasMessageContaining("chmod 600 " + file);
    assertThatThrownBy(() -> ParentSecretFile.createIfAbsent(file))
        .hasMessageContaining("open to group or others");
  }

  @Test
  void aFileTheGroupCanRead_isRefused() throws Exception {
    Path file = write(ParentAuthTest.SECRET, "rw-r-----");

    assertThatThrownBy(() -> ParentSecretFile.read(file))
        .hasMessageContaining("open to group or others");
  }

  @Test
  void aMissingFile_isRefusedByName() {
    Path file = dir.resolve("nowhere");

    assertThatThrownBy(() -> ParentSecretFile.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the parent secret file " + file + " does not exist");
  }

  @Test
  void aMalformedFile_isRefused_withoutEchoingIt() throws Exception {
    Path file = write("hunter2\n", "rw-------");

    assertThatThrownBy(() -> ParentSecretFile.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is malformed: a parent secret is 64 hex digits")
        .hasMessageNotContaining("hunter2");
  }
}
