package dev.pinaivu.core.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.auth.Caller;
import dev.pinaivu.core.chat.ChatSink;
import dev.pinaivu.core.chat.ClientGoneException;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.limits.RateLimitStatus;
import dev.pinaivu.core.node.NodeId;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives a chat completion's answer the Responses API's form (ADR 33): a whole {@code
 * chat.completion} becomes one {@code response} object; streamed chunks become the Responses event
 * sequence ({@code response.created}, {@code response.in_progress}, then per output item {@code
 * response.output_item.added}, its deltas and its {@code .done} events, and last {@code
 * response.completed} or {@code response.incomplete} with the usage and its cost), each event
 * numbered by {@code sequence_number}. Everything else passes to the entry point's sink, which
 * writes and hashes the bytes as for a chat answer, so the receipt's {@code client_response_sha256}
 * is over what this client received.
 *
 * <p>Nothing is written before the first output: a request that fails before it still gets its
 * status code. Only the first choice is read (the Responses API has no {@code n}).
 */
public final class ResponsesSink implements ChatSink {
  private final ChatSink out;
  private ResponseObject shape;
  private RequestId requestId;
  private long sequence;
  private boolean streamStarted;
  private final List<ObjectNode> items = new ArrayList<>();
  private ObjectNode message; // the open message item, while text streams into it
  private StringBuilder text;
  private ObjectNode call; // the open function call item
  private int callIndex = -1;
  private StringBuilder arguments;
  private String finishReason;
  private ObjectNode usage;
  private String node;
  private long created;

  public ResponsesSink(ChatSink out) {
    this.out = out;
  }

  /** The client's request, once parsed: what the response object echoes. */
  void requested(ObjectNode request) {
    this.shape = new ResponseObject(request);
  }

  /** True once the event stream has started: a later failure must be told in it. */
  boolean streamStarted() {
    return streamStarted;
  }

  @Override
  public void accepted(RequestId id) {
    requestId = id;
    out.accepted(id);
  }

  @Override
  public void identified(Caller caller) {
    out.identified(caller);
  }

  @Override
  public void parsed(String model, boolean stream) {
    out.parsed(model, stream);
  }

  @Override
  public void attempting(NodeId node, int attempt) {
    out.attempting(node, attempt);
  }

  @Override
  public void admitted(RateLimitStatus status) {
    out.admitted(status);
  }

  @Override
  public void onClientGone(Runnable callback) {
    out.onClientGone(callback);
  }

  @Override
  public void keepAlive(boolean stream) throws ClientGoneException {
    streamStarted |= stream;
    out.keepAlive(stream);
  }

  @Override
  public void complete(ObjectNode completion, LastWrite lastWrite) throws ClientGoneException {
    created = completion.path("created").asLong();
    JsonNode choice = completion.path("choices").path(0);
    JsonNode chatMessage = choice.path("message");
    List<ObjectNode> output = new ArrayList<>();
    String content = chatMessage.path("content").asText(null);
    if (content == null) {
      content = chatMessage.path("refusal").asText(null);
    }
    if (content != null && !content.isEmpty()) {
      ObjectNode item = messageItem(0, "completed");
      item.withArray("content").add(outputText(content));
      output.add(item);
    }
    for (JsonNode toolCall : chatMessage.path("tool_calls")) {
      ObjectNode item =
          functionCallItem(
              output.size(),
              toolCall.path("id").asText(),
              toolCall.path("function").path("name").asText(),
              "completed");
      item.put("arguments", toolCall.path("function").path("arguments").asText(""));
      output.add(item);
    }
    String status = status(choice.path("finish_reason").asText(null));
    ObjectNode response =
        shape.build(
            requestId,
            created,
            status,
            incomplete(choice.path("finish_reason").asText(null)),
            output,
            usage(completion.path("usage")));
    response.put("node_id", completion.path("node_id").asText());
    out.complete(response, lastWrite);
  }

