package dev.pinaivu.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The server run on its own, as benchmarks start it. */
class StandaloneServerIT {

  @Test
  void commandLine_setsModelsContextAndTiming() throws Exception {
    FakeOpenAiServer.Builder builder =
        CommandLine.parse(
            new String[] {
              "--models", "a,b", "--max-model-len", "8192", "--ttft-ms", "5", "--reply-tokens", "9"
            });

    try (FakeOpenAiServer server = builder.start()) {
      TestHttp http = new TestHttp(server.baseUrl());
      JsonNode models = TestHttp.parse(http.get("/models").body()).path("data");
      JsonNode reply =
          TestHttp.parse(
              http.postChat(
                      "{\"model\":\"b\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                  .body());

      assertThat(models).extracting(model -> model.path("id").asText()).containsExactly("a", "b");
      assertThat(models)
          .allSatisfy(m -> assertThat(m.path("max_model_len").asInt()).isEqualTo(8192));
      assertThat(reply.at("/usage/completion_tokens").asInt()).isEqualTo(9);
    }
  }

  @Test
  void commandLine_rejectsAnUnknownOption() {
    assertThatThrownBy(() -> CommandLine.parse(new String[] {"--speed", "fast"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown option --speed");
  }

  @Test
  void main_printsTheBaseUrlAsTheFirstLine_andServes() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                FakeOpenAiServer.class.getName(),
                "--port",
                "0",
                "--models",
                "a,b")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader stdout =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String baseUrl = stdout.readLine();

      assertThat(baseUrl).matches("http://127\\.0\\.0\\.1:\\d+/v1");
      JsonNode models = TestHttp.parse(new TestHttp(baseUrl).get("/models").body());
      assertThat(models.path("data"))
          .extracting(m -> m.path("id").asText())
          .containsExactly("a", "b");
    } finally {
      process.destroy();
      assertThat(process.waitFor(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }
  }
}
