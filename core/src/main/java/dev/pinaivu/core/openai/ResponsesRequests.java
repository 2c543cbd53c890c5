package dev.pinaivu.core.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.json.Json;
import java.util.Set;

/**
 * The stateless subset of the Responses API ({@code POST /v1/responses}) as the chat completion
 * that runs it (ADR 33). The gateway parses and validates with {@link #parse}; the node, which gets
 * the client's bytes, runs {@link #toChat} on them to call its chat-only inference server. Both
 * sides run this one deterministic translation.
 *
 * <p>What maps: {@code input} (a string, or message, {@code function_call} and {@code
 * function_call_output} items; text and image parts), {@code instructions} (a system message
 * first), function {@code tools} and {@code tool_choice}, {@code parallel_tool_calls}, {@code
 * text.format} (response_format), {@code max_output_tokens} (max_tokens), {@code temperature},
 * {@code top_p}, {@code reasoning.effort}, {@code user}, {@code stream} (with usage), and the
 * network's own {@code provider}. Stateful features are refused with 400 naming the parameter: the
 * network keeps no responses, conversations, files or prompts, and runs no built-in tools.
 */
public final class ResponsesRequests {
  private static final Set<String> KNOWN =
      Set.of(
          "model",
          "input",
          "instructions",
          "stream",
          "stream_options",
          "max_output_tokens",
          "temperature",
          "top_p",
          "tools",
          "tool_choice",
          "parallel_tool_calls",
          "text",
          "reasoning",
          "user",
          "safety_identifier",
          "prompt_cache_key",
          "metadata",
          "include",
          "service_tier",
          "truncation",
          "max_tool_calls",
          "store",
          "background",
          "previous_response_id",
          "conversation",
          "prompt",
          "top_logprobs",
          "provider");

  private static final Set<String> MESSAGE_ROLES =
      Set.of("user", "assistant", "system", "developer");
  private static final Set<String> TOOL_CHOICES = Set.of("none", "auto", "required");

  private ResponsesRequests() {}

  /**
   * Reads and validates a Responses request body as the chat completion it runs as: 422 when it is
   * not JSON, 400 naming the parameter when it is not a request this network can run.
   */
  public static Parsed parse(byte[] body) {
    ChatRequestParser.Body read = ChatRequestParser.read(body);
    ObjectNode chat = toChat(read.object());
    return new Parsed(
        read.object(),
        ChatRequestParser.translated(chat, read.text(), body.length, ApiKind.RESPONSES));
  }

  /** A Responses request: as the client sent it, and as the chat completion that runs it. */
  public record Parsed(ObjectNode request, ChatRequest chat) {}

  /**
   * The chat completion request that runs {@code request}; throws {@link ApiException} (400) for
   * what cannot run. {@code request} is not changed.
   */
  public static ObjectNode toChat(ObjectNode request) {
    refuseStateful(request);
    ObjectNode chat = Json.object();
    JsonNode model = present(request, "model");
    if (model != null) {
      chat.set("model", model); // its checks are the chat parser's
    }
    chat.set("messages", messages(request));
    JsonNode stream = present(request, "stream");
    if (stream != null) {
      if (!stream.isBoolean()) {
        throw ApiException.invalidType("stream", "a boolean");
      }
      chat.set("stream", stream);
      if (stream.booleanValue()) {
        chat.putObject("stream_options").put("include_usage", true); // response.completed has it
      }
    }
    JsonNode streamOptions = present(request, "stream_options");
    if (streamOptions != null && !streamOptions.isObject()) {
      throw ApiException.invalidType("stream_options", "an object");
    }
    JsonNode maxOutput = present(request, "max_output_tokens");
    if (maxOutput != null
        && (!maxOutput.isIntegralNumber()
            || !maxOutput.canConvertToInt()
            || maxOutput.intValue() < 1)) {
      throw ApiException.invalid(
          "max_output_tokens",
          "Invalid value for 'max_output_tokens': "
              + maxOutput
              + " must be an integer of at least 1.");
    }
    copy(request, "max_output_tokens", chat, "max_tokens");
    copy(request, "temperature", chat, "temperature");
    copy(request, "top_p", chat, "top_p");
    copy(request, "parallel_tool_calls", chat, "parallel_tool_calls");
    copy(request, "user", chat, "user");
    copy(request, "provider", chat, "provider");
    tools(request, chat);
    toolChoice(request, chat);
    textFormat(request, chat);
    reasoning(request, chat);
    JsonNode metadata = present(request, "metadata");
    if (metadata != null && !metadata.isObject()) {
      throw ApiException.invalidType("metadata", "an object");
    }
    JsonNode include = present(request, "include");
    if (include != null && !include.isArray()) {
      throw ApiException.invalidType("include", "an array");
    }
    return chat;
  }