  @Override
  public void chunk(ObjectNode chunk) throws ClientGoneException {
    if (sequence == 0) {
      start(chunk);
    }
    if (chunk.has("usage")) {
      usage = usage(chunk.get("usage"));
      node = chunk.path("node_id").asText(null);
    }
    JsonNode choice = chunk.path("choices").path(0);
    if (choice.isMissingNode() || choice.path("index").asInt(0) != 0) {
      return;
    }
    JsonNode delta = choice.path("delta");
    String content = delta.path("content").asText("");
    if (content.isEmpty()) {
      content = delta.path("refusal").asText("");
    }
    if (!content.isEmpty()) {
      textDelta(content);
    }
    for (JsonNode toolCall : delta.path("tool_calls")) {
      toolCallDelta(toolCall);
    }
    String finish = choice.path("finish_reason").asText(null);
    if (finish != null) {
      finishReason = finish;
    }
  }

  @Override
  public void end(LastWrite lastWrite) throws ClientGoneException {
    if (sequence == 0) {
      start(Json.object());
    }
    List<Event> last = new ArrayList<>();
    closeMessage(last);
    closeCall(last);
    String status = status(finishReason);
    ObjectNode response =
        shape.build(requestId, created, status, incomplete(finishReason), items, usage);
    if (node != null) {
      response.put("node_id", node);
    }
    last.add(
        numbered(
            status.equals("completed") ? "response.completed" : "response.incomplete",
            Json.object().set("response", response)));
    out.endWith(last, lastWrite);
  }

  @Override
  public void fail(ApiException error) {
    ObjectNode data = Json.object();
    data.put("code", error.code());
    data.put("message", error.getMessage());
    data.put("param", error.param());
    try {
      out.event(numbered("error", data));
    } catch (ClientGoneException e) {
      // the client is gone as well; nothing left to tell
    }
  }

  @Override
  public void event(Event event) throws ClientGoneException {
    out.event(event);
  }

  @Override
  public void endWith(List<Event> events, LastWrite lastWrite) throws ClientGoneException {
    out.endWith(events, lastWrite);
  }

  @Override
  public String sentSha256() {
    return out.sentSha256();
  }

  private void start(ObjectNode chunk) throws ClientGoneException {
    streamStarted = true;
    created = chunk.path("created").asLong(created);
    ObjectNode response = shape.build(requestId, created, "in_progress", null, List.of(), null);
    out.event(numbered("response.created", Json.object().set("response", response)));
    out.event(numbered("response.in_progress", Json.object().set("response", response)));
  }

  private void textDelta(String delta) throws ClientGoneException {
    if (message == null) {
      closeCall(null);
      message = messageItem(items.size(), "in_progress");
      text = new StringBuilder();
      out.event(added(message));
      ObjectNode part = Json.object();
      part.put("item_id", message.get("id").asText());
      part.put("output_index", items.size());
      part.put("content_index", 0);
      part.set("part", outputText(""));
      out.event(numbered("response.content_part.added", part));
    }
    text.append(delta);
    ObjectNode event = itemEvent(message);
    event.put("content_index", 0);
    event.put("delta", delta);
    event.putArray("logprobs");
    out.event(numbered("response.output_text.delta", event));
  }

  private void toolCallDelta(JsonNode toolCall) throws ClientGoneException {
    int index = toolCall.path("index").asInt(0);
    if (call == null || index != callIndex) {
      closeMessage(null);
      closeCall(null);
      callIndex = index;
      call =
          functionCallItem(
              items.size(),
              toolCall.path("id").asText(""),
              toolCall.path("function").path("name").asText(""),
              "in_progress");
      call.put("arguments", "");
      arguments = new StringBuilder();
      out.event(added(call));
    }
    String piece = toolCall.path("function").path("arguments").asText("");
    if (!piece.isEmpty()) {
      arguments.append(piece);
      ObjectNode event = itemEvent(call);
      event.put("delta", piece);
      out.event(numbered("response.function_call_arguments.delta", event));
    }
  }

  /** Ends the open message item; its events go to {@code into}, or out at once when null. */
  private void closeMessage(List<Event> into) throws ClientGoneException {
    if (message == null) {
      return;
    }
    String whole = text.toString();
    ObjectNode textDone = itemEvent(message);
    textDone.put("content_index", 0);
    textDone.put("text", whole);
    textDone.putArray("logprobs");
    ObjectNode partDone = itemEvent(message);
    partDone.put("content_index", 0);
    partDone.set("part", outputText(whole));
    message.put("status", "completed");
    message.withArray("content").add(outputText(whole));
    emit(into, numbered("response.output_text.done", textDone));
    emit(into, numbered("response.content_part.done", partDone));
    emit(into, done(message));
    items.add(message);
    message = null;
  }

