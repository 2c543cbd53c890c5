package dev.pinaivu.core.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.receipt.Settlement;
import dev.pinaivu.core.receipt.SignedOffer;
import dev.pinaivu.core.receipt.SignedProof;
import java.util.List;

/**
 * Requests of the coordinator protocol: {@code {"id": n, "op": "...", ...members}}, the members of
 * each op at the top level (docs/coordinator-protocol.md). Reading throws {@link
 * IllegalArgumentException} naming the member at fault.
 */
public final class RequestCodec {
  private RequestCodec() {}

  public static ObjectNode authBegin(long id, byte[] clientNonce) {
    return request(id, Op.AUTH_BEGIN).put("client_nonce", B64.encode(clientNonce));
  }

  /** The client's nonce of an {@code auth_begin}. */
  public static byte[] authBegin(JsonNode message) {
    return Params.nonce(message, "client_nonce");
  }

  public static ObjectNode authFinish(long id, byte[] clientProof) {
    return request(id, Op.AUTH_FINISH).put("client_proof", B64.encode(clientProof));
  }

  /** The client's proof of an {@code auth_finish}. */
  public static byte[] authFinish(JsonNode message) {
    return Params.base64url(message, "client_proof");
  }

  public static ObjectNode identity(long id) {
    return request(id, Op.IDENTITY);
  }

  public static ObjectNode dispatch(long id, Coordinator.DispatchRequest r) {
    ObjectNode message = request(id, Op.DISPATCH);
    message.put("request_id", r.requestId());
    message.put("request_sha256", r.requestSha256());
    message.put("model", r.model());
    message.put("node_public_key", B64.encode(r.nodePublicKey()));
    message.set("node_offer", offer(r.offer()));
    message.put("max_prompt_tokens", r.maxPromptTokens());
    message.put("max_completion_tokens", r.maxCompletionTokens());
    return message;
  }

  public static Coordinator.DispatchRequest dispatch(JsonNode message) {
    return new Coordinator.DispatchRequest(
        Params.text(message, "request_id"),
        Params.text(message, "request_sha256"),
        Params.text(message, "model"),
        Params.base64url(message, "node_public_key"),
        offer(Params.object(message, "node_offer")),
        Params.integer(message, "max_prompt_tokens"),
        Params.integer(message, "max_completion_tokens"));
  }

  public static ObjectNode settle(long id, Coordinator.SettleRequest r) {
    SettleRequests.requireComplete(r);
    ObjectNode message = request(id, Op.SETTLE);
    message.put("dispatch_token", r.dispatchToken());
    message.set("node_offer", offer(r.offer()));
    message.set("proof", Json.MAPPER.valueToTree(r.proof()));
    message.put("node_public_key", B64.encode(r.nodePublicKey()));
    Settlement.Delivery d = r.delivery();
    ObjectNode delivery = message.putObject("delivery");
    delivery.put("dispatched_at_ms", d.dispatchedAtMs());
    delivery.put("first_token_at_ms", d.firstTokenAtMs());
    delivery.put("ended_at_ms", d.endedAtMs());
    delivery.put("received_response_sha256", d.receivedResponseSha256());
    delivery.put("client_response_sha256", d.clientResponseSha256());
    delivery.put("delivered_completion_limit", d.deliveredCompletionLimit());
    delivery.set("shown_usage", d.shownUsage() == null ? null : d.shownUsage().toJson());
    delivery.put("reason", d.reason());
    message.put("account_ref", r.accountRef());
    return message;
  }

  public static Coordinator.SettleRequest settle(JsonNode message) {
    JsonNode proof = Params.object(message, "proof");
    JsonNode d = Params.object(message, "delivery");
    return new Coordinator.SettleRequest(
        Params.text(message, "dispatch_token"),
        offer(Params.object(message, "node_offer")),
        new SignedProof(
            (ObjectNode) Params.object(proof, "proof"), Params.text(proof, "signature")),
        Params.base64url(message, "node_public_key"),
        new Settlement.Delivery(
            Params.integer(d, "dispatched_at_ms"),
            Params.optionalInteger(d, "first_token_at_ms"),
            Params.integer(d, "ended_at_ms"),
            Params.optionalText(d, "received_response_sha256"),
            Params.text(d, "client_response_sha256"),
            Params.integer(d, "delivered_completion_limit"),
            Params.optionalUsage(d, "shown_usage"),
            Params.optionalText(d, "reason")),
        Params.text(message, "account_ref"));
  }

  private static ObjectNode offer(SignedOffer offer) {
    ObjectNode node = Json.object();
    node.set("offer", offer.offer());
    node.put("signature", offer.signature());
    return node;
  }

  private static SignedOffer offer(JsonNode node) {
    return new SignedOffer(
        (ObjectNode) Params.object(node, "offer"), Params.text(node, "signature"));
  }

  public static ObjectNode openLog(long id, Coordinator.LogState state) {
    ObjectNode message = request(id, Op.LOG_OPEN);
    message.put("checkpoint", state.checkpoint());
    message.set("frontier", Params.hashArray(state.frontier()));
    message.put("key_entry_index", state.keyEntryIndex());
    byte[] keyEntry = state.keyEntry();
    message.put("key_entry", keyEntry == null ? null : B64.encode(keyEntry));
    message.set("key_entry_path", Params.hashArray(state.keyEntryPath()));
    return message;
  }

  public static Coordinator.LogState openLog(JsonNode message) {
    if (Params.absent(message, "checkpoint")) {
      return Coordinator.LogState.EMPTY;
    }
    return new Coordinator.LogState(
        Params.text(message, "checkpoint"),
        Params.hashes(message, "frontier"),
        Params.integer(message, "key_entry_index"),
        Params.base64url(message, "key_entry"),
        Params.hashes(message, "key_entry_path"));
  }

  public static ObjectNode logCheckpoint(long id, long heldSize, long from) {
    return request(id, Op.LOG_CHECKPOINT).put("held", heldSize).put("from", from);
  }

  /** {@code held} and {@code from}; {@code from} defaults to {@code held}. */
  public static long[] logCheckpoint(JsonNode message) {
    long held = Params.integer(message, "held");
    Long from = Params.optionalInteger(message, "from");
    return new long[] {held, from == null ? held : from};
  }

  public static ObjectNode relog(long id, List<byte[]> entries) {
    ObjectNode message = request(id, Op.LOG_RELOG);
    ArrayNode array = message.putArray("entries");
    entries.forEach(entry -> array.add(B64.encode(entry)));
    return message;
  }

  public static List<byte[]> relog(JsonNode message) {
    return Params.entries(message, "entries");
  }

  private static ObjectNode request(long id, Op op) {
    ObjectNode message = Json.object();
    message.put("id", id);
    message.put("op", op.wire());
    return message;
  }
}
