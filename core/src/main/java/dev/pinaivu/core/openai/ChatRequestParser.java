package dev.pinaivu.core.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.json.JsonSyntax;
import dev.pinaivu.core.text.UnicodeText;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and validates a {@code POST /v1/chat/completions} body the way the OpenAI API does: 422
 * when it is not JSON, 400 naming the parameter when a known parameter has the wrong type or value.
 * Parameters it does not know are left alone and reach the node. A JSON {@code null} counts as
 * absent, as in the OpenAI API.
 */
public final class ChatRequestParser {
  static final Set<String> ROLES =
      Set.of("system", "developer", "user", "assistant", "tool", "function");
  private static final Set<String> TOOL_CHOICES = Set.of("none", "auto", "required");
  private static final Set<String> RESPONSE_FORMATS = Set.of("text", "json_object", "json_schema");
  private static final Pattern FUNCTION_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
  private static final int MAX_MESSAGES = 100_000;
  private static final int MAX_TOOLS = 128;

  private ChatRequestParser() {}

  public static ChatRequest parse(byte[] body) {
    Body read = read(body);
    return validate(read.object(), read.text(), body.length);
  }

  /** A request body read as JSON: the object and the text it was parsed from. */
  public record Body(ObjectNode object, String text) {}

  /**
   * Reads a request body of any {@code /v1} API: 422 when it is not UTF-8 JSON, 400 when it is not
   * an object or holds text that is not valid Unicode.
   */
  public static Body read(byte[] body) {
    String text = utf8(body);
    JsonNode root;
    try {
      root = Json.parse(text);
    } catch (JsonProcessingException e) {
      throw new ApiException(
          ErrorKind.UNPARSEABLE_BODY,
          "We could not parse the JSON body of your request " + JsonSyntax.describe(e) + ".",
          null,
          "invalid_json");
    }
    if (root == null || !root.isObject()) {
      throw new ApiException(
          ErrorKind.INVALID_REQUEST,
          "The request body must be a JSON object.",
          null,
          "invalid_type");
    }
    // a lone surrogate cannot be passed on as UTF-8: refused here, not at a node's socket
    String illFormed = UnicodeText.firstIllFormed(root, "");
    if (illFormed != null) {
      throw ApiException.invalid(
          illFormed,
          "'"
              + illFormed
              + "' holds text that is not valid Unicode (a lone surrogate such as \\ud800"
              + " without its pair).");
    }
    return new Body((ObjectNode) root, text);
  }

  /**
   * Validates {@code chat}, a chat completion request translated from a body the client sent to
   * another API ({@code clientText}, {@code clientBytes} long), as a chat request is validated. The
   * request's text is the client's: that is what the node gets and hashes.
   */
  public static ChatRequest translated(
      ObjectNode chat, String clientText, long clientBytes, ApiKind api) {
    ChatRequest request = validate(chat, clientText, clientBytes);
    long bound = Math.max(clientBytes, Json.bytes(chat).length);
    return new ChatRequest(
        request.model(),
        request.stream(),
        request.includeUsage(),
        request.maxTokens(),
        request.choices(),
        request.maxPrice(),
        chat,
        clientText,
        bound,
        api);
  }

