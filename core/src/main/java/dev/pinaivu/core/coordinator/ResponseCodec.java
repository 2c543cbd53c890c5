package dev.pinaivu.core.coordinator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.Verification;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Responses of the coordinator protocol: {@code {"id": n, "ok": true, ...members}} or {@code {"id":
 * n, "ok": false, "code": "...", "error": "..."}} (docs/coordinator-protocol.md). Reading throws
 * {@link IllegalArgumentException} when a response is malformed.
 */
public final class ResponseCodec {
  private ResponseCodec() {}

  public static ObjectNode error(JsonNode id, WireError code, String message) {
    ObjectNode response = head(id, false);
    response.put("code", code.wire());
    response.put("error", message);
    return response;
  }

  /** The coordinator's answer to {@code auth_begin}: its nonce and its proof. */
  public record AuthChallenge(byte[] serverNonce, byte[] serverProof) {}

  public static ObjectNode authBegun(JsonNode id, AuthChallenge challenge) {
    return head(id, true)
        .put("server_nonce", B64.encode(challenge.serverNonce()))
        .put("server_proof", B64.encode(challenge.serverProof()));
  }

  public static AuthChallenge authBegun(JsonNode response) {
    return new AuthChallenge(
        Params.nonce(response, "server_nonce"), Params.base64url(response, "server_proof"));
  }

  public static ObjectNode authFinished(JsonNode id) {
    return head(id, true);
  }

  public static ObjectNode identity(JsonNode id, CoordinatorKey key) {
    ObjectNode response = head(id, true);
    ObjectNode k = response.putObject("key");
    k.put("key_id", key.keyId());
    k.put("public_key", B64.encode(key.publicKey()));
    k.put("kind", key.kind().name().toLowerCase(Locale.ROOT));
    byte[] attestation = key.attestation();
    k.put("attestation", attestation == null ? null : B64.encode(attestation));
    return response;
  }

  public static CoordinatorKey identity(JsonNode response) {
    JsonNode k = Params.object(response, "key");
    String kind = Params.text(k, "kind");
    String attestation = Params.optionalText(k, "attestation");
    return new CoordinatorKey(
        Params.text(k, "key_id"),
        Params.base64url(k, "public_key"),
        CoordinatorKey.Kind.valueOf(kind.toUpperCase(Locale.ROOT)),
        attestation == null ? null : B64.decode(attestation));
  }

  public static ObjectNode dispatched(JsonNode id, SignedDispatchToken token) {
    return head(id, true).put("dispatch_token", token.wire());
  }

  public static String dispatchToken(JsonNode response) {
    return Params.text(response, "dispatch_token");
  }

  public static ObjectNode settled(JsonNode id, Verification<SignedReceipt> result) {
    ObjectNode response = head(id, true).put("valid", result.valid());
    if (result.valid()) {
      response.set("receipt", Json.MAPPER.valueToTree(result.value()));
    } else {
      response.put("reason", result.reason());
    }
    return response;
  }

  public static Verification<SignedReceipt> settled(JsonNode response) {
    JsonNode valid = response.get("valid");
    if (valid == null || !valid.isBoolean()) {
      throw new IllegalArgumentException("valid must be true or false");
    }
    if (!valid.booleanValue()) {
      return Verification.invalid(Params.text(response, "reason"));
    }
    try {
      return Verification.valid(
          Json.MAPPER.treeToValue(Params.object(response, "receipt"), SignedReceipt.class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("receipt is malformed: " + e.getOriginalMessage(), e);
    }
  }

  public static ObjectNode logOpened(JsonNode id, long keyEntryIndex) {
    return head(id, true).put("key_entry_index", keyEntryIndex);
  }

  public static long logOpened(JsonNode response) {
    return Params.integer(response, "key_entry_index");
  }

  public static ObjectNode logHead(JsonNode id, Coordinator.LogHead head) {
    ObjectNode response = head(id, true);
    response.put("checkpoint", head.checkpoint());
    response.put("first", head.first());
    ArrayNode entries = response.putArray("entries");
    head.entries().forEach(entry -> entries.add(B64.encode(entry)));
    return response;
  }

  public static Coordinator.LogHead logHead(JsonNode response) {
    return new Coordinator.LogHead(
        Params.text(response, "checkpoint"),
        Params.integer(response, "first"),
        Params.entries(response, "entries"));
  }

  public static ObjectNode relogged(JsonNode id, List<Long> indices) {
    ObjectNode response = head(id, true);
    ArrayNode array = response.putArray("indices");
    indices.forEach(array::add);
    return response;
  }

  public static List<Long> relogged(JsonNode response) {
    List<Long> indices = new ArrayList<>();
    for (JsonNode index : Params.array(response, "indices")) {
      if (!index.isIntegralNumber() || !index.canConvertToLong()) {
        throw new IllegalArgumentException("indices holds integers");
      }
      indices.add(index.longValue());
    }
    return indices;
  }

  private static ObjectNode head(JsonNode id, boolean ok) {
    ObjectNode response = Json.object();
    response.set("id", id);
    response.put("ok", ok);
    return response;
  }
}
