package dev.pinaivu.core.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import java.util.List;

/**
 * A {@code response} object as the Responses API returns it: the output and usage of this answer,
 * and the request's parameters echoed back (what the SDKs' {@code Response} type requires), with
 * the values this network runs: never stored, never in the background, no truncation.
 */
final class ResponseObject {
  private final ObjectNode request;

  /**
   * @param request the client's Responses request body
   */
  ResponseObject(ObjectNode request) {
    this.request = request;
  }

  /**
   * @param status {@code in_progress}, {@code completed} or {@code incomplete}
   * @param incompleteDetails {@code {"reason": ...}} when incomplete, else null
   * @param usage the Responses usage, or null while in progress
   */
  ObjectNode build(
      RequestId requestId,
      long createdAt,
      String status,
      ObjectNode incompleteDetails,
      List<ObjectNode> output,
      ObjectNode usage) {
    ObjectNode response = Json.object();
    response.put("id", "resp_" + requestId.value().substring(RequestId.PREFIX.length()));
    response.put("object", "response");
    response.put("created_at", createdAt);
    response.put("status", status);
    response.put("background", false);
    response.putNull("error");
    response.set("incomplete_details", incompleteDetails);
    response.set("instructions", echo("instructions"));
    response.set("max_output_tokens", echo("max_output_tokens"));
    response.set("model", echo("model"));
    output.forEach(item -> response.withArray("output").add(item));
    response.withArray("output");
    response.put("parallel_tool_calls", request.path("parallel_tool_calls").asBoolean(true));
    response.putNull("previous_response_id");
    ObjectNode reasoning = response.putObject("reasoning");
    reasoning.set(
        "effort",
        request.path("reasoning").path("effort").isTextual()
            ? request.path("reasoning").get("effort")
            : Json.MAPPER.nullNode());
    reasoning.putNull("summary");
    response.put("store", false);
    response.set("temperature", echo("temperature"));
    JsonNode text = request.get("text");
    if (text != null && text.isObject() && text.has("format")) {
      response.set("text", text);
    } else {
      response.putObject("text").putObject("format").put("type", "text");
    }
    JsonNode toolChoice = request.get("tool_choice");
    response.set(
        "tool_choice",
        toolChoice == null || toolChoice.isNull()
            ? Json.MAPPER.getNodeFactory().textNode("auto")
            : toolChoice);
    JsonNode tools = request.get("tools");
    response.set("tools", tools != null && tools.isArray() ? tools : Json.MAPPER.createArrayNode());
    response.set("top_p", echo("top_p"));
    response.put("truncation", "disabled");
    response.set("usage", usage);
    response.set("user", echo("user"));
    JsonNode metadata = request.get("metadata");
    response.set("metadata", metadata != null && metadata.isObject() ? metadata : Json.object());
    response.put("request_id", requestId.value());
    return response;
  }

  private JsonNode echo(String field) {
    JsonNode value = request.get(field);
    return value == null ? Json.MAPPER.nullNode() : value;
  }
}
