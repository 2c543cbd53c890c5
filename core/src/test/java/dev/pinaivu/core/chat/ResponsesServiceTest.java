package dev.pinaivu.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.openai.ApiKind;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.responses.ResponsesService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/responses} on the chat use case: what the node gets and what the client sees. */
class ResponsesServiceTest extends ChatServiceFixture {
  private static final String STREAMED = "{\"model\":\"m\",\"input\":\"hi\",\"stream\":true}";
  private static final String WHOLE =
      "{\"model\":\"m\",\"input\":\"hi\",\"instructions\":\"brief\"}";

  private void create(String body) throws InterruptedException {
    new ResponsesService(service).create(auth, body.getBytes(StandardCharsets.UTF_8), sink);
  }

  private List<String> names() {
    return sink.events.stream().map(ChatSink.Event::name).toList();
  }

  @Test
  void stream_isTheResponsesEventSequence_numbered_endingWithCompletedAndUsage() throws Exception {
    nodes.add(1, job -> answer(job, "Hello", " world"));

    create(STREAMED);

    assertThat(names())
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.content_part.added",
            "response.output_text.delta",
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.completed");
    for (int i = 0; i < sink.events.size(); i++) {
      ObjectNode data = sink.events.get(i).data();
      assertThat(data.get("type").asText()).isEqualTo(sink.events.get(i).name());
      assertThat(data.get("sequence_number").asInt()).isEqualTo(i);
      assertThat(data.get("request_id").asText()).isEqualTo(sink.requestId.value());
    }
    assertThat(sink.chunks).isEmpty(); // no chat chunk and no [DONE] reaches this client
    assertThat(sink.ended).isTrue();
    JsonNode response = sink.events.get(sink.events.size() - 1).data().get("response");
    assertThat(response.get("id").asText())
        .isEqualTo("resp_" + sink.requestId.value().substring(4));
    assertThat(response.get("status").asText()).isEqualTo("completed");
    assertThat(response.at("/output/0/content/0/text").asText()).isEqualTo("Hello world");
    assertThat(response.at("/usage/input_tokens").asInt()).isEqualTo(5);
    assertThat(response.at("/usage/output_tokens").asInt()).isEqualTo(2);
    assertThat(response.at("/usage/total_tokens").asInt()).isEqualTo(7);
    assertThat(response.at("/usage/cost").isNumber()).isTrue();
    assertThat(response.get("node_id").asText()).startsWith("node_");
  }

  @Test
  void theNodeGetsTheClientsOwnBytes_markedAsAResponsesRequest() throws Exception {
    nodes.add(1, job -> answer(job, "x"));

    create(STREAMED);

    assertThat(nodes.jobs.get(0).request()).isEqualTo(STREAMED);
    assertThat(nodes.jobs.get(0).api()).isEqualTo(ApiKind.RESPONSES);
    assertThat(nodes.jobs.get(0).stream()).isTrue();
  }

  @Test
  void whole_isOneResponseObject_echoingTheRequest() throws Exception {
    ObjectNode result = Json.object().put("id", "x").put("object", "chat.completion");
    ObjectNode choice = result.putArray("choices").addObject().put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", "Hello");
    choice.put("finish_reason", "stop");
    result.set("usage", Usage.of(5, 1).toJson());
    nodes.add(1, job -> List.of(new Frame.Result(job, 0, result.deepCopy())));

    create(WHOLE);

    ObjectNode response = sink.completion;
    assertThat(response.get("object").asText()).isEqualTo("response");
    assertThat(response.get("status").asText()).isEqualTo("completed");
    assertThat(response.get("instructions").asText()).isEqualTo("brief");
    assertThat(response.get("model").asText()).isEqualTo("m");
    assertThat(response.get("store").asBoolean()).isFalse();
    assertThat(response.at("/output/0/type").asText()).isEqualTo("message");
    assertThat(response.at("/output/0/role").asText()).isEqualTo("assistant");
    assertThat(response.at("/output/0/content/0/type").asText()).isEqualTo("output_text");
    assertThat(response.at("/output/0/content/0/text").asText()).isEqualTo("Hello");
    assertThat(response.at("/usage/output_tokens").asInt()).isEqualTo(1);
    assertThat(response.get("request_id").asText()).isEqualTo(sink.requestId.value());
  }

