package dev.pinaivu.agent.backend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.openai.Usage;
import java.util.ArrayList;
import java.util.List;

/** Records what a backend reports for one job. */
final class RecordingOutput implements JobOutput {
  final List<ObjectNode> chunks = new ArrayList<>();
  ObjectNode result;
  Usage usage;
  Boolean estimated;
  String errorCode;
  String errorMessage;
  Boolean retryable;
  Integer status;
  int terminals;

  @Override
  public void chunk(ObjectNode chunk) {
    chunks.add(chunk);
  }

  @Override
  public void result(ObjectNode completion) {
    result = completion;
    terminals++;
  }

  @Override
  public void done(Usage u, boolean est) {
    usage = u;
    estimated = est;
    terminals++;
  }

  @Override
  public void error(String code, String message, boolean retry, Integer st) {
    errorCode = code;
    errorMessage = message;
    retryable = retry;
    status = st;
    terminals++;
  }

  String text() {
    StringBuilder out = new StringBuilder();
    chunks.forEach(c ->
        c.path("choices").forEach(ch -> out.append(ch.path("delta").path("content").asText(""))));
    return out.toString();
  }

  String arguments() {
    StringBuilder out = new StringBuilder();
    chunks.forEach(c ->
        c.path("choices")
            .forEach(ch ->
                ch.path("delta")
                    .path("tool_calls")
                    .forEach(t -> out.append(t.path("function").path("arguments").asText("")))));
    return out.toString();
  }
}
