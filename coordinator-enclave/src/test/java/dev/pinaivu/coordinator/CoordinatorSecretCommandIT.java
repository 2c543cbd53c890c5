package dev.pinaivu.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.coordinator.kms.KmsSealedState;
import dev.pinaivu.coordinator.kms.KmsTestServer;
import dev.pinaivu.coordinator.kms.SealedParentSecret;
import dev.pinaivu.coordinator.nsm.FakeNsm;
import dev.pinaivu.core.coordinator.ParentSecret;
import dev.pinaivu.core.coordinator.ParentSecretFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@code pinaivu coordinator-secret} as the parent runs it, against the loopback KMS fixture: the
 * secret file it keeps for the gateway, and the blob only an attested enclave unseals to the same
 * secret.
 */
class CoordinatorSecretCommandIT {
  @TempDir Path dir;

  private KmsTestServer fixture;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    fixture = new KmsTestServer();
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private int run(String... args) {
    CommandLine command =
        new CommandLine(new CoordinatorSecretCommand((region, endpoint) -> fixture.client()));
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command.execute(args);
  }

  @Test
  void onTheParent_createsAnOwnerOnlySecret_andABlobThatUnsealsToIt_inTheEnclaveOnly()
      throws Exception {
    Path secretFile = dir.resolve("secret").resolve("coordinator-secret");
    Path sealed = dir.resolve("coordinator-secret.sealed");

    int exit =
        run(
            "--secret-file",
            secretFile.toString(),
            "--sealed-file",
            sealed.toString(),
            "--kms-key-id",
            KmsTestServer.KEY_ARN);

    assertThat(exit).as(err.toString()).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile.getParent())))
        .isEqualTo("rwx------");
    ParentSecret kept = ParentSecretFile.read(secretFile);
    assertThat(out.toString()).doesNotContain(kept.hex());
    try (KmsClient kms = fixture.client()) {
      ParentSecret unsealed =
          SealedParentSecret.unseal(
              new KmsSealedState(kms, KmsTestServer.KEY_ARN, FakeNsm::document), sealed);
      assertThat(unsealed.hex()).isEqualTo(kept.hex());
    }
    assertThat(fixture.decryptRequests()).allMatch(request -> request.has("Recipient"));
  }

  @Test
  void runAgain_keepsTheSecret_andSealsItAgain() throws Exception {
    Path secretFile = dir.resolve("coordinator-secret");
    Path sealed = dir.resolve("coordinator-secret.sealed");
    String[] args = {
      "--secret-file", secretFile.toString(),
      "--sealed-file", sealed.toString(),
      "--kms-key-id", KmsTestServer.KEY_ARN
    };
    run(args);
    String first = Files.readString(secretFile);

    assertThat(run(args)).isZero();

    assertThat(Files.readString(secretFile)).isEqualTo(first);
    assertThat(fixture.encrypts()).isEqualTo(2);
  }

  @Test
  void aSecretFileOthersCanRead_isRefused_andNothingIsSealed() throws Exception {
    Path secretFile = dir.resolve("coordinator-secret");
    ParentSecretFile.createIfAbsent(secretFile);
    Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-r--r--"));

    int exit =
        run(
            "--secret-file",
            secretFile.toString(),
            "--sealed-file",
            dir.resolve("s").toString(),
            "--kms-key-id",
            KmsTestServer.KEY_ARN);

    assertThat(exit).isEqualTo(CommandLine.ExitCode.SOFTWARE);
    assertThat(err.toString()).contains("open to group or others");
    assertThat(fixture.encrypts()).isZero();
  }

  @Test
  void aSealedFile_withoutAKey_isAUsageError() {
    assertThat(
            run(
                "--secret-file",
                dir.resolve("a").toString(),
                "--sealed-file",
                dir.resolve("b").toString()))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("--sealed-file needs --kms-key-id");
  }
}
