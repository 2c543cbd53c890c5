package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.coordinator.CoordinatorMain;
import dev.pinaivu.core.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pinaivu up} as a user runs it: one command, a working network, and a clean stop. */
class UpIT {
  @TempDir Path dir;

  private final List<Process> started = new ArrayList<>();

  /** A failed assertion must not leave a network running on the machine (or in CI). */
  @AfterEach
  void stopWhatIsLeft() throws InterruptedException {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private Process up(int port, List<String> output) throws IOException, InterruptedException {
    return up(port, output, "1 of 1 node(s) live");
  }

  private Process up(int port, List<String> output, String readyLine)
      throws IOException, InterruptedException {
    List<String> command =
        List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            Pinaivu.class.getName(),
            "up",
            "--port",
            Integer.toString(port),
            "--data-dir",
            dir.toString());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    started.add(p);
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    Thread.ofVirtual()
        .start(() -> {
          try {
            for (String line; (line = reader.readLine()) != null; ) {
              synchronized (output) {
                output.add(line);
              }
            }
          } catch (IOException ignored) {
            // process ended
          }
        });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      synchronized (output) {
        if (output.stream().anyMatch(l -> l.contains(readyLine))) {
          return p;
        }
      }
      assertThat(p.isAlive()).as("pinaivu up exited early: %s", output).isTrue();
      Thread.sleep(50);
    }
    throw new AssertionError("the network did not come up: " + output);
  }

  @Test
  void up_startsAWorkingNetwork_andCtrlCStopsEveryProcessItStarted() throws Exception {
    int port = freePort();
    List<String> output = new ArrayList<>();
    Process up = up(port, output);
    List<ProcessHandle> children = up.descendants().toList();
    String key = Files.readString(dir.resolve("dev-api-key")).strip();
    Path secret = dir.resolve("coordinator-secret");

    HttpResult result =
        HttpResult.post(
            "http://127.0.0.1:" + port + "/v1",
            key,
            "{\"model\":\"pinaivu-demo-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":5}");

    assertThat(String.join("\n", output))
        .contains("http://127.0.0.1:" + port + "/v1")
        .contains(key);
    assertThat(result.status).as(result.body).isEqualTo(200);
    assertThat(Json.parse(result.body).get("request_id").asText()).startsWith("req_");
    assertThat(children)
        .as("the node agent, and the coordinator in its own process as it will be in its enclave")
        .hasSize(2);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)))
        .as("the secret the gateway and its coordinator share")
        .isEqualTo("rw-------");
    assertThat(String.join("\n", output)).doesNotContain(Files.readString(secret).strip());
    assertThat(dir.resolve("gateway-url")).hasContent("http://127.0.0.1:" + port + "/v1");

    up.destroy(); // SIGTERM, what Ctrl-C's SIGINT also triggers: the shutdown hook
    assertThat(up.waitFor(20, TimeUnit.SECONDS)).isTrue();
    for (ProcessHandle child : children) {
      child.onExit().get(20, TimeUnit.SECONDS);
      assertThat(child.isAlive()).isFalse();
    }
    assertThat(dir.resolve("gateway-url"))
        .as("the stopped gateway's address, forgotten")
        .doesNotExist();
  }

  @Test
  void up_saysRunningOnlyWhenTheCurlItPrintsCanSucceed() throws Exception {
    int port = freePort();
    List<String> output = new ArrayList<>();
    up(port, output, "Pinaivu gateway is running.");
    String key = Files.readString(dir.resolve("dev-api-key")).strip();

    HttpResult first = // at once, as a user pasting the curl from the banner
        HttpResult.post(
            "http://127.0.0.1:" + port + "/v1",
            key,
            "{\"model\":\"pinaivu-demo-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");

    assertThat(first.status).as(first.body).isEqualTo(200);
  }

  @Test
  void up_keepsItsStateAcrossRestarts() throws Exception {
    List<String> first = new ArrayList<>();
    Process p = up(freePort(), first);
    String key = Files.readString(dir.resolve("dev-api-key")).strip();
    String nodeKey = Files.readString(dir.resolve("node-1").resolve("node.key"));
    String secret = Files.readString(dir.resolve("coordinator-secret"));
    p.destroy();
    p.waitFor(20, TimeUnit.SECONDS);

    int port = freePort();
    Process again = up(port, new ArrayList<>());
    try {
      assertThat(Files.readString(dir.resolve("dev-api-key")).strip()).isEqualTo(key);
      assertThat(Files.readString(dir.resolve("node-1").resolve("node.key"))).isEqualTo(nodeKey);
      assertThat(Files.readString(dir.resolve("coordinator-secret"))).isEqualTo(secret);
      HttpResult models = HttpResult.get("http://127.0.0.1:" + port + "/v1/models", key);
      assertThat(models.status).isEqualTo(200);
    } finally {
      again.destroy();
      again.waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void up_restartsItsCoordinatorWhenItDies_andTheNetworkServesWithTheNewKey() throws Exception {
    int port = freePort();
    List<String> output = new ArrayList<>();
    Process up = up(port, output);
    String key = Files.readString(dir.resolve("dev-api-key")).strip();
    String url = "http://127.0.0.1:" + port + "/v1";
    String chat =
        "{\"model\":\"pinaivu-demo-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":5}";
    assertThat(HttpResult.post(url, key, chat).status).isEqualTo(200);
    ProcessHandle coordinator = up.children().filter(UpIT::isCoordinator).findFirst().orElseThrow();

    coordinator.destroyForcibly(); // SIGKILL
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!printed(output).contains("restarted it on")) {
      assertThat(System.nanoTime()).as(printed(output)).isLessThan(deadline);
      assertThat(up.isAlive()).as(printed(output)).isTrue();
      Thread.sleep(50);
    }
    HttpResult after = HttpResult.post(url, key, chat); // the node learns the key before the job

    assertThat(after.status).as(after.body + "\n" + printed(output)).isEqualTo(200);
    assertThat(up.children().filter(UpIT::isCoordinator).map(ProcessHandle::pid))
        .singleElement()
        .isNotEqualTo(coordinator.pid());
  }

  /** Read from /proc: the JDK cuts a command line at 4 KiB, before the long class path ends. */
  private static boolean isCoordinator(ProcessHandle process) {
    try {
      byte[] line = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
      return new String(line, StandardCharsets.UTF_8).contains(CoordinatorMain.class.getName());
    } catch (IOException e) {
      return false; // it ended
    }
  }

  private static String printed(List<String> output) {
    synchronized (output) {
      return String.join("\n", output);
    }
  }
}
