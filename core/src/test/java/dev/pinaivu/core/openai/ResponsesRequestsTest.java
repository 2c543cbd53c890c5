package dev.pinaivu.core.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Responses request as the chat completion a chat-only inference server runs (ADR 33). */
class ResponsesRequestsTest {
  private static ObjectNode chat(String responses) throws Exception {
    return ResponsesRequests.toChat((ObjectNode) Json.parse(responses));
  }

  private static ApiException refused(String responses) {
    try {
      ResponsesRequests.parse(responses.getBytes(StandardCharsets.UTF_8));
    } catch (ApiException e) {
      return e;
    }
    throw new AssertionError("accepted: " + responses);
  }

  @Test
  void textInput_withInstructions_isASystemThenAUserMessage() throws Exception {
    assertThat(chat("{\"model\":\"m\",\"input\":\"hi\",\"instructions\":\"be brief\"}").toString())
        .isEqualTo(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
                + "{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  @Test
  void parameters_mapToTheirChatNames_andAStreamAsksForUsage() throws Exception {
    ObjectNode chat =
        chat(
            "{\"model\":\"m\",\"input\":\"hi\",\"stream\":true,\"max_output_tokens\":64,"
                + "\"temperature\":0.5,\"top_p\":0.9,\"parallel_tool_calls\":false,\"user\":\"u\","
                + "\"reasoning\":{\"effort\":\"low\"},\"provider\":{\"max_price\":{\"prompt\":1}},"
                + "\"metadata\":{\"k\":\"v\"},\"store\":false,\"include\":[],\"truncation\":\"disabled\"}");

    assertThat(chat.get("max_tokens").asInt()).isEqualTo(64);
    assertThat(chat.get("temperature").asDouble()).isEqualTo(0.5);
    assertThat(chat.get("top_p").asDouble()).isEqualTo(0.9);
    assertThat(chat.get("parallel_tool_calls").asBoolean()).isFalse();
    assertThat(chat.get("user").asText()).isEqualTo("u");
    assertThat(chat.get("reasoning_effort").asText()).isEqualTo("low");
    assertThat(chat.at("/provider/max_price/prompt").asInt()).isEqualTo(1);
    assertThat(chat.at("/stream_options/include_usage").asBoolean()).isTrue();
    assertThat(chat.has("metadata")).isFalse(); // kept by no one: echoed in the response only
    assertThat(chat.has("store")).isFalse();
  }

  @Test
  void messageItems_developerIsSystem_textPartsJoin_imagesStayParts() throws Exception {
    ObjectNode chat =
        chat(
            "{\"model\":\"m\",\"input\":["
                + "{\"role\":\"developer\",\"content\":\"rules\"},"
                + "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"a\"},"
                + "{\"type\":\"input_text\",\"text\":\"b\"}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"see\"},"
                + "{\"type\":\"input_image\",\"image_url\":\"https://x/y.png\",\"detail\":\"low\"}]},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"ok\"}]}]}");

    assertThat(chat.get("messages").toString())
        .isEqualTo(
            "[{\"role\":\"system\",\"content\":\"rules\"},"
                + "{\"role\":\"user\",\"content\":\"a\\nb\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"see\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\",\"detail\":\"low\"}}]},"
                + "{\"role\":\"assistant\",\"content\":\"ok\"}]");
  }

  @Test
  void functionCalls_joinTheAssistantTurn_andOutputsAreToolMessages() throws Exception {
    ObjectNode chat =
        chat(
            "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":\"weather?\"},"
                + "{\"type\":\"function_call\",\"call_id\":\"c1\",\"name\":\"w\",\"arguments\":\"{}\"},"
                + "{\"type\":\"function_call\",\"call_id\":\"c2\",\"name\":\"w\",\"arguments\":\"{}\"},"
                + "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[]},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"c1\",\"output\":\"sunny\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"c2\",\"output\":[{\"type\":\"input_text\",\"text\":\"rain\"}]}]}");

    assertThat(chat.get("messages").toString())
        .isEqualTo(
            "[{\"role\":\"user\",\"content\":\"weather?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
                + "{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"w\",\"arguments\":\"{}\"}},"
                + "{\"id\":\"c2\",\"type\":\"function\",\"function\":{\"name\":\"w\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"sunny\"},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c2\",\"content\":\"rain\"}]");
  }

  @Test
  void functionTools_toolChoice_andJsonSchema_becomeTheirChatForms() throws Exception {
    ObjectNode chat =
        chat(
            "{\"model\":\"m\",\"input\":\"x\",\"tools\":[{\"type\":\"function\",\"name\":\"f\","
                + "\"description\":\"d\",\"parameters\":{\"type\":\"object\"},\"strict\":true}],"
                + "\"tool_choice\":{\"type\":\"function\",\"name\":\"f\"},"
                + "\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"s\",\"schema\":{\"type\":\"object\"},\"strict\":true}}}");

    assertThat(chat.get("tools").toString())
        .isEqualTo(
            "[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"description\":\"d\","
                + "\"parameters\":{\"type\":\"object\"},\"strict\":true}}]");
    assertThat(chat.get("tool_choice").toString())
        .isEqualTo("{\"type\":\"function\",\"function\":{\"name\":\"f\"}}");
    assertThat(chat.get("response_format").toString())
        .isEqualTo(
            "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"s\",\"schema\":{\"type\":\"object\"},\"strict\":true}}");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"previous_response_id\":\"resp_1\"|previous_response_id",
        "\"conversation\":\"conv_1\"|conversation",
        "\"store\":true|store",
        "\"background\":true|background",
        "\"prompt\":{\"id\":\"pmpt_1\"}|prompt",
        "\"truncation\":\"auto\"|truncation",
        "\"tools\":[{\"type\":\"web_search\"}]|tools[0].type",
        "\"tool_choice\":{\"type\":\"web_search\"}|tool_choice",
        "\"seed\":1|seed",
        "\"max_output_tokens\":0|max_output_tokens",
        "\"text\":{\"format\":{\"type\":\"yaml\"}}|text.format.type",
      })
  void whatNeedsStateOrIsUnknown_is400NamingTheParameter(String member, String param) {
    ApiException e = refused("{\"model\":\"m\",\"input\":\"x\"," + member + "}");

    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(e.param()).isEqualTo(param);
  }

  @Test
  void badItems_are400NamingTheItem() {
    assertThat(refused("{\"model\":\"m\"}").param()).isEqualTo("input");
    assertThat(refused("{\"model\":\"m\",\"input\":[]}").param()).isEqualTo("input");
    assertThat(
            refused("{\"model\":\"m\",\"input\":[{\"type\":\"item_reference\",\"id\":\"x\"}]}")
                .param())
        .isEqualTo("input[0].type");
    assertThat(
            refused("{\"model\":\"m\",\"input\":[{\"role\":\"tool\",\"content\":\"x\"}]}").param())
        .isEqualTo("input[0].role");
    assertThat(
            refused(
                    "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\",\"file_id\":\"f\"}]}]}")
                .param())
        .isEqualTo("input[0].content[0].type");
    assertThat(
            refused(
                    "{\"model\":\"m\",\"input\":[{\"type\":\"function_call_output\",\"output\":\"x\"}]}")
                .param())
        .isEqualTo("input[0].call_id");
    assertThat(refused("{\"input\":\"x\"}").param()).isEqualTo("model");
  }

  @Test
  void parse_keepsTheClientsText_andBoundsThePromptByTheLongerForm() {
    String body = "{\"model\":\"m\",\"input\":\"hi\",\"stream\":true}";

    ChatRequest request = ResponsesRequests.parse(body.getBytes(StandardCharsets.UTF_8)).chat();

    assertThat(request.text()).isEqualTo(body);
    assertThat(request.api()).isEqualTo(ApiKind.RESPONSES);
    assertThat(request.stream()).isTrue();
    assertThat(request.includeUsage()).isTrue();
    assertThat(request.bodyBytes()).isGreaterThanOrEqualTo(body.length());
    assertThat(request.body().has("messages")).isTrue();
  }

  @Test
  void translation_isDeterministic_soTheNodeRunsWhatTheGatewayChecked() throws Exception {
    String body =
        "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"type\":\"function\",\"name\":\"f\"}]}";
    assertThat(chat(body)).isEqualTo(chat(body));
    assertThat(ResponsesRequests.parse(body.getBytes(StandardCharsets.UTF_8)).chat().body())
        .isEqualTo(chat(body));
  }
}
