package dev.pinaivu.functions.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.json.Json;

/**
 * The few messages between {@code $default} and a relay connection that are not a node's frames
 * (which are relayed verbatim, one per line): the relay's {@code relay_hello}, answered with {@code
 * relay_welcome} and the connection's id (a connection does not otherwise learn it), and {@code
 * node_lost} when the node of a job disconnects.
 */
public final class RelayFrames {
  public static final String HELLO = "relay_hello";
  public static final String WELCOME = "relay_welcome";
  public static final String NODE_LOST = "node_lost";

  private RelayFrames() {}

  public static String hello() {
    return Json.text(Json.object().put("type", HELLO));
  }

  static String welcome(String connectionId) {
    return Json.text(Json.object().put("type", WELCOME).put("connection_id", connectionId));
  }

  static String nodeLost(String jobId, String reason) {
    return Json.text(
        Json.object().put("type", NODE_LOST).put("job_id", jobId).put("reason", reason));
  }

  /** The {@code type} of a relay message, or null when the text is not a JSON object. */
  public static String type(JsonNode message) {
    return message.isObject() ? message.path("type").asText(null) : null;
  }
}