  /**
   * JSON between systems is UTF-8 (RFC 8259 section 8.1); anything else is refused, not guessed.
   */
  private static String utf8(byte[] body) {
    try {
      return java.nio.charset.StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(body))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new ApiException(
          ErrorKind.UNPARSEABLE_BODY,
          "We could not parse the JSON body of your request: it is not valid UTF-8.",
          null,
          "invalid_json");
    }
  }

  static ChatRequest validate(ObjectNode body, String text, long bodyBytes) {
    String model = requiredString(body, "model");
    validateMessages(body);
    boolean stream = optionalBoolean(body, "stream", false);
    boolean includeUsage = false;
    JsonNode streamOptions = present(body, "stream_options");
    if (streamOptions != null) {
      if (!streamOptions.isObject()) {
        throw ApiException.invalidType("stream_options", "an object");
      }
      if (!stream) {
        throw ApiException.invalid(
            "stream_options", "'stream_options' is only allowed when 'stream' is true.");
      }
      includeUsage =
          optionalBoolean(streamOptions, "include_usage", "stream_options.include_usage");
    }
    number(body, "temperature", 0, 2);
    number(body, "top_p", 0, 1);
    number(body, "presence_penalty", -2, 2);
    number(body, "frequency_penalty", -2, 2);
    Integer n = integer(body, "n", 1, 128);
    Integer maxTokens = integer(body, "max_tokens", 1, Integer.MAX_VALUE);
    Integer maxCompletion = integer(body, "max_completion_tokens", 1, Integer.MAX_VALUE);
    integer(body, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
    boolean logprobs = optionalBoolean(body, "logprobs", false);
    if (integer(body, "top_logprobs", 0, 20) != null && !logprobs) {
      throw ApiException.invalid("top_logprobs", "'top_logprobs' requires 'logprobs' to be true.");
    }
    optionalBoolean(body, "parallel_tool_calls", false);
    validateStop(body);
    validateTools(body);
    validateToolChoice(body);
    validateResponseFormat(body);
    validateLogitBias(body);
    JsonNode user = present(body, "user");
    if (user != null && !user.isTextual()) {
      throw ApiException.invalidType("user", "a string");
    }
    return new ChatRequest(
        model,
        stream,
        includeUsage,
        maxCompletion != null ? maxCompletion : maxTokens,
        n == null ? 1 : n,
        MaxPrice.of(body),
        body,
        text,
        bodyBytes,
        ApiKind.CHAT);
  }

  private static void validateMessages(ObjectNode body) {
    JsonNode messages = present(body, "messages");
    if (messages == null) {
      throw ApiException.missing("messages");
    }
    if (!messages.isArray()) {
      throw ApiException.invalidType("messages", "an array");
    }
    if (messages.isEmpty()) {
      throw ApiException.invalid("messages", "'messages' must contain at least one message.");
    }
    if (messages.size() > MAX_MESSAGES) {
      throw ApiException.invalid(
          "messages", "'messages' has more than " + MAX_MESSAGES + " items.");
    }
    for (int i = 0; i < messages.size(); i++) {
      validateMessage(messages.get(i), "messages[" + i + "]");
    }
  }

  private static void validateMessage(JsonNode message, String path) {
    if (!message.isObject()) {
      throw ApiException.invalidType(path, "an object");
    }
    JsonNode role = present(message, "role");
    if (role == null) {
      throw ApiException.missing(path + ".role");
    }
    if (!role.isTextual() || !ROLES.contains(role.textValue())) {
      throw ApiException.invalid(
          path + ".role",
          "Invalid value for '"
              + path
              + ".role': expected one of 'system', 'developer', 'user',"
              + " 'assistant', 'tool', 'function'.");
    }
    JsonNode content = present(message, "content");
    boolean assistant = role.textValue().equals("assistant");
    if (content == null) {
      if (!assistant) {
        throw ApiException.missing(path + ".content");
      }
    } else if (!content.isTextual() && !content.isArray()) {
      throw ApiException.invalidType(path + ".content", "a string or an array of content parts");
    } else if (content.isArray()) {
      for (int i = 0; i < content.size(); i++) {
        JsonNode part = content.get(i);
        String partPath = path + ".content[" + i + "]";
        if (!part.isObject()) {
          throw ApiException.invalidType(partPath, "an object");
        }
        if (!part.path("type").isTextual()) {
          throw ApiException.missing(partPath + ".type");
        }
      }
    }
    if (role.textValue().equals("tool") && !message.path("tool_call_id").isTextual()) {
      throw ApiException.missing(path + ".tool_call_id");
    }
    JsonNode toolCalls = present(message, "tool_calls");
    if (toolCalls != null && !toolCalls.isArray()) {
      throw ApiException.invalidType(path + ".tool_calls", "an array");
    }
  }

  private static void validateStop(ObjectNode body) {
    JsonNode stop = present(body, "stop");
    if (stop == null || stop.isTextual()) {
      return;
    }
    if (!stop.isArray()) {
      throw ApiException.invalidType("stop", "a string or an array of strings");
    }
    if (stop.size() > 4) {
      throw ApiException.invalid("stop", "'stop' accepts at most 4 sequences.");
    }
    for (JsonNode s : stop) {
      if (!s.isTextual()) {
        throw ApiException.invalidType("stop", "a string or an array of strings");
      }
    }
  }

  private static void validateTools(ObjectNode body) {
    JsonNode tools = present(body, "tools");
    if (tools == null) {
      return;
    }
    if (!tools.isArray()) {
      throw ApiException.invalidType("tools", "an array");
    }
    if (tools.size() > MAX_TOOLS) {
      throw ApiException.invalid("tools", "'tools' accepts at most " + MAX_TOOLS + " tools.");
    }
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String path = "tools[" + i + "]";
      if (!tool.isObject()) {
        throw ApiException.invalidType(path, "an object");
      }
      if (!tool.path("type").isTextual()) {
        throw ApiException.missing(path + ".type");
      }
      if (tool.get("type").textValue().equals("function")) {
        JsonNode function = tool.get("function");
        if (function == null || !function.isObject()) {
          throw ApiException.missing(path + ".function");
        }
        JsonNode name = function.get("name");
        if (name == null
            || !name.isTextual()
            || !FUNCTION_NAME.matcher(name.textValue()).matches()) {
          throw ApiException.invalid(
              path + ".function.name",
              "'" + path + ".function.name' must be 1-64 characters of a-z, A-Z, 0-9, _ and -.");
        }
        JsonNode parameters = present(function, "parameters");
        if (parameters != null && !parameters.isObject()) {
          throw ApiException.invalidType(path + ".function.parameters", "an object");
        }
      }
    }
  }

  private static void validateToolChoice(ObjectNode body) {
    JsonNode choice = present(body, "tool_choice");
    if (choice == null) {
      return;
    }
    if (choice.isTextual()) {
      if (!TOOL_CHOICES.contains(choice.textValue())) {
        throw ApiException.invalid(
            "tool_choice", "'tool_choice' must be 'none', 'auto', 'required' or an object.");
      }
      return;
    }
    if (!choice.isObject() || !choice.path("type").isTextual()) {
      throw ApiException.invalidType("tool_choice", "a string or an object with a 'type'");
    }
    if (choice.get("type").textValue().equals("function")
        && !choice.path("function").path("name").isTextual()) {
      throw ApiException.missing("tool_choice.function.name");
    }
  }

  private static void validateResponseFormat(ObjectNode body) {
    JsonNode format = present(body, "response_format");
    if (format == null) {
      return;
    }
    if (!format.isObject()) {
      throw ApiException.invalidType("response_format", "an object");
    }
    JsonNode type = format.get("type");
    if (type == null || !type.isTextual() || !RESPONSE_FORMATS.contains(type.textValue())) {
      throw ApiException.invalid(
          "response_format.type",
          "'response_format.type' must be 'text', 'json_object' or 'json_schema'.");
    }
    if (type.textValue().equals("json_schema") && !format.path("json_schema").isObject()) {
      throw ApiException.missing("response_format.json_schema");
    }
  }

  private static void validateLogitBias(ObjectNode body) {
    JsonNode bias = present(body, "logit_bias");
    if (bias == null) {
      return;
    }
    if (!bias.isObject()) {
      throw ApiException.invalidType("logit_bias", "an object");
    }
    for (Map.Entry<String, JsonNode> e : bias.properties()) {
      if (!e.getValue().isNumber() || Math.abs(e.getValue().asDouble()) > 100) {
        throw ApiException.invalid(
            "logit_bias", "'logit_bias' values must be numbers between -100 and 100.");
      }
    }
  }

  /** The member, or null when absent or JSON null. */
  private static JsonNode present(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value;
  }

  private static String requiredString(ObjectNode body, String field) {
    JsonNode value = present(body, field);
    if (value == null) {
      throw ApiException.missing(field);
    }
    if (!value.isTextual()) {
      throw ApiException.invalidType(field, "a string");
    }
    if (value.textValue().isBlank()) {
      throw ApiException.invalid(field, "'" + field + "' must not be empty.");
    }
    return value.textValue();
  }

  private static boolean optionalBoolean(JsonNode node, String field, boolean fallback) {
    JsonNode value = present(node, field);
    if (value == null) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw ApiException.invalidType(field, "a boolean");
    }
    return value.booleanValue();
  }

  private static boolean optionalBoolean(JsonNode node, String field, String path) {
    JsonNode value = present(node, field);
    if (value == null) {
      return false;
    }
    if (!value.isBoolean()) {
      throw ApiException.invalidType(path, "a boolean");
    }
    return value.booleanValue();
  }

  private static void number(ObjectNode body, String field, double min, double max) {
    JsonNode value = present(body, field);
    if (value == null) {
      return;
    }
    if (!value.isNumber()) {
      throw ApiException.invalidType(field, "a number");
    }
    double v = value.asDouble();
    if (!(v >= min && v <= max)) {
      throw ApiException.invalid(
          field,
          "Invalid value for '"
              + field
              + "': "
              + value
              + " is not between "
              + fmt(min)
              + " and "
              + fmt(max)
              + ".");
    }
  }

  private static Integer integer(ObjectNode body, String field, long min, long max) {
    JsonNode value = present(body, field);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw ApiException.invalidType(field, "an integer");
    }
    long v = value.longValue();
    if (v < min || v > max) {
      String bound =
          max == Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max;
      throw ApiException.invalid(
          field, "Invalid value for '" + field + "': " + v + " must be " + bound + ".");
    }
    return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (int) v : null;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
