package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.coordinator.ParentSecretFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What {@code pinaivu gateway} refuses about its coordinator's secret, before it starts. */
class GatewayCommandTest {
  @TempDir Path dir;

  @Test
  void aCoordinator_withoutItsSecretFile_isAUsageError() {
    CliRun run =
        CliRun.of("gateway", "--data-dir", dir.toString(), "--coordinator", "127.0.0.1:5000");

    assertThat(run.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(run.err()).contains("--coordinator needs --coordinator-secret-file");
  }

  @Test
  void aConnectionCapBelowOne_isAUsageError() {
    CliRun total = CliRun.of("gateway", "--data-dir", dir.toString(), "--max-connections", "0");
    CliRun perClient =
        CliRun.of("gateway", "--data-dir", dir.toString(), "--max-connections-per-client", "-1");

    assertThat(total.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(total.err()).contains("--max-connections");
    assertThat(perClient.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
  }

  @Test
  void aSecretFile_withoutACoordinator_isAUsageError() {
    CliRun run =
        CliRun.of(
            "gateway",
            "--data-dir",
            dir.toString(),
            "--coordinator-secret-file",
            dir.resolve("s").toString());

    assertThat(run.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(run.err()).contains("--coordinator-secret-file goes with --coordinator");
  }

  @Test
  void aSecretFileOthersCanRead_stopsTheStart_withTheFix() throws Exception {
    Path file = dir.resolve("coordinator-secret");
    ParentSecretFile.createIfAbsent(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    CliRun run =
        CliRun.of(
            "gateway",
            "--data-dir",
            dir.toString(),
            "--coordinator",
            "127.0.0.1:5000",
            "--coordinator-secret-file",
            file.toString());

    assertThat(run.exit()).isEqualTo(CommandLine.ExitCode.SOFTWARE);
    assertThat(run.err())
        .contains("cannot read the coordinator secret")
        .contains("chmod 600 " + file);
  }
}
