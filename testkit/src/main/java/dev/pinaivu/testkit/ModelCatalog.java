package dev.pinaivu.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The served models, their {@code /v1/models} bodies serialized once, and vLLM's model checks. */
final class ModelCatalog {

  private final Map<String, FakeModel> models = new LinkedHashMap<>();
  private final Map<String, byte[]> entries = new LinkedHashMap<>();
  private final byte[] list;

  ModelCatalog(List<FakeModel> served) {
    long created = Instant.now().getEpochSecond();
    ObjectNode root = Json.MAPPER.createObjectNode().put("object", "list");
    ArrayNode data = root.putArray("data");
    for (FakeModel model : served) {
      ObjectNode entry =
          data.addObject()
              .put("id", model.id())
              .put("object", "model")
              .put("created", created)
              .put("owned_by", "fake");
      if (model.maxModelLen() != null) {
        entry.put("max_model_len", model.maxModelLen());
      }
      models.put(model.id(), model);
      entries.put(model.id(), Json.bytes(entry));
    }
    list = Json.bytes(root);
  }

  byte[] list() {
    return list;
  }

  /** The body of {@code GET /v1/models/{id}}. */
  byte[] entry(String id) {
    byte[] entry = entries.get(id);
    if (entry == null) {
      throw modelNotFound(id);
    }
    return entry;
  }

  /** Rejects what vLLM rejects: an unknown model, or a prompt plus completion over the context. */
  void check(ChatRequest request) {
    FakeModel model = models.get(request.model());
    if (model == null) {
      throw modelNotFound(request.model());
    }
    Integer context = model.maxModelLen();
    int completion = request.maxTokens() == null ? 0 : request.maxTokens();
    if (context != null && request.promptTokens() + completion > context) {
      throw new OpenAiError(
          400,
          "This model's maximum context length is %d tokens. However, you requested %d tokens (%d in the messages, %d in the completion). Please reduce the length of the messages or completion."
              .formatted(
                  context, request.promptTokens() + completion, request.promptTokens(), completion),
          "invalid_request_error",
          "messages",
          "context_length_exceeded");
    }
  }

  private static OpenAiError modelNotFound(String id) {
    return new OpenAiError(
        404,
        "The model `" + id + "` does not exist.",
        "invalid_request_error",
        "model",
        "model_not_found");
  }
}
