package dev.pinaivu.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.secrets.Secrets;
import dev.pinaivu.core.secrets.SecretsContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirSecretsTest extends SecretsContract {
  @TempDir Path dir;

  @Override
  protected Secrets newSecrets() {
    return new DataDirSecrets(dir.resolve("data"));
  }

  @Override
  protected Secrets reopened() {
    return new DataDirSecrets(dir.resolve("data"));
  }

  @Override
  protected boolean makesSecrets() {
    return true;
  }

  @Test
  void aMadeSecret_isAnOwnerOnlyFileInAnOwnerOnlyDirectory() throws Exception {
    newSecrets().secret("account-ref-secret", () -> "0123456789abcdef0123456789abcdef");

    Path file = dir.resolve("data").resolve("account-ref-secret");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    assertThat(Files.readString(file)).isEqualTo("0123456789abcdef0123456789abcdef\n");
  }

  @Test
  void aFileWrittenByHand_isReadAsItIs() throws Exception {
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data").resolve("admin-token"), "  pnv-admin-by-hand-xyz \n");

    assertThat(newSecrets().secret("admin-token", () -> "unused"))
        .isEqualTo("pnv-admin-by-hand-xyz");
  }
}
