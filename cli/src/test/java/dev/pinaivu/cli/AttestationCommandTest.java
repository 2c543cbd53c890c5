package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command on the real Nitro documents kept with the core tests. */
class AttestationCommandTest {
  private static final Path NITRO =
      Path.of(
          System.getProperty("basedir", "."), "..", "core", "src", "test", "resources", "nitro");
  private static final long NONDEBUG_TIME =
      1665651482136L; // 2022-10-13T08:58:02.136Z, its own timestamp

  private record Run(int exit, String out) {}

  private static Run run(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      int exit = new CommandLine(new Pinaivu()).execute(args);
      return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(saved);
    }
  }

  @Test
  void verify_validDocument_exitsZero() {
    Run r =
        run(
            "attestation",
            "verify",
            NITRO.resolve("evervault-nondebug-2022-10-13.cose").toString());

    assertThat(r.exit).as(r.out).isZero();
    assertThat(r.out).startsWith("valid");
  }

  @Test
  void verify_debugDocument_isRefusedUnlessAllowed() {
    String file = NITRO.resolve("evervault-debug-2022-10-12.cose").toString();

    Run refused = run("attestation", "verify", file);
    Run allowed = run("attestation", "verify", file, "--allow-debug");

    assertThat(refused.exit).isEqualTo(1);
    assertThat(refused.out).contains("debug");
    assertThat(allowed.exit).isZero();
  }

  @Test
  void verify_atTodaysDate_isRefusedBecauseTheLeafExpired() {
    Run r =
        run(
            "attestation",
            "verify",
            NITRO.resolve("evervault-nondebug-2022-10-13.cose").toString(),
            "--at-ms",
            Long.toString(System.currentTimeMillis()));

    assertThat(r.exit).isEqualTo(1);
    assertThat(r.out.lines().count()).isEqualTo(1);
  }

  @Test
  void verify_wrongPcr0_isRefused_andAFlippedByteToo(@TempDir Path dir) throws Exception {
    Path original = NITRO.resolve("evervault-nondebug-2022-10-13.cose");
    byte[] bytes = Files.readAllBytes(original);
    bytes[bytes.length - 10] ^= 1;
    Path flipped = Files.write(dir.resolve("flipped.cose"), bytes);

    assertThat(run("attestation", "verify", original.toString(), "--pcr0", "00".repeat(48)).exit)
        .isEqualTo(1);
    assertThat(run("attestation", "verify", flipped.toString()).exit).isEqualTo(1);
    assertThat(run("attestation", "verify", dir.resolve("missing").toString()).exit).isEqualTo(2);
  }
}
