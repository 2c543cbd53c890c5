package dev.pinaivu.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.gateway.observability.RequestNotes;
import io.javalin.http.Context;

/**
 * Writes a JSON response object with the request's {@code request_id} at its top level, as the
 * public docs promise for every response object (the same id as the {@code x-request-id} header).
 * Signed documents (receipts, log checkpoints and proofs) are not written through here: they are
 * served exactly as signed, and carry their own request id where they name one.
 */
final class JsonBody {
  private JsonBody() {}

  static void write(Context ctx, int status, Object body) {
    JsonNode tree = body instanceof JsonNode node ? node : Json.MAPPER.valueToTree(body);
    if (tree instanceof ObjectNode object && !object.has("request_id")) {
      String id = RequestNotes.of(ctx).requestId();
      if (id != null) {
        object.put("request_id", id);
      }
    }
    ctx.status(status);
    ctx.contentType("application/json");
    ctx.result(Json.bytes(tree));
  }
}
