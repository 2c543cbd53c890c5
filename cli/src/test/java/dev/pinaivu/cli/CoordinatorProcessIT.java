package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.coordinator.CoordinatorUnavailableException;
import dev.pinaivu.core.coordinator.ParentSecret;
import dev.pinaivu.core.coordinator.ParentSecretFile;
import dev.pinaivu.core.coordinator.client.TcpCoordinator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator process `pinaivu up` starts: the secret it shares with the gateway is made
 * owner-only, and the coordinator serves only a client that knows it.
 */
class CoordinatorProcessIT {
  @TempDir Path dir;

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void start_createsTheSecretOwnerOnly_andServesOnlyTheClientThatKnowsIt() throws Exception {
    Path file = dir.resolve("state").resolve(CoordinatorProcess.SECRET_FILE);

    try (CoordinatorProcess coordinator = CoordinatorProcess.start(500, file);
        TcpCoordinator parent = coordinator.client();
        TcpCoordinator stranger =
            new TcpCoordinator(coordinator.address, ParentSecret.generate())) {
      assertThat(mode(file)).isEqualTo("rw-------");
      assertThat(mode(file.getParent())).isEqualTo("rwx------");
      assertThat(parent.identity().keyId()).isEqualTo(coordinator.keyId);
      assertThatThrownBy(stranger::identity)
          .isInstanceOf(CoordinatorUnavailableException.class)
          .hasMessageContaining("is not our coordinator: it does not know the parent secret");
    }
  }

  @Test
  void start_withASecretOthersCanRead_isRefused_beforeAnyProcessStarts() throws Exception {
    Path file = dir.resolve(CoordinatorProcess.SECRET_FILE);
    ParentSecretFile.createIfAbsent(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));

    assertThatThrownBy(() -> CoordinatorProcess.start(500, file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("open to group or others")
        .hasMessageContaining("chmod 600");
  }
}