  /** Parameters that need state the network does not keep, and unknown parameters. */
  private static void refuseStateful(ObjectNode request) {
    for (var field : request.properties()) {
      if (!KNOWN.contains(field.getKey())) {
        throw ApiException.invalid(
            field.getKey(), "Unrecognized request argument supplied: " + field.getKey());
      }
    }
    refuseIfSet(request, "previous_response_id", "send the earlier turns in 'input' instead");
    refuseIfSet(request, "conversation", "send the earlier turns in 'input' instead");
    refuseIfSet(request, "prompt", "send the prompt's text in 'instructions' and 'input'");
    refuseIfSet(request, "top_logprobs", "use /v1/chat/completions with 'logprobs' for them");
    refuseIfTrue(request, "store", "set 'store' to false or leave it out");
    refuseIfTrue(request, "background", "leave 'background' out and wait, or stream");
    JsonNode truncation = present(request, "truncation");
    if (truncation != null && !"disabled".equals(truncation.asText(null))) {
      throw ApiException.invalid(
          "truncation",
          "'truncation' must be 'disabled': this network does not drop input to fit a context.");
    }
  }

  private static void refuseIfSet(ObjectNode request, String field, String instead) {
    if (present(request, field) != null) {
      throw ApiException.invalid(
          field,
          "'"
              + field
              + "' is not supported: this network keeps no responses, conversations or"
              + " prompts ("
              + instead
              + ").");
    }
  }

  private static void refuseIfTrue(ObjectNode request, String field, String instead) {
    JsonNode value = present(request, field);
    if (value == null) {
      return;
    }
    if (!value.isBoolean()) {
      throw ApiException.invalidType(field, "a boolean");
    }
    if (value.booleanValue()) {
      throw ApiException.invalid(
          field,
          "'" + field + "' is not supported: this network keeps no responses (" + instead + ").");
    }
  }

  private static ArrayNode messages(ObjectNode request) {
    ArrayNode messages = Json.MAPPER.createArrayNode();
    JsonNode instructions = present(request, "instructions");
    if (instructions != null) {
      if (!instructions.isTextual()) {
        throw ApiException.invalidType("instructions", "a string");
      }
      messages.addObject().put("role", "system").put("content", instructions.textValue());
    }
    JsonNode input = present(request, "input");
    if (input == null) {
      throw ApiException.missing("input");
    }
    if (input.isTextual()) {
      messages.addObject().put("role", "user").put("content", input.textValue());
      return messages;
    }
    if (!input.isArray()) {
      throw ApiException.invalidType("input", "a string or an array of input items");
    }
    if (input.isEmpty()) {
      throw ApiException.invalid("input", "'input' must contain at least one item.");
    }
    for (int i = 0; i < input.size(); i++) {
      item(input.get(i), "input[" + i + "]", messages);
    }
    return messages;
  }

  private static void item(JsonNode item, String path, ArrayNode messages) {
    if (!item.isObject()) {
      throw ApiException.invalidType(path, "an object");
    }
    String type = item.path("type").asText(item.has("role") ? "message" : "");
    switch (type) {
      case "message" -> messages.add(message(item, path));
      case "function_call" -> functionCall(item, path, messages);
      case "function_call_output" -> {
        ObjectNode tool = messages.addObject().put("role", "tool");
        tool.put("tool_call_id", requiredText(item, "call_id", path));
        JsonNode output = present(item, "output");
        if (output == null) {
          throw ApiException.missing(path + ".output");
        }
        tool.put(
            "content", output.isTextual() ? output.textValue() : text(output, path + ".output"));
      }
      case "reasoning" -> {
        // a reasoning model's earlier thoughts, sent back by SDKs; chat servers take none
      }
      case "item_reference" ->
          throw ApiException.invalid(
              path + ".type",
              "'item_reference' is not supported: this network keeps no items; send the item"
                  + " itself.");
      case "" -> throw ApiException.missing(path + ".type");
      default ->
          throw ApiException.invalid(
              path + ".type",
              "Input items of type '"
                  + type
                  + "' are not supported: this network runs messages and function calls only.");
    }
  }

