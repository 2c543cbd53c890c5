package dev.pinaivu.functions.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.chat.AnswerWriter;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.functions.runtime.InvocationResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * A chat answer streamed through API Gateway (ADR 26): the Lambda response in the
 * http-integration-response form, a JSON prelude with the status and headers, eight NUL bytes, then
 * the body as the client receives it, sent at each flush. The prelude goes out with the body's
 * first bytes, so a refusal before any output is a normal status with its OpenAI error body.
 */
final class IntegrationResponseSink extends AnswerWriter {
  /** The content type that tells API Gateway a prelude comes first. */
  static final String CONTENT_TYPE = "application/vnd.awslambda.http-integration-response";

  /** What ends the prelude. */
  static final int DELIMITER_LENGTH = 8;

  private final InvocationResponse response;
  private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private ApiException broken;

  IntegrationResponseSink(InvocationResponse response) {
    this.response = response;
  }

  @Override
  protected OutputStream start(int status, String contentType, long length) throws IOException {
    headers.put("Content-Type", contentType);
    ObjectNode prelude = Json.object().put("statusCode", status);
    ObjectNode head = prelude.putObject("headers");
    headers.forEach(head::put);
    OutputStream out = response.open(CONTENT_TYPE);
    out.write(Json.bytes(prelude));
    out.write(new byte[DELIMITER_LENGTH]);
    return out; // flushed with the body's first bytes
  }

  @Override
  protected void header(String name, String value) {
    headers.put(name, value);
  }

  @Override
  protected void removeHeader(String name) {
    headers.remove(name);
  }

  @Override
  public void fail(ApiException error) {
    super.fail(error);
    broken = error;
  }

  /** The error a stream under way ended with (its event sent, no {@code [DONE]}); null if none. */
  ApiException broken() {
    return broken;
  }
}
