package dev.pinaivu.core.coordinator.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorUnavailableException;
import dev.pinaivu.core.coordinator.RequestCodec;
import dev.pinaivu.core.coordinator.ResponseCodec;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.Verification;
import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * The coordinator's ops as request frames (docs/coordinator-protocol.md §3) and their answers read
 * back; a subclass says where each request goes: {@link TcpCoordinator}'s connection of the moment
 * (reconnecting), or one new connection while it is being started.
 */
abstract class CoordinatorCalls implements Coordinator {
  /** An accepted response, and the key of the coordinator at the end that sent it. */
  record Answer(JsonNode response, CoordinatorKey from) {}

  /**
   * Sends the request {@code request} builds for a fresh id.
   *
   * @throws CoordinatorUnavailableException when it got no answer, or a refusal other than a
   *     malformed request
   */
  abstract Answer exchange(LongFunction<ObjectNode> request) throws CoordinatorUnavailableException;

  /**
   * A token, read in full and required to name the key of the coordinator that answered; its
   * signature is the node's and the coordinator's to check, not checked here again (ADR 30).
   */
  @Override
  public SignedDispatchToken dispatch(DispatchRequest request)
      throws CoordinatorUnavailableException {
    Objects.requireNonNull(request, "request");
    Answer answer = exchange(id -> RequestCodec.dispatch(id, request));
    Verification<SignedDispatchToken> token;
    try {
      token =
          SignedDispatchToken.issuedBy(
              ResponseCodec.dispatchToken(answer.response()), answer.from());
    } catch (IllegalArgumentException e) {
      throw malformed(e);
    }
    if (!token.valid()) {
      throw new CoordinatorUnavailableException(
          "the coordinator returned a token that is not its own: " + token.reason(), null);
    }
    return token.value();
  }

  @Override
  public Verification<SignedReceipt> settle(SettleRequest request)
      throws CoordinatorUnavailableException {
    Answer answer = exchange(id -> RequestCodec.settle(id, request));
    try {
      return ResponseCodec.settled(answer.response());
    } catch (IllegalArgumentException e) {
      throw malformed(e);
    }
  }

  @Override
  public long openLog(LogState state) throws CoordinatorUnavailableException {
    Objects.requireNonNull(state, "state");
    Answer answer = exchange(id -> RequestCodec.openLog(id, state));
    try {
      return ResponseCodec.logOpened(answer.response());
    } catch (IllegalArgumentException e) {
      throw malformed(e);
    }
  }

  @Override
  public LogHead logCheckpoint(long heldSize, long from) throws CoordinatorUnavailableException {
    Answer answer = exchange(id -> RequestCodec.logCheckpoint(id, heldSize, from));
    try {
      return ResponseCodec.logHead(answer.response());
    } catch (IllegalArgumentException e) {
      throw malformed(e);
    }
  }

  @Override
  public List<Long> relog(List<byte[]> entries) throws CoordinatorUnavailableException {
    Answer answer = exchange(id -> RequestCodec.relog(id, entries));
    try {
      return ResponseCodec.relogged(answer.response());
    } catch (IllegalArgumentException e) {
      throw malformed(e);
    }
  }

  private static CoordinatorUnavailableException malformed(IllegalArgumentException e) {
    return new CoordinatorUnavailableException(
        "the coordinator's response is malformed: " + e.getMessage(), e);
  }
}
