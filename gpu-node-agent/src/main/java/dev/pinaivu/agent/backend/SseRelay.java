package dev.pinaivu.agent.backend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.openai.Usage;
import java.io.BufferedReader;
import java.io.IOException;

/**
 * Reads an inference server's event stream and turns it into chunk frames and one done frame.
 * Usage-only chunks ({@code choices: []}) are not relayed; their usage goes into the done frame.
 * Servers that report no usage get it counted here: one token per output chunk, marked estimated.
 */
final class SseRelay {
  private final JobOutput out;
  private final Cancellation cancel;
  private Usage usage;
  private long outputChunks;

  SseRelay(JobOutput out, Cancellation cancel) {
    this.out = out;
    this.cancel = cancel;
  }

  void relay(BufferedReader reader, long promptEstimate) throws IOException {
    String line;
    while ((line = reader.readLine()) != null) {
      if (!line.startsWith("data:")) {
        continue; // comments, event names, blank separators
      }
      String data = line.substring(5).strip();
      if (data.equals("[DONE]")) {
        finish(promptEstimate);
        return;
      }
      if (!onEvent(data)) {
        return;
      }
    }
    if (!cancel.isCancelled()) {
      out.error(
          "upstream_failed", "the inference server ended the stream without [DONE]", true, null);
    }
  }

  /** False when the stream must stop (an error event). */
  private boolean onEvent(String data) throws IOException {
    JsonNode event;
    try {
      event = Json.parse(data);
    } catch (JsonProcessingException e) {
      out.error("upstream_bad_response", "the inference server sent an invalid event", true, null);
      return false;
    }
    if (!(event instanceof ObjectNode chunk)) {
      return true;
    }
    if (chunk.has("error")) {
      JsonNode message = chunk.path("error").path("message");
      out.error("upstream_error", message.asText("the inference server failed"), true, null);
      return false;
    }
    Usage reported = Usage.from(chunk.get("usage"));
    if (reported != null) {
      usage = reported;
    }
    if (chunk.path("choices").isEmpty()) {
      return true;
    }
    outputChunks++;
    out.chunk(chunk);
    return true;
  }

  private void finish(long promptEstimate) throws IOException {
    if (usage != null) {
      out.done(usage, false);
    } else {
      out.done(Usage.of(promptEstimate, outputChunks), true);
    }
  }
}
