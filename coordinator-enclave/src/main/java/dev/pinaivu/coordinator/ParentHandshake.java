package dev.pinaivu.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.coordinator.CoordinatorEndpoint;
import dev.pinaivu.core.coordinator.Op;
import dev.pinaivu.core.coordinator.ParentAuth;
import dev.pinaivu.core.coordinator.ParentSecret;
import dev.pinaivu.core.coordinator.RequestCodec;
import dev.pinaivu.core.coordinator.ResponseCodec;
import dev.pinaivu.core.coordinator.WireError;
import dev.pinaivu.core.json.Json;
import java.util.Objects;
import java.util.Optional;

/**
 * One connection's proof that its client is the parent (docs/coordinator-protocol.md §3.0): {@code
 * auth_begin} with the client's nonce, answered with a fresh server nonce and the server's proof;
 * then {@code auth_finish} with the client's proof, checked in constant time. Until that succeeds
 * nothing reaches the coordinator: any other request, a wrong proof, a malformed handshake or a
 * second {@code auth_begin} is answered {@code unauthenticated} and the connection closes. Used by
 * the connection's reading thread only, in frame order.
 */
final class ParentHandshake {
  private final ParentSecret secret;
  private byte[] clientNonce;
  private byte[] serverNonce;
  private boolean authenticated;

  ParentHandshake(ParentSecret secret) {
    this.secret = Objects.requireNonNull(secret, "secret");
  }

  boolean authenticated() {
    return authenticated;
  }

  /**
   * The answer to {@code request} when the handshake owns it (an {@code auth_*} op, or any op
   * before the handshake ended); empty for a request of an authenticated connection, which the
   * coordinator answers.
   */
  Optional<CoordinatorEndpoint.Reply> screen(JsonNode request) {
    JsonNode id = request.get("id");
    Optional<Op> op = Op.of(request.path("op").textValue());
    boolean handshake = op.isPresent() && (op.get() == Op.AUTH_BEGIN || op.get() == Op.AUTH_FINISH);
    if (authenticated) {
      return handshake
          ? Optional.of(refuse(id, "this connection is authenticated already"))
          : Optional.empty();
    }
    if (!handshake) {
      return Optional.of(
          refuse(id, "authenticate first: auth_begin, then auth_finish (the parent secret)"));
    }
    return Optional.of(op.get() == Op.AUTH_BEGIN ? begin(id, request) : finish(id, request));
  }

  private CoordinatorEndpoint.Reply begin(JsonNode id, JsonNode request) {
    if (serverNonce != null) {
      return refuse(id, "auth_begin twice");
    }
    try {
      clientNonce = RequestCodec.authBegin(request);
    } catch (IllegalArgumentException e) {
      return refuse(id, "auth_begin: " + e.getMessage());
    }
    serverNonce = ParentAuth.nonce(); // fresh per connection: a recorded client proof is useless
    byte[] proof = ParentAuth.serverProof(secret, clientNonce, serverNonce);
    return reply(
        ResponseCodec.authBegun(id, new ResponseCodec.AuthChallenge(serverNonce, proof)), false);
  }

  private CoordinatorEndpoint.Reply finish(JsonNode id, JsonNode request) {
    if (serverNonce == null) {
      return refuse(id, "auth_finish before auth_begin");
    }
    byte[] proof;
    try {
      proof = RequestCodec.authFinish(request);
    } catch (IllegalArgumentException e) {
      return refuse(id, "auth_finish: " + e.getMessage());
    }
    if (!ParentAuth.clientProves(secret, serverNonce, clientNonce, proof)) {
      return refuse(id, "auth_finish: the proof does not verify under the parent secret");
    }
    authenticated = true;
    return reply(ResponseCodec.authFinished(id), false);
  }

  private static CoordinatorEndpoint.Reply refuse(JsonNode id, String reason) {
    return reply(ResponseCodec.error(id, WireError.UNAUTHENTICATED, reason), true);
  }

  private static CoordinatorEndpoint.Reply reply(JsonNode body, boolean close) {
    return new CoordinatorEndpoint.Reply(Json.bytes(body), close);
  }

  @Override
  public String toString() {
    return "ParentHandshake[" + (authenticated ? "authenticated" : "pending") + "]";
  }
}