  private static ObjectNode message(JsonNode item, String path) {
    String role = requiredText(item, "role", path);
    if (!MESSAGE_ROLES.contains(role)) {
      throw ApiException.invalid(
          path + ".role",
          "Invalid value for '"
              + path
              + ".role': expected one of 'user', 'assistant', 'system', 'developer'.");
    }
    ObjectNode message = Json.object();
    // chat-only servers (Ollama, llama.cpp) know "system" where OpenAI now says "developer"
    message.put("role", role.equals("developer") ? "system" : role);
    JsonNode content = present(item, "content");
    if (content == null) {
      throw ApiException.missing(path + ".content");
    }
    if (content.isTextual()) {
      message.set("content", content);
    } else if (!content.isArray()) {
      throw ApiException.invalidType(path + ".content", "a string or an array of content parts");
    } else if (hasImage(content)) {
      message.set("content", parts(content, path + ".content"));
    } else {
      message.put("content", text(content, path + ".content"));
    }
    return message;
  }

  private static boolean hasImage(JsonNode parts) {
    for (JsonNode part : parts) {
      if ("input_image".equals(part.path("type").asText())) {
        return true;
      }
    }
    return false;
  }

  /** Text and image parts as chat content parts. */
  private static ArrayNode parts(JsonNode content, String path) {
    ArrayNode parts = Json.MAPPER.createArrayNode();
    for (int i = 0; i < content.size(); i++) {
      JsonNode part = content.get(i);
      String partPath = path + "[" + i + "]";
      if (!part.isObject()) {
        throw ApiException.invalidType(partPath, "an object");
      }
      if ("input_image".equals(part.path("type").asText())) {
        if (present(part, "file_id") != null) {
          throw ApiException.invalid(
              partPath + ".file_id",
              "'file_id' is not supported: this network keeps no files; send 'image_url'.");
        }
        ObjectNode url = parts.addObject().put("type", "image_url").putObject("image_url");
        url.put("url", requiredText(part, "image_url", partPath));
        JsonNode detail = present(part, "detail");
        if (detail != null) {
          url.set("detail", detail);
        }
      } else {
        parts.addObject().put("type", "text").put("text", partText(part, partPath));
      }
    }
    return parts;
  }

  /** The text of an array of text parts, one after the other, a line between two. */
  private static String text(JsonNode content, String path) {
    if (!content.isArray()) {
      throw ApiException.invalidType(path, "a string or an array of content parts");
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < content.size(); i++) {
      String partPath = path + "[" + i + "]";
      if (!content.get(i).isObject()) {
        throw ApiException.invalidType(partPath, "an object");
      }
      if (i > 0) {
        text.append('\n');
      }
      text.append(partText(content.get(i), partPath));
    }
    return text.toString();
  }

  private static String partText(JsonNode part, String path) {
    String type = part.path("type").asText("");
    return switch (type) {
      case "input_text", "output_text", "text" -> requiredText(part, "text", path);
      case "refusal" -> requiredText(part, "refusal", path);
      case "" -> throw ApiException.missing(path + ".type");
      default ->
          throw ApiException.invalid(
              path + ".type",
              "Content parts of type '"
                  + type
                  + "' are not supported: this network runs text and image parts only.");
    };
  }

  /**
   * A call the model made earlier: an assistant message's tool call, joined to the assistant
   * message just before it (the text it said with the call, or the calls made with it).
   */
  private static void functionCall(JsonNode item, String path, ArrayNode messages) {
    ObjectNode call = Json.object();
    call.put("id", requiredText(item, "call_id", path));
    call.put("type", "function");
    ObjectNode function = call.putObject("function");
    function.put("name", requiredText(item, "name", path));
    function.put("arguments", requiredText(item, "arguments", path));
    JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
    ObjectNode assistant;
    if (last != null && "assistant".equals(last.path("role").asText())) {
      assistant = (ObjectNode) last;
    } else {
      assistant = messages.addObject().put("role", "assistant");
      assistant.putNull("content");
    }
    JsonNode calls = assistant.get("tool_calls");
    (calls == null ? assistant.putArray("tool_calls") : (ArrayNode) calls).add(call);
  }

