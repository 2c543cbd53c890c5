package dev.pinaivu.agent.backend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.json.Json;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoBackendTest {
  private final DemoBackend demo = new DemoBackend(Duration.ZERO, Duration.ZERO);

  private static ObjectNode request(String json) throws Exception {
    return (ObjectNode) Json.parse(json);
  }

  @Test
  void stream_saysWhatItIsAndQuotesTheUser() throws Exception {
    RecordingOutput out = new RecordingOutput();

    demo.complete(
        request("{\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}"),
        true,
        out,
        new Cancellation());

    assertThat(out.text())
        .isEqualTo(DemoBackend.reply("Hello there"))
        .contains("not a language model");
    assertThat(out.chunks.get(0).get("choices").get(0).get("delta").get("role").asText())
        .isEqualTo("assistant");
    assertThat(out.usage.completionTokens())
        .isEqualTo(DemoBackend.tokens(DemoBackend.reply("Hello there")).size());
    assertThat(out.terminals).isEqualTo(1);
  }

  @Test
  void output_isAPureFunctionOfTheRequest() throws Exception {
    RecordingOutput a = new RecordingOutput();
    RecordingOutput b = new RecordingOutput();
    String json = "{\"messages\":[{\"role\":\"user\",\"content\":\"same\"}],\"max_tokens\":3}";

    demo.complete(request(json), false, a, new Cancellation());
    demo.complete(request(json), false, b, new Cancellation());

    assertThat(a.result).isEqualTo(b.result);
    assertThat(a.result.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
    assertThat(a.result.get("usage").get("completion_tokens").asInt()).isEqualTo(3);
  }

  @Test
  void forcedTool_isCalledWithTheUsersText_streamedAndNot() throws Exception {
    String json =
        "{\"messages\":[{\"role\":\"user\",\"content\":\"weather in Chennai\"}],"
            + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}],\"tool_choice\":\"required\"}";
    RecordingOutput streamed = new RecordingOutput();
    RecordingOutput whole = new RecordingOutput();

    demo.complete(request(json), true, streamed, new Cancellation());
    demo.complete(request(json), false, whole, new Cancellation());

    String arguments =
        whole
            .result
            .get("choices")
            .get(0)
            .get("message")
            .get("tool_calls")
            .get(0)
            .get("function")
            .get("arguments")
            .asText();
    assertThat(Json.parse(arguments).get("input").asText()).isEqualTo("weather in Chennai");
    assertThat(streamed.arguments()).isEqualTo(arguments);
    assertThat(streamed.chunks.get(streamed.chunks.size() - 1).toString())
        .contains("\"finish_reason\":\"tool_calls\"");
  }

  @Test
  void cancel_stopsTheStream() throws Exception {
    DemoBackend slow = new DemoBackend(Duration.ZERO, Duration.ofMillis(20));
    RecordingOutput out = new RecordingOutput();
    Cancellation cancel = new Cancellation();
    Thread.ofVirtual()
        .start(() -> {
          try {
            Thread.sleep(70);
          } catch (InterruptedException ignored) {
            // test thread
          }
          cancel.cancel();
        });

    slow.complete(
        request(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"a b c d e f g h i j k l m n o p\"}]}"),
        true,
        out,
        cancel);

    assertThat(out.terminals).isZero();
    assertThat(out.chunks.size())
        .isLessThan(
            DemoBackend.tokens(DemoBackend.reply("a b c d e f g h i j k l m n o p")).size());
  }
}
