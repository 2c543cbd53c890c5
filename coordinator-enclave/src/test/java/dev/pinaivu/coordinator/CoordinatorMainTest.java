package dev.pinaivu.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.coordinator.nsm.FakeNsm;
import dev.pinaivu.core.coordinator.ParentSecretFile;
import dev.pinaivu.core.receipt.CoordinatorKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What the command refuses before it binds anything. */
class CoordinatorMainTest {
  private static final String ARN = "arn:aws:kms:eu-west-1:111122223333:key/sealing";
  private final StringWriter err = new StringWriter();

  @TempDir Path secretDir;

  /** {@code --parent-secret-file} with an owner-only secret, so the start gets further. */
  private String[] withSecret(String... args) {
    Path file = secretDir.resolve("coordinator-secret");
    ParentSecretFile.createIfAbsent(file);
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--parent-secret-file";
    all[args.length + 1] = file.toString();
    return all;
  }

  private int run(String... args) {
    return run(new CoordinatorMain(), args);
  }

  private int run(CoordinatorMain main, String... args) {
    CommandLine command = new CommandLine(main);
    command.setErr(new PrintWriter(err, true));
    command.setOut(new PrintWriter(new StringWriter(), true));
    return command.execute(args);
  }

  @Test
  void withoutAMode_refusesToStart_andNamesBoth() {
    assertThat(run("--port", "0")).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("exactly one of --dev").contains("--enclave");
  }

  @Test
  void devAndEnclaveTogether_areRefused() {
    assertThat(run("--dev", "--enclave", "--port", "0")).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("exactly one of --dev");
  }

  @Test
  void enclaveMode_outsideAnEnclave_failsToAttest_andBindsNothing() {
    assertThat(run(withSecret("--enclave", "--port", "0")))
        .isEqualTo(CommandLine.ExitCode.SOFTWARE);
    assertThat(err.toString())
        .contains("cannot attest the coordinator key: no /dev/nsm: this is not a Nitro Enclave");
  }

  @Test
  void trustedPredecessorImages_inDevMode_areRefused() {
    assertThat(run("--dev", "--port", "0", "--trust-predecessor-pcr0", "ab".repeat(48)))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("--trust-predecessor-pcr0 is for --enclave");
  }

  @Test
  void aTrustedPredecessorImage_thatIsNoPcr0_isRefused() {
    assertThat(run("--enclave", "--port", "0", "--trust-predecessor-pcr0", "abcd"))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("--trust-predecessor-pcr0").contains("96 hex digits");
  }

  @Test
  void aLogOriginThatIsNoNoteKeyName_isRefused() {
    assertThat(run("--dev", "--port", "0", "--log-origin", "my log"))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("--log-origin").contains("space");
  }

  @Test
  void aSealedIdentity_inDevMode_isRefused() {
    assertThat(
            run(
                withSecret(
                    "--dev", "--port", "0", "--sealed-identity", "id.sealed", "--kms-key-id", ARN)))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("--sealed-identity is for --enclave");
  }

  @Test
  void aSealedIdentity_withoutAKmsKey_isRefused() {
    assertThat(run(withSecret("--enclave", "--port", "0", "--sealed-identity", "id.sealed")))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("--sealed-identity needs --kms-key-id");
  }

  @Test
  void aKmsKeyAlias_withoutARegion_isRefused() {
    assertThat(
            run(
                withSecret(
                    "--enclave",
                    "--port",
                    "0",
                    "--sealed-identity",
                    "id.sealed",
                    "--kms-key-id",
                    "alias/pinaivu-sealing")))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("pass --kms-region");
  }

  @Test
  void newIdentity_withoutASealedIdentity_isRefused() {
    assertThat(run(withSecret("--enclave", "--port", "0", "--new-identity")))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("go with --sealed-identity");
  }

