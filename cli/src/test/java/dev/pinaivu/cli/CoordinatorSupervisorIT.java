package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.coordinator.client.TcpCoordinator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code pinaivu up} keeps its coordinator process running, with real processes. */
class CoordinatorSupervisorIT {
  @TempDir Path dir;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  private String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aCoordinatorKilledWithSigkill_isStartedAgainOnItsAddress_andItsClientReconnects()
      throws Exception {
    CoordinatorProcess first = CoordinatorProcess.start(500, dir.resolve("secret"));
    try (CoordinatorSupervisor supervisor = new CoordinatorSupervisor(first, out, why -> {});
        TcpCoordinator client = first.client()) {
      assertThat(client.identity().keyId()).isEqualTo(first.keyId);

      first.process.destroyForcibly();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (supervisor.current() == first || !printed().contains("restarted it on")) {
        assertThat(System.nanoTime()).as(printed()).isLessThan(deadline);
        Thread.sleep(20);
      }
      CoordinatorProcess second = supervisor.current();

      assertThat(second.address).isEqualTo(first.address);
      assertThat(second.keyId).isNotEqualTo(first.keyId);
      assertThat(printed().lines())
          .singleElement()
          .asString()
          .contains("exited with code 137")
          .contains("restarted it on " + first.hostPort() + " with key " + second.keyId);
      assertThat(client.identity().keyId()).isEqualTo(second.keyId); // the same secret
    }
  }

  @Test
  void aCoordinatorThatCannotStartAgain_isGivenUpOn_sayingWhy() throws Exception {
    Path secret = dir.resolve("secret");
    CoordinatorProcess first = CoordinatorProcess.start(500, secret);
    CompletableFuture<String> gaveUp = new CompletableFuture<>();
    try (CoordinatorSupervisor supervisor =
        new CoordinatorSupervisor(first, out, gaveUp::complete)) {
      Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));

      first.process.destroyForcibly();
      String why = gaveUp.get(30, TimeUnit.SECONDS);

      assertThat(why)
          .startsWith(
              "the coordinator failed "
                  + CoordinatorSupervisor.MAX_FAST_FAILURES
                  + " times in a row within 10 s of its start")
          .contains("open to group or others")
          .contains("Owed settlements stay on disk");
      assertThat(supervisor.current()).isSameAs(first);
      assertThat(printed()).isEmpty();
    }
  }
}
