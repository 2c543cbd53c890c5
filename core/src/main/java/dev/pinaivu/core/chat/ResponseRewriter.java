package dev.pinaivu.core.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.openai.Usage;
import java.math.BigDecimal;
import java.util.Set;

/**
 * Gives the node's objects the network's identity: {@code id} becomes {@code chatcmpl-<ulid>},
 * {@code model} the model the client asked for, {@code created} the gateway's clock, and {@code
 * request_id} is added. Everything else (choices, tool calls, logprobs) is left exactly as the node
 * sent it.
 */
final class ResponseRewriter {
  private static final Set<String> IDENTITY =
      Set.of("id", "object", "created", "model", "request_id", "node_id");
  private final RequestId requestId;
  private final String completionId;
  private final String model;
  private final long created;

  ResponseRewriter(RequestId requestId, String model, long createdEpochSeconds) {
    this.requestId = requestId;
    this.completionId = requestId.completionId();
    this.model = model;
    this.created = createdEpochSeconds;
  }

  /**
   * A whole completion, with {@code usage} as the network bills it in place of the node's, its cost
   * and the node that served it (ADR 29).
   */
  ObjectNode completion(ObjectNode data, Usage usage, long costMicros, NodeId node) {
    ObjectNode out = stamp(data, "chat.completion");
    out.set("usage", usage(usage, costMicros));
    out.put("node_id", node.value());
    return out;
  }

  /** A streamed chunk; usage is dropped here and sent once at the end, if asked for. */
  ObjectNode chunk(ObjectNode data) {
    data.remove("usage");
    return stamp(data, "chat.completion.chunk");
  }

  /** The final usage chunk of {@code stream_options.include_usage}: no choices, only usage. */
  ObjectNode usageChunk(Usage usage, long costMicros, NodeId node) {
    ObjectNode chunk = Json.object();
    chunk.putArray("choices");
    chunk.set("usage", usage(usage, costMicros));
    ObjectNode out = stamp(chunk, "chat.completion.chunk");
    out.put("node_id", node.value());
    return out;
  }

  /**
   * {@code usage} with {@code cost}: what the client pays for it in USD, fee included, as
   * OpenRouter reports it; exactly the receipt's {@code total_charged} µUSD written with six
   * decimals, never a rounded float.
   */
  private static ObjectNode usage(Usage usage, long costMicros) {
    ObjectNode out = usage.toJson();
    out.put("cost", BigDecimal.valueOf(costMicros, 6));
    return out;
  }

  /** Our identity fields first, in OpenAI's order, then the node's fields untouched. */
  private ObjectNode stamp(ObjectNode data, String object) {
    ObjectNode out = Json.object();
    out.put("id", completionId);
    out.put("object", object);
    out.put("created", created);
    out.put("model", model);
    data.properties()
        .forEach(e -> {
          if (!IDENTITY.contains(e.getKey())) {
            out.set(e.getKey(), e.getValue());
          }
        });
    out.put("request_id", requestId.value());
    return out;
  }
}
