package dev.pinaivu.agent.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.openai.Usage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in demo backend. It is not a language model: it answers with a fixed sentence that
 * quotes the last user message, split into word tokens and streamed at a steady pace, so that the
 * network can run anywhere, without a GPU. Output is a pure function of the request. When the
 * client forces a tool call, it calls that tool with the user's text as the argument.
 */
public final class DemoBackend implements InferenceBackend {
  public static final String MODEL = "pinaivu-demo-echo";
  private static final int CONTEXT_LENGTH = 8192;

  private final Duration firstTokenDelay;
  private final Duration tokenDelay;

  public DemoBackend(Duration firstTokenDelay, Duration tokenDelay) {
    this.firstTokenDelay = firstTokenDelay;
    this.tokenDelay = tokenDelay;
  }

  @Override
  public String describe() {
    return "built-in demo backend (not a language model)";
  }

  @Override
  public List<ModelInfo> models() {
    return List.of(new ModelInfo(MODEL, CONTEXT_LENGTH));
  }

  @Override
  public void complete(ObjectNode request, boolean stream, JobOutput out, Cancellation cancel)
      throws IOException, InterruptedException {
    String said = lastUserText(request);
    List<String> tokens = tokens(reply(said));
    int limit = maxTokens(request);
    boolean truncated = tokens.size() > limit;
    if (truncated) {
      tokens = tokens.subList(0, limit);
    }
    String toolName = forcedTool(request);
    long prompt = promptTokens(request);
    sleep(firstTokenDelay, cancel);
    if (cancel.isCancelled()) {
      return;
    }
    if (toolName != null) {
      String arguments = Json.text(Json.object().put("input", said));
      if (stream) {
        streamToolCall(toolName, arguments, out, cancel);
      } else {
        out.result(completion(null, toolCall(toolName, arguments, true), "tool_calls", prompt, 1));
      }
      if (stream && !cancel.isCancelled()) {
        out.done(Usage.of(prompt, 1), false);
      }
      return;
    }
    String finish = truncated ? "length" : "stop";
    if (!stream) {
      for (int i = 1; i < tokens.size(); i++) {
        sleep(tokenDelay, cancel);
      }
      if (!cancel.isCancelled()) {
        out.result(completion(String.join("", tokens), null, finish, prompt, tokens.size()));
      }
      return;
    }
    out.chunk(chunk(delta().put("role", "assistant").put("content", ""), null));
    for (int i = 0; i < tokens.size() && !cancel.isCancelled(); i++) {
      if (i > 0) {
        sleep(tokenDelay, cancel);
      }
      out.chunk(chunk(delta().put("content", tokens.get(i)), null));
    }
    if (!cancel.isCancelled()) {
      out.chunk(chunk(delta(), finish));
      out.done(Usage.of(prompt, tokens.size()), false);
    }
  }

  private void streamToolCall(String name, String arguments, JobOutput out, Cancellation cancel)
      throws IOException, InterruptedException {
    ObjectNode first = delta().put("role", "assistant");
    first.set("tool_calls", toolCall(name, "", true));
    out.chunk(chunk(first, null));
    for (int i = 0; i < arguments.length() && !cancel.isCancelled(); i += 16) {
      sleep(tokenDelay, cancel);
      ObjectNode d = delta();
      d.set(
          "tool_calls",
          toolCall(null, arguments.substring(i, Math.min(arguments.length(), i + 16)), false));
      out.chunk(chunk(d, null));
    }
    if (!cancel.isCancelled()) {
      out.chunk(chunk(delta(), "tool_calls"));
    }
  }

  static String reply(String said) {
    return "This is the Pinaivu demo node, not a language model. You said: " + said;
  }

  /** Words with their leading space, so that joining the tokens gives back the text. */
  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == ' ') {
        out.add(text.substring(start, i));
        start = i;
      }
    }
    return out;
  }

  private static String lastUserText(ObjectNode request) {
    String text = "";
    for (JsonNode m : request.path("messages")) {
      if (m.path("role").asText().equals("user")) {
        JsonNode content = m.path("content");
        if (content.isTextual()) {
          text = content.textValue();
        } else {
          StringBuilder parts = new StringBuilder();
          for (JsonNode part : content) {
            parts.append(part.path("text").asText(""));
          }
          text = parts.toString();
        }
      }
    }
    return text;
  }

  private static long promptTokens(ObjectNode request) {
    long words = 0;
    for (JsonNode m : request.path("messages")) {
      words +=
          tokens(
                  m.path("content").isTextual()
                      ? m.get("content").textValue()
                      : m.path("content").toString())
              .size();
    }
    return Math.max(1, words);
  }

  private static int maxTokens(ObjectNode request) {
    for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
      if (request.path(field).canConvertToInt()) {
        return Math.max(1, request.get(field).asInt());
      }
    }
    return Integer.MAX_VALUE;
  }

  /** The tool the client forces, by name or by "required" (then the first tool). */
  private static String forcedTool(ObjectNode request) {
    JsonNode tools = request.path("tools");
    JsonNode choice = request.path("tool_choice");
    if (!tools.isArray() || tools.isEmpty()) {
      return null;
    }
    if (choice.isObject()) {
      return choice.path("function").path("name").asText(null);
    }
    if (choice.isTextual() && choice.textValue().equals("required")) {
      return tools.get(0).path("function").path("name").asText(null);
    }
    return null;
  }

  private static ArrayNode toolCall(String name, String arguments, boolean first) {
    ArrayNode calls = Json.MAPPER.createArrayNode();
    ObjectNode call = calls.addObject().put("index", 0);
    if (first) {
      call.put("id", "call_demo_0").put("type", "function");
    }
    ObjectNode function = call.putObject("function");
    if (name != null) {
      function.put("name", name);
    }
    function.put("arguments", arguments);
    return calls;
  }

  private static ObjectNode completion(
      String content, ArrayNode toolCalls, String finish, long prompt, long completion) {
    ObjectNode body = Json.object().put("object", "chat.completion").put("model", MODEL);
    ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    message.put("content", content);
    if (toolCalls != null) {
      message.set("tool_calls", toolCalls);
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", finish);
    body.set("usage", Usage.of(prompt, completion).toJson());
    return body;
  }

  private static ObjectNode chunk(ObjectNode delta, String finish) {
    ObjectNode chunk = Json.object().put("object", "chat.completion.chunk").put("model", MODEL);
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    if (finish == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finish);
    }
    return chunk;
  }

  private static ObjectNode delta() {
    return Json.object();
  }

  private static void sleep(Duration d, Cancellation cancel) throws InterruptedException {
    if (!d.isZero() && !cancel.isCancelled()) {
      Thread.sleep(d);
    }
  }
}