  private void closeCall(List<Event> into) throws ClientGoneException {
    if (call == null) {
      return;
    }
    ObjectNode argumentsDone = itemEvent(call);
    argumentsDone.put("name", call.get("name").asText());
    argumentsDone.put("arguments", arguments.toString());
    call.put("arguments", arguments.toString());
    call.put("status", "completed");
    emit(into, numbered("response.function_call_arguments.done", argumentsDone));
    emit(into, done(call));
    items.add(call);
    call = null;
  }

  private void emit(List<Event> into, Event event) throws ClientGoneException {
    if (into == null) {
      out.event(event);
    } else {
      into.add(event);
    }
  }

  private Event added(ObjectNode item) {
    ObjectNode event = Json.object();
    event.put("output_index", items.size());
    event.set("item", item.deepCopy());
    return numbered("response.output_item.added", event);
  }

  private Event done(ObjectNode item) {
    ObjectNode event = Json.object();
    event.put("output_index", items.size());
    event.set("item", item.deepCopy());
    return numbered("response.output_item.done", event);
  }

  private ObjectNode itemEvent(ObjectNode item) {
    ObjectNode event = Json.object();
    event.put("item_id", item.get("id").asText());
    event.put("output_index", items.size());
    return event;
  }

  /** The event named {@code type}: {@code type} and {@code sequence_number} first, then data. */
  private Event numbered(String type, ObjectNode data) {
    ObjectNode event = Json.object();
    event.put("type", type);
    event.put("sequence_number", sequence++);
    event.setAll(data);
    event.put("request_id", requestId == null ? null : requestId.value());
    return new Event(type, event);
  }

  private ObjectNode messageItem(int index, String status) {
    ObjectNode item = Json.object();
    item.put("id", "msg_" + ulid() + "_" + index);
    item.put("type", "message");
    item.put("status", status);
    item.put("role", "assistant");
    item.putArray("content");
    return item;
  }

  private ObjectNode functionCallItem(int index, String callId, String name, String status) {
    ObjectNode item = Json.object();
    item.put("id", "fc_" + ulid() + "_" + index);
    item.put("type", "function_call");
    item.put("status", status);
    item.put("call_id", callId);
    item.put("name", name);
    return item;
  }

  private static ObjectNode outputText(String text) {
    ObjectNode part = Json.object();
    part.put("type", "output_text");
    part.put("text", text);
    part.putArray("annotations");
    part.putArray("logprobs");
    return part;
  }

  private String ulid() {
    return requestId.value().substring(RequestId.PREFIX.length());
  }

  /** {@code completed}, or {@code incomplete} when the model was cut off. */
  private static String status(String finishReason) {
    return incomplete(finishReason) == null ? "completed" : "incomplete";
  }

  private static ObjectNode incomplete(String finishReason) {
    if ("length".equals(finishReason)) {
      return Json.object().put("reason", "max_output_tokens");
    }
    if ("content_filter".equals(finishReason)) {
      return Json.object().put("reason", "content_filter");
    }
    return null;
  }

  /** Chat usage ({@code prompt_tokens}, ...) in the Responses API's names, with its cost. */
  static ObjectNode usage(JsonNode chat) {
    if (chat == null || !chat.isObject()) {
      return null;
    }
    ObjectNode usage = Json.object();
    usage.put("input_tokens", chat.path("prompt_tokens").asLong());
    usage
        .putObject("input_tokens_details")
        .put("cached_tokens", chat.path("prompt_tokens_details").path("cached_tokens").asLong());
    usage.put("output_tokens", chat.path("completion_tokens").asLong());
    usage
        .putObject("output_tokens_details")
        .put(
            "reasoning_tokens",
            chat.path("completion_tokens_details").path("reasoning_tokens").asLong());
    usage.put("total_tokens", chat.path("total_tokens").asLong());
    if (chat.has("cost")) {
      usage.set("cost", chat.get("cost"));
    }
    return usage;
  }
}
