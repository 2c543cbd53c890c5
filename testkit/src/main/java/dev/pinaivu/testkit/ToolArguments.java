package dev.pinaivu.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Builds deterministic tool call arguments: one value per declared parameter (strings echo the
 * user's text), or {@code {"text": ...}} when the tool declares none, padded on request so tests
 * can stream large tool calls.
 */
final class ToolArguments {

  private static final String FILLER = "lorem ipsum dolor sit amet consectetur adipiscing elit ";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ToolArguments() {}

  static String build(JsonNode tool, String userText, int minBytes) {
    ObjectNode arguments = NODES.objectNode();
    JsonNode properties = tool.path("function").path("parameters").path("properties");
    if (properties.isObject() && !properties.isEmpty()) {
      for (Map.Entry<String, JsonNode> property : properties.properties()) {
        arguments.set(property.getKey(), sample(property.getValue(), userText));
      }
    } else {
      arguments.put("text", userText);
    }
    String json = Json.string(arguments);
    int missing = minBytes - json.getBytes(StandardCharsets.UTF_8).length;
    if (missing > 0) {
      arguments.put("padding", filler(missing - ",\"padding\":\"\"".length()));
      json = Json.string(arguments);
    }
    return json;
  }

  /** A value that fits the property's schema well enough for a client to parse it. */
  private static JsonNode sample(JsonNode schema, String userText) {
    if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
      return schema.path("enum").get(0);
    }
    return switch (typeOf(schema)) {
      case "integer", "number" -> NODES.numberNode(Tokenizer.count(userText));
      case "boolean" -> NODES.booleanNode(true);
      case "array" -> NODES.arrayNode();
      case "object" -> NODES.objectNode();
      case "null" -> NODES.nullNode();
      default -> NODES.textNode(userText);
    };
  }

  /** The schema's type; for a list of types such as {@code ["string","null"]}, the first. */
  private static String typeOf(JsonNode schema) {
    JsonNode type = schema.path("type");
    return type.isArray() ? type.path(0).asText() : type.asText();
  }

  private static String filler(int length) {
    StringBuilder text = new StringBuilder(Math.max(length, 0) + FILLER.length());
    while (text.length() < length) {
      text.append(FILLER);
    }
    text.setLength(Math.max(length, 0));
    return text.toString();
  }
}
