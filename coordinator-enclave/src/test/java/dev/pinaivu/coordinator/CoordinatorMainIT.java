package dev.pinaivu.coordinator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.coordinator.ParentSecret;
import dev.pinaivu.core.coordinator.ParentSecretFile;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code CoordinatorMain} as a real child JVM, started the way a parent process would. */
class CoordinatorMainIT {
  private static final Pattern LISTENING =
      Pattern.compile(
          "coordinator listening on 127\\.0\\.0\\.1:(\\d+) key ([0-9a-f]{64}) \\(dev\\)");

  private final List<Process> children = new ArrayList<>();

  @TempDir Path dir;

  /** An owner-only secret file, as `pinaivu up` writes it. */
  private Path secretFile() {
    return dir.resolve("coordinator-secret");
  }

  @AfterEach
  void killChildren() {
    children.forEach(Process::destroyForcibly);
  }

  private Process start(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("-XX:TieredStopAtLevel=1"); // a short-lived JVM on a shared 2-core machine
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CoordinatorMain.class.getName());
    command.addAll(List.of(args));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    children.add(child);
    return child;
  }

  private static Matcher listening(Process child) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8));
    String line = out.readLine();
    assertThat(line).as("first line of the coordinator").isNotNull();
    Matcher matcher = LISTENING.matcher(line);
    assertThat(matcher.matches()).as(line).isTrue();
    return matcher;
  }

  @Test
  void devMode_printsItsPortAndKey_andAnswersIdentityThere_toTheParent() throws Exception {
    ParentSecret secret = ParentSecretFile.createIfAbsent(secretFile());
    Process child =
        start(
            "--dev",
            "--port",
            "0",
            "--parent-secret-file",
            secretFile().toString(),
            "--exit-with-parent");
    Matcher line = listening(child);
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(line.group(1)));

    JsonNode response;
    try (FrameClient client = new FrameClient(address).authenticate(secret)) {
      response = client.call("{\"id\":1,\"op\":\"identity\"}");
    }

    assertThat(response.get("key").get("key_id").asText()).isEqualTo(line.group(2));
    assertThat(response.get("key").get("kind").asText()).isEqualTo("dev");
    child.destroy();
    assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("exits on SIGTERM").isTrue();
  }

  @Test
  void withExitWithParent_exitsWhenItsStandardInputCloses() throws Exception {
    ParentSecretFile.createIfAbsent(secretFile());
    Process child =
        start(
            "--dev",
            "--port",
            "0",
            "--parent-secret-file",
            secretFile().toString(),
            "--exit-with-parent");
    listening(child);

    child.getOutputStream().close();

    assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).isZero();
  }

  @Test
  void withoutAMode_exitsAtOnceWithTheReason() throws Exception {
    Process child = start("--port", "0");
    String output = new String(child.getInputStream().readAllBytes(), UTF_8);

    assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).isEqualTo(2);
    assertThat(output).contains("exactly one of --dev").contains("--enclave");
  }

  @Test
  void withoutAParentSecret_exitsAtOnceWithTheReason() throws Exception {
    Process child = start("--dev", "--port", "0");
    String output = new String(child.getInputStream().readAllBytes(), UTF_8);

    assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).isEqualTo(2);
    assertThat(output).contains("--parent-secret-file FILE is required");
  }

  @Test
  void aMissingParentSecretFile_stopsTheStart_withTheReason() throws Exception {
    Process child = start("--dev", "--port", "0", "--parent-secret-file", secretFile().toString());
    String output = new String(child.getInputStream().readAllBytes(), UTF_8);

    assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).isEqualTo(1);
    assertThat(output)
        .contains("cannot load the parent secret: the parent secret file " + secretFile())
        .contains("does not exist")
        .doesNotContain("coordinator listening");
  }

  @Test
  void aWorldReadableParentSecretFile_stopsTheStart_andSaysHowToFixIt() throws Exception {
    ParentSecret secret = ParentSecretFile.createIfAbsent(secretFile());
    Files.setPosixFilePermissions(secretFile(), PosixFilePermissions.fromString("rw-r--r--"));

    Process child = start("--dev", "--port", "0", "--parent-secret-file", secretFile().toString());
    String output = new String(child.getInputStream().readAllBytes(), UTF_8);

    assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).isEqualTo(1);
    assertThat(output)
        .contains("is open to group or others")
        .contains("chmod 600 " + secretFile())
        .doesNotContain(secret.hex())
        .doesNotContain("coordinator listening");
  }

  @Test
  void aPortAlreadyTaken_isReportedInOneLine_andExitsWithFailure() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      StringWriter err = new StringWriter();
      CommandLine command = new CommandLine(new CoordinatorMain());
      command.setErr(new PrintWriter(err, true));

      ParentSecretFile.createIfAbsent(secretFile());
      int status =
          command.execute(
              "--dev",
              "--port",
              String.valueOf(taken.getLocalPort()),
              "--parent-secret-file",
              secretFile().toString());

      assertThat(status).isEqualTo(CommandLine.ExitCode.SOFTWARE);
      assertThat(err.toString()).startsWith("cannot listen on").doesNotContain("\tat ");
    }
  }
}