  @Test
  void cutOffAtTheLimit_isIncomplete_forMaxOutputTokens() throws Exception {
    nodes.add(
        1,
        job -> {
          List<Frame.JobFrame> frames = new ArrayList<>(answer(job, "a", "b"));
          ObjectNode finish = (ObjectNode) ((Frame.Chunk) frames.get(3)).data();
          ((ObjectNode) finish.get("choices").get(0)).put("finish_reason", "length");
          return frames;
        });

    create("{\"model\":\"m\",\"input\":\"hi\",\"stream\":true,\"max_output_tokens\":2}");

    ChatSink.Event last = sink.events.get(sink.events.size() - 1);
    assertThat(last.name()).isEqualTo("response.incomplete");
    assertThat(last.data().at("/response/status").asText()).isEqualTo("incomplete");
    assertThat(last.data().at("/response/incomplete_details/reason").asText())
        .isEqualTo("max_output_tokens");
  }

  @Test
  void toolCallDeltas_becomeOneFunctionCallItem_withItsWholeArguments() throws Exception {
    nodes.add(
        1,
        job -> {
          List<Frame.JobFrame> frames = new ArrayList<>();
          frames.add(new Frame.Chunk(job, 0, toolDelta("call_1", "get_weather", "")));
          frames.add(new Frame.Chunk(job, 1, toolDelta(null, null, "{\"city\":")));
          frames.add(new Frame.Chunk(job, 2, toolDelta(null, null, "\"Paris\"}")));
          frames.add(new Frame.Done(job, 3, Usage.of(5, 3), false));
          return frames;
        });

    create(
        "{\"model\":\"m\",\"input\":\"weather?\",\"stream\":true,\"tools\":[{\"type\":\"function\","
            + "\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}]}");

    assertThat(names())
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.function_call_arguments.delta",
            "response.function_call_arguments.delta",
            "response.function_call_arguments.done",
            "response.output_item.done",
            "response.completed");
    JsonNode item = sink.events.get(sink.events.size() - 1).data().at("/response/output/0");
    assertThat(item.get("type").asText()).isEqualTo("function_call");
    assertThat(item.get("call_id").asText()).isEqualTo("call_1");
    assertThat(item.get("name").asText()).isEqualTo("get_weather");
    assertThat(item.get("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(item.get("status").asText()).isEqualTo("completed");
  }

  @Test
  void midStreamFailure_endsWithAnErrorEvent_andNoCompleted() throws Exception {
    nodes.add(
        1,
        job ->
            List.of(
                new Frame.Chunk(job, 0, delta("content", "partial")),
                new Frame.JobError(job, -1, "node_lost", "node disconnected", true, null)));

    create(STREAMED);

    ChatSink.Event last = sink.events.get(sink.events.size() - 1);
    assertThat(last.name()).isEqualTo("error");
    assertThat(last.data().get("code").asText()).isNotBlank();
    assertThat(last.data().get("message").asText()).isNotBlank();
    assertThat(names()).doesNotContain("response.completed");
    assertThat(sink.ended).isFalse();
  }

  @Test
  void statefulParameters_are400_beforeAnyNodeRuns() {
    nodes.add(1, job -> answer(job, "never"));

    assertThatThrownBy(
            () -> create("{\"model\":\"m\",\"input\":\"hi\",\"previous_response_id\":\"resp_1\"}"))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.param()).isEqualTo("previous_response_id"));
    assertThat(nodes.jobs).isEmpty();
  }

  @Test
  void nodesWhoseAgentsPredateTheResponsesApi_areNotSentItsJobs() throws Exception {
    NodeId old = nodes.add(1, job -> answer(job, "would run a Responses body as chat"));
    nodes.chatOnly.add(old);

    assertThatThrownBy(() -> create(STREAMED))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.NO_CAPACITY);
              assertThat(e.getMessage()).contains("Responses API");
            });
    assertThat(nodes.jobs).isEmpty();

    nodes.add(2, job -> answer(job, "fine")); // a newer, dearer node is chosen over the cheap one
    create(STREAMED);
    assertThat(nodes.jobs).hasSize(1);
    assertThat(nodes.jobs.get(0).api()).isEqualTo(ApiKind.RESPONSES);
  }

  private static ObjectNode toolDelta(String id, String name, String arguments) {
    ObjectNode chunk = Json.object();
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    ObjectNode call = choice.putObject("delta").putArray("tool_calls").addObject().put("index", 0);
    if (id != null) {
      call.put("id", id).put("type", "function");
    }
    ObjectNode function = call.putObject("function");
    if (name != null) {
      function.put("name", name);
    }
    function.put("arguments", arguments);
    choice.putNull("finish_reason");
    return chunk;
  }
}
