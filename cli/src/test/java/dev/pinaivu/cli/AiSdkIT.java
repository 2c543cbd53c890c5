package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.testkit.FakeModel;
import dev.pinaivu.testkit.FakeOpenAiServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Vercel AI SDK (npm {@code ai} and {@code @ai-sdk/openai}, pinned by the lock file the build
 * installs) against the local network: its default {@code openai(model)} call uses the Responses
 * API, whole, streamed and with a forced tool call (cli/src/test/ai-sdk/check.mjs).
 */
class AiSdkIT {
  private static final String MODEL = "llama";

  @Test
  void openaiModel_generateText_streamText_andToolCalls_work(@TempDir Path dir) throws Exception {
    Path check = Path.of(System.getProperty("ai-sdk.check", "target/ai-sdk/check.mjs"));
    assertThat(check).as("installed by the build (npm ci in generate-test-resources)").exists();
    try (FakeOpenAiServer upstream =
            FakeOpenAiServer.builder().model(FakeModel.of(MODEL).withMaxModelLen(8192)).start();
        Network network = new Network(dir)) {
      network.addNode("node", "--upstream", upstream.baseUrl());
      network.awaitLive(1);

      List<JsonNode> lines = run(check, network, dir.resolve("ai-sdk.log"));

      assertThat(lines).hasSize(3);
      JsonNode whole = lines.get(0);
      assertThat(whole.path("text").asText()).isEqualTo("Echo: Hello AI SDK");
      assertThat(whole.path("responseId").asText()).matches("resp_[0-9a-z]{26}");
      assertThat(whole.path("outputTokens").asInt()).isPositive();
      JsonNode streamed = lines.get(1);
      assertThat(streamed.path("text").asText()).isEqualTo("Echo: Hello stream");
      assertThat(streamed.path("responseId").asText()).matches("resp_[0-9a-z]{26}");
      assertThat(streamed.path("outputTokens").asInt()).isPositive();
      JsonNode call = lines.get(2).path("toolCalls").path(0);
      assertThat(call.path("name").asText()).isEqualTo("get_weather");
      assertThat(call.path("input").isObject()).isTrue();
      assertThat(upstream.chatRequests()).hasSize(3); // each ran on the node's chat server
    }
  }

  private static List<JsonNode> run(Path check, Network network, Path log) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder("node", check.toAbsolutePath().toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("PINAIVU_BASE_URL", network.baseUrl());
    builder.environment().put("PINAIVU_KEY", network.key());
    builder.environment().put("PINAIVU_MODEL", MODEL);
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the AI SDK check did not finish in 120 s:\n" + read(log));
    }
    String output = read(log);
    assertThat(process.exitValue()).as(output).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.startsWith("{")) {
        lines.add(Json.parse(line));
      }
    }
    return lines;
  }

  private static String read(Path log) throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }
}