  private static void tools(ObjectNode request, ObjectNode chat) {
    JsonNode tools = present(request, "tools");
    if (tools == null) {
      return;
    }
    if (!tools.isArray()) {
      throw ApiException.invalidType("tools", "an array");
    }
    ArrayNode out = chat.putArray("tools");
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String path = "tools[" + i + "]";
      if (!tool.isObject()) {
        throw ApiException.invalidType(path, "an object");
      }
      String type = requiredText(tool, "type", path);
      if (!type.equals("function")) {
        throw ApiException.invalid(
            path + ".type",
            "Built-in tool '"
                + type
                + "' is not supported: this network runs function tools only.");
      }
      ObjectNode function = out.addObject().put("type", "function").putObject("function");
      function.put("name", requiredText(tool, "name", path));
      for (String field : new String[] {"description", "parameters", "strict"}) {
        JsonNode value = present(tool, field);
        if (value != null) {
          function.set(field, value);
        }
      }
    }
  }

  private static void toolChoice(ObjectNode request, ObjectNode chat) {
    JsonNode choice = present(request, "tool_choice");
    if (choice == null) {
      return;
    }
    if (choice.isTextual() && TOOL_CHOICES.contains(choice.textValue())) {
      chat.set("tool_choice", choice);
      return;
    }
    if (choice.isObject() && "function".equals(choice.path("type").asText())) {
      chat.putObject("tool_choice")
          .put("type", "function")
          .putObject("function")
          .put("name", requiredText(choice, "name", "tool_choice"));
      return;
    }
    throw ApiException.invalid(
        "tool_choice",
        "'tool_choice' must be 'none', 'auto', 'required' or {\"type\": \"function\", \"name\":"
            + " ...}: this network runs function tools only.");
  }

  private static void textFormat(ObjectNode request, ObjectNode chat) {
    JsonNode text = present(request, "text");
    if (text == null) {
      return;
    }
    if (!text.isObject()) {
      throw ApiException.invalidType("text", "an object");
    }
    JsonNode format = present(text, "format");
    if (format == null) {
      return;
    }
    if (!format.isObject()) {
      throw ApiException.invalidType("text.format", "an object");
    }
    String type = requiredText(format, "type", "text.format");
    switch (type) {
      case "text" -> {}
      case "json_object" -> chat.putObject("response_format").put("type", "json_object");
      case "json_schema" -> {
        ObjectNode schema =
            chat.putObject("response_format").put("type", "json_schema").putObject("json_schema");
        schema.put("name", requiredText(format, "name", "text.format"));
        JsonNode body = present(format, "schema");
        if (body == null || !body.isObject()) {
          throw ApiException.missing("text.format.schema");
        }
        schema.set("schema", body);
        for (String field : new String[] {"description", "strict"}) {
          JsonNode value = present(format, field);
          if (value != null) {
            schema.set(field, value);
          }
        }
      }
      default ->
          throw ApiException.invalid(
              "text.format.type",
              "'text.format.type' must be 'text', 'json_object' or 'json_schema'.");
    }
  }

  private static void reasoning(ObjectNode request, ObjectNode chat) {
    JsonNode reasoning = present(request, "reasoning");
    if (reasoning == null) {
      return;
    }
    if (!reasoning.isObject()) {
      throw ApiException.invalidType("reasoning", "an object");
    }
    JsonNode effort = present(reasoning, "effort");
    if (effort != null) {
      if (!effort.isTextual()) {
        throw ApiException.invalidType("reasoning.effort", "a string");
      }
      chat.set("reasoning_effort", effort);
    }
  }

  private static void copy(ObjectNode from, String field, ObjectNode to, String as) {
    JsonNode value = present(from, field);
    if (value != null) {
      to.set(as, value);
    }
  }

  private static String requiredText(JsonNode node, String field, String path) {
    JsonNode value = present(node, field);
    String name = path + "." + field;
    if (value == null) {
      throw ApiException.missing(name);
    }
    if (!value.isTextual()) {
      throw ApiException.invalidType(name, "a string");
    }
    return value.textValue();
  }

  /** The member, or null when absent or JSON null. */
  private static JsonNode present(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value;
  }
}
