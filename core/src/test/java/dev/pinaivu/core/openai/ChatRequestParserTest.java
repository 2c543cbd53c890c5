package dev.pinaivu.core.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatRequestParserTest {
  private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

  private static ChatRequest parse(String json) {
    return ChatRequestParser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static ApiException refusal(String json) {
    try {
      parse(json);
    } catch (ApiException e) {
      return e;
    }
    throw new AssertionError("accepted: " + json);
  }

  @Test
  void parse_minimalRequest() {
    ChatRequest r = parse("{\"model\":\"m\"," + MESSAGES + "}");

    assertThat(r.model()).isEqualTo("m");
    assertThat(r.stream()).isFalse();
    assertThat(r.includeUsage()).isFalse();
    assertThat(r.maxTokens()).isNull();
  }

  @Test
  void parse_everyOpenAiParameter_isAcceptedAndKeptIntact() {
    String json =
        """
        {"model":"m","messages":[
           {"role":"system","content":"s"},{"role":"developer","content":"d"},
           {"role":"user","content":[{"type":"text","text":"hi"},{"type":"image_url","image_url":{"url":"data:x"}}]},
           {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},
           {"role":"tool","tool_call_id":"c1","content":"42"}],
         "stream":true,"stream_options":{"include_usage":true},"temperature":0.7,"top_p":1,"n":2,
         "max_tokens":10,"max_completion_tokens":20,"presence_penalty":-2,"frequency_penalty":2,
         "stop":["a","b"],"seed":-9007199254740991,"logprobs":true,"top_logprobs":5,
         "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],
         "tool_choice":{"type":"function","function":{"name":"get_weather"}},"parallel_tool_calls":false,
         "response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{}}},
         "logit_bias":{"50256":-100},"user":"u1","metadata":{"k":"v"},"vendor_extension":{"top_k":40}}
        """;

    ChatRequest r = parse(json);

    assertThat(r.stream()).isTrue();
    assertThat(r.includeUsage()).isTrue();
    assertThat(r.maxTokens()).isEqualTo(20);
    assertThat(r.body().get("vendor_extension").get("top_k").asInt()).isEqualTo(40);
    assertThat(r.body().get("seed").asLong()).isEqualTo(-9007199254740991L);
    assertThat(r.body().size()).isEqualTo(23);
  }

  @Test
  void parse_nullCountsAsAbsent() {
    ChatRequest r =
        parse(
            "{\"model\":\"m\","
                + MESSAGES
                + ",\"temperature\":null,\"stream\":null,\"tools\":null}");

    assertThat(r.stream()).isFalse();
  }

  @Test
  void parse_notJson_is422() {
    for (String body :
        new String[] {"{", "not json", "{\"model\":\"m\"} trailing", "{\"a\":1,\"a\":2}"}) {
      assertThat(refusal(body).kind()).as(body).isEqualTo(ErrorKind.UNPARSEABLE_BODY);
    }
    assertThatThrownBy(() -> ChatRequestParser.parse(new byte[0])).isInstanceOf(ApiException.class);
  }

  @Test
  void parse_keepsTheExactText_andRefusesBodiesThatAreNotUtf8() {
    String body = "{ \"model\" : \"m\", " + MESSAGES + ", \"x\": \"caf\u00e9 \\u00e9\" }";
    byte[] utf16 = body.getBytes(StandardCharsets.UTF_16);
    byte[] latin1 = body.getBytes(StandardCharsets.ISO_8859_1);

    assertThat(parse(body).text()).isEqualTo(body);
    assertThat(refusalOf(utf16).kind()).isEqualTo(ErrorKind.UNPARSEABLE_BODY);
    assertThat(refusalOf(latin1).kind()).isEqualTo(ErrorKind.UNPARSEABLE_BODY);
  }

  private static ApiException refusalOf(byte[] body) {
    try {
      ChatRequestParser.parse(body);
    } catch (ApiException e) {
      return e;
    }
    throw new AssertionError("accepted");
  }

  @Test
  void parse_deeplyNestedBody_isRefusedNotCrashing() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    ApiException e = refusal("{\"model\":\"m\"," + MESSAGES + ",\"x\":" + deep + "}");

    assertThat(e.kind()).isEqualTo(ErrorKind.UNPARSEABLE_BODY);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not an object                 | []                                                    | ",
        "model missing                 | {MSG}                                                 | model",
        "model not a string            | {\"model\":1,MSG}                                     | model",
        "model empty                   | {\"model\":\" \",MSG}                                  | model",
        "messages missing              | {\"model\":\"m\"}                                     | messages",
        "messages empty                | {\"model\":\"m\",\"messages\":[]}                      | messages",
        "messages not array            | {\"model\":\"m\",\"messages\":{}}                      | messages",
        "message not object            | {\"model\":\"m\",\"messages\":[1]}                     | messages[0]",
        "role missing                  | {\"model\":\"m\",\"messages\":[{\"content\":\"x\"}]}   | messages[0].role",
        "role unknown                  | {\"model\":\"m\",\"messages\":[{\"role\":\"bot\",\"content\":\"x\"}]} | messages[0].role",
        "user content missing          | {\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}   | messages[0].content",
        "content wrong type            | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":5}]} | messages[0].content",
        "content part without type     | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{}]}]} | messages[0].content[0].type",
        "tool message without id       | {\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]} | messages[0].tool_call_id",
        "temperature too high          | {\"model\":\"m\",MSG,\"temperature\":2.01}            | temperature",
        "temperature negative          | {\"model\":\"m\",MSG,\"temperature\":-0.1}            | temperature",
        "temperature a string          | {\"model\":\"m\",MSG,\"temperature\":\"1\"}           | temperature",
        "top_p above one               | {\"model\":\"m\",MSG,\"top_p\":1.5}                   | top_p",
        "max_tokens zero               | {\"model\":\"m\",MSG,\"max_tokens\":0}                | max_tokens",
        "max_tokens fractional         | {\"model\":\"m\",MSG,\"max_tokens\":1.5}              | max_tokens",
        "max_completion_tokens negative| {\"model\":\"m\",MSG,\"max_completion_tokens\":-1}    | max_completion_tokens",
        "n zero                        | {\"model\":\"m\",MSG,\"n\":0}                         | n",
        "stream not boolean            | {\"model\":\"m\",MSG,\"stream\":\"yes\"}              | stream",
        "stream_options without stream | {\"model\":\"m\",MSG,\"stream_options\":{\"include_usage\":true}} | stream_options",
        "include_usage not boolean     | {\"model\":\"m\",MSG,\"stream\":true,\"stream_options\":{\"include_usage\":1}} | stream_options.include_usage",
        "stop too many                 | {\"model\":\"m\",MSG,\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]} | stop",
        "stop wrong type               | {\"model\":\"m\",MSG,\"stop\":5}                      | stop",
        "penalty out of range          | {\"model\":\"m\",MSG,\"presence_penalty\":3}          | presence_penalty",
        "top_logprobs without logprobs | {\"model\":\"m\",MSG,\"top_logprobs\":2}              | top_logprobs",
        "top_logprobs too many         | {\"model\":\"m\",MSG,\"logprobs\":true,\"top_logprobs\":21} | top_logprobs",
        "tools not array               | {\"model\":\"m\",MSG,\"tools\":{}}                    | tools",
        "tool without function         | {\"model\":\"m\",MSG,\"tools\":[{\"type\":\"function\"}]} | tools[0].function",
        "tool bad name                 | {\"model\":\"m\",MSG,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a b\"}}]} | tools[0].function.name",
        "tool_choice unknown           | {\"model\":\"m\",MSG,\"tool_choice\":\"always\"}       | tool_choice",
        "response_format unknown       | {\"model\":\"m\",MSG,\"response_format\":{\"type\":\"yaml\"}} | response_format.type",
        "json_schema without schema    | {\"model\":\"m\",MSG,\"response_format\":{\"type\":\"json_schema\"}} | response_format.json_schema",
        "logit_bias out of range       | {\"model\":\"m\",MSG,\"logit_bias\":{\"1\":101}}       | logit_bias",
        "user not string               | {\"model\":\"m\",MSG,\"user\":1}                      | user",
        "seed not integer              | {\"model\":\"m\",MSG,\"seed\":1.5}                    | seed",
      })
  void parse_invalidParameter_is400NamingIt(String why, String json, String param) {
    ApiException e = refusal(json.replace("MSG", MESSAGES));

    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(e.param()).isEqualTo(param);
    assertThat(e.getMessage()).isNotBlank();
  }
}