  @Test
  void aSealedIdentity_thatDoesNotUnseal_stopsTheStart_withTheReason(@TempDir Path dir)
      throws Exception {
    Path blob = Files.write(dir.resolve("id.sealed"), new byte[] {1, 2, 3});
    String closed = "http://127.0.0.1:" + freePort();

    int exit =
        run(
            new CoordinatorMain(FakeNsm::attestor),
            withSecret(
                "--enclave",
                "--port",
                "0",
                "--sealed-identity",
                blob.toString(),
                "--kms-key-id",
                ARN,
                "--kms-endpoint",
                closed,
                "--instance-metadata",
                closed));

    assertThat(exit).isEqualTo(CommandLine.ExitCode.SOFTWARE);
    assertThat(err.toString())
        .contains("cannot load the coordinator identity: the sealed identity " + blob)
        .contains("KMS Decrypt failed")
        .contains("--new-identity");
    assertThat(Files.readAllBytes(blob)).containsExactly(1, 2, 3);
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void withoutAParentSecret_refusesToStart_inEitherMode() {
    assertThat(run("--dev", "--port", "0")).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("--parent-secret-file FILE is required");
    assertThat(run("--enclave", "--port", "0")).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("or --parent-secret-sealed in an enclave");
  }

  @Test
  void aSealedParentSecret_inDevMode_orWithoutItsKey_orBesideAFile_isRefused() {
    assertThat(
            run(
                "--dev",
                "--port",
                "0",
                "--parent-secret-sealed",
                "s",
                "--parent-secret-kms-key",
                ARN))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("--parent-secret-sealed is for --enclave");
    assertThat(run("--enclave", "--port", "0", "--parent-secret-sealed", "s"))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("needs --parent-secret-kms-key");
    assertThat(run(withSecret("--enclave", "--port", "0", "--parent-secret-sealed", "s")))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("not both");
  }

  @Test
  void kmsOptions_withNothingSealed_areRefused() {
    assertThat(run(withSecret("--enclave", "--port", "0", "--kms-region", "eu-west-1")))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("go with --sealed-identity or --parent-secret-sealed");
  }

  @Test
  void aSealedParentSecret_thatDoesNotUnseal_stopsTheStart_withTheReason(@TempDir Path dir)
      throws Exception {
    Path blob = Files.write(dir.resolve("parent-secret.sealed"), new byte[] {1, 2, 3});
    String closed = "http://127.0.0.1:" + freePort();

    int exit =
        run(
            new CoordinatorMain(FakeNsm::attestor),
            "--enclave",
            "--port",
            "0",
            "--parent-secret-sealed",
            blob.toString(),
            "--parent-secret-kms-key",
            ARN,
            "--kms-endpoint",
            closed,
            "--instance-metadata",
            closed);

    assertThat(exit).isEqualTo(CommandLine.ExitCode.SOFTWARE);
    assertThat(err.toString())
        .contains("cannot load the parent secret: the sealed parent secret " + blob)
        .contains("does not unseal")
        .contains("KMS Decrypt failed");
  }

  @Test
  void aHostOffLoopback_isRefused() {
    assertThat(run("--dev", "--host", "10.1.2.3", "--port", "0"))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("loopback");
  }

  @Test
  void aFeeBeyondOneHundredPercent_isRefused() {
    assertThat(run("--dev", "--fee-bps", "10001", "--port", "0"))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("--fee-bps must be 0..10000");
  }

  @Test
  void listeningLine_isWhatAParentParses() throws Exception {
    InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5000);
    InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 5001);

    assertThat(CoordinatorMain.listeningLine(v4, "ab12"))
        .isEqualTo("coordinator listening on 127.0.0.1:5000 key ab12 (dev)");
    assertThat(CoordinatorMain.listeningLine(v6, "ab12"))
        .isEqualTo("coordinator listening on [0:0:0:0:0:0:0:1]:5001 key ab12 (dev)");
  }

  @Test
  void listeningLine_saysNitroForAnAttestedKey_andDevForADevKey() throws Exception {
    InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5000);
    byte[] publicKey = new byte[32];
    CoordinatorKey dev = CoordinatorKey.dev(publicKey);
    CoordinatorKey nitro = CoordinatorKey.nitro(publicKey, new byte[] {1});

    assertThat(CoordinatorMain.listeningLine(v4, dev))
        .isEqualTo("coordinator listening on 127.0.0.1:5000 key " + dev.keyId() + " (dev)");
    assertThat(CoordinatorMain.listeningLine(v4, nitro))
        .isEqualTo("coordinator listening on 127.0.0.1:5000 key " + dev.keyId() + " (nitro)");
  }
}
