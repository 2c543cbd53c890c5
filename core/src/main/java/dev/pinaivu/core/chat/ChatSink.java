package dev.pinaivu.core.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.auth.Caller;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.limits.RateLimitStatus;
import dev.pinaivu.core.node.NodeId;
import java.util.List;

/**
 * Port: where a chat completion's answer goes (an HTTP response locally, a Lambda response stream
 * on AWS). Errors raised before anything was written are thrown by the use case instead, so the
 * entry point can answer with a proper status.
 */
public interface ChatSink {
  /** The request id is known; called once, before anything else. */
  void accepted(RequestId requestId);

  /**
   * The caller's key is checked; for the access log and metrics, which name the key's id (never the
   * key). Entry points that record nothing ignore this and the two below.
   */
  default void identified(Caller caller) {}

  /** The request parsed: the model it asks for and whether it streams. */
  default void parsed(String model, boolean stream) {}

  /** Attempt number {@code attempt} (from 1) is about to be dispatched to {@code node}. */
  default void attempting(NodeId node, int attempt) {}

  /** The request was admitted; {@code status} is the key's rate-limit standing (null: none). */
  default void admitted(RateLimitStatus status) {}

  /**
   * Asks to be told when the client goes away (closes or resets its connection) before the answer
   * is written, so the job can be cancelled at once rather than at the next write. The use case
   * calls it once, before dispatching; {@code callback} runs at most once, on any thread, and at
   * once if the client is already gone. Entry points that cannot tell do nothing.
   */
  default void onClientGone(Runnable callback) {}

  /**
   * The client has heard nothing for a while and its answer is still being made: send it something
   * that is no output, to keep the connection and proxies on the way open (ADR 23). For a stream,
   * an SSE comment; for a non-streamed answer, whitespace before the JSON body (from then on the
   * response is a 200, and a failure is told in its body). Entry points that cannot do nothing.
   */
  default void keepAlive(boolean stream) throws ClientGoneException {}

  /**
   * The whole non-streamed answer. {@code lastWrite} runs once its bytes are known and before any
   * of them is written, with the response's SHA-256 as it will be once they are out.
   */
  void complete(ObjectNode completion, LastWrite lastWrite) throws ClientGoneException;

  /** One streamed chunk; the first call starts the event stream. */
  void chunk(ObjectNode chunk) throws ClientGoneException;

  /**
   * The stream finished successfully ({@code data: [DONE]}); {@code lastWrite} runs before the
   * event is written, as for {@link #complete}.
   */
  void end(LastWrite lastWrite) throws ClientGoneException;

  /**
   * One named event ({@code event:} then {@code data:}), the form of the Responses API's stream;
   * the first call starts the event stream. {@link #chunk} and {@link #end} are the chat form.
   */
  void event(Event event) throws ClientGoneException;

  /**
   * The last events of a stream of named events, written at once and with no {@code [DONE]} after
   * them (the Responses API ends so); {@code lastWrite} runs before any of them is written, as for
   * {@link #end}.
   */
  void endWith(List<Event> events, LastWrite lastWrite) throws ClientGoneException;

  /** A named server-sent event: its {@code event:} name and its JSON {@code data}. */
  record Event(String name, ObjectNode data) {}

  /** The stream broke after it started: an error event, and no {@code [DONE]}. */
  void fail(ApiException error);

  /**
   * Hex SHA-256 of every byte written to the client so far: the response body, or the event stream
   * from its first byte (docs/receipts.md, {@code client_response_sha256}).
   */
  String sentSha256();

  /**
   * What must happen before the last bytes of a whole answer reach the client: the use case keeps
   * the answer's settlement durably here, so that no client holds a complete answer whose bill a
   * crash of this process could still lose (ADR 7).
   */
  @FunctionalInterface
  interface LastWrite {
    /** Nothing to do first. */
    LastWrite NONE = responseSha256 -> {};

    /**
     * @param responseSha256 the hex SHA-256 of every byte the client will have received once the
     *     last bytes are out ({@link #sentSha256()} after them)
     */
    void before(String responseSha256);
  }
}
