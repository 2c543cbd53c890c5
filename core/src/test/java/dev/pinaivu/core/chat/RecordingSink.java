package dev.pinaivu.core.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.limits.RateLimitStatus;
import java.util.ArrayList;
import java.util.List;

/** A {@link ChatSink} that records what the client would have received. */
final class RecordingSink implements ChatSink {
  RequestId requestId;
  boolean admitted;
  RateLimitStatus limits;
  ObjectNode completion;
  final List<ObjectNode> chunks = new ArrayList<>();
  boolean ended;
  ApiException failure;
  int goneAfterChunks = Integer.MAX_VALUE;

  /** Run just before the last bytes of a whole answer reach the client, after its LastWrite. */
  Runnable atLastWrite = () -> {};

  /** Run when the first output reaches the client, before it is recorded. */
  Runnable onFirstOutput = () -> {};

  /** What the use case asked to be told when the client goes away; see {@link #leave()}. */
  volatile Runnable onGone;

  /** When true, the client is gone before the use case asks: its callback runs at once. */
  boolean goneAlready;

  @Override
  public void onClientGone(Runnable callback) {
    onGone = callback;
    if (goneAlready) {
      callback.run();
    }
  }

  /** The client goes away now, as the HTTP adapter reports it: on its own thread. */
  void leave() {
    onGone.run();
  }

  @Override
  public void accepted(RequestId id) {
    requestId = id;
  }

  @Override
  public void admitted(RateLimitStatus status) {
    admitted = true;
    limits = status;
  }

  @Override
  public void complete(ObjectNode c, LastWrite lastWrite) {
    lastWrite.before(Sha256.hex(Json.bytes(c)));
    atLastWrite.run();
    onFirstOutput.run();
    completion = c;
  }

  @Override
  public void chunk(ObjectNode chunk) throws ClientGoneException {
    if (chunks.size() >= goneAfterChunks) {
      throw new ClientGoneException(new java.io.IOException("broken pipe"));
    }
    if (chunks.isEmpty()) {
      onFirstOutput.run();
    }
    chunks.add(chunk);
  }

  @Override
  public void end(LastWrite lastWrite) {
    lastWrite.before(sentSha256());
    atLastWrite.run();
    ended = true;
  }

  /** Named events (the Responses API's stream), in order, the last ones included. */
  final List<Event> events = new ArrayList<>();

  @Override
  public void event(Event event) {
    if (events.isEmpty()) {
      onFirstOutput.run();
    }
    events.add(event);
  }

  @Override
  public void endWith(List<Event> last, LastWrite lastWrite) {
    lastWrite.before(sentSha256());
    atLastWrite.run();
    events.addAll(last);
    ended = true;
  }

  @Override
  public void fail(ApiException error) {
    failure = error;
  }

  @Override
  public String sentSha256() {
    return Sha256.hex(Json.bytes(chunks.isEmpty() ? completion : chunks));
  }

  String text() {
    StringBuilder out = new StringBuilder();
    chunks.forEach(c ->
        c.path("choices").forEach(ch -> out.append(ch.path("delta").path("content").asText(""))));
    return out.toString();
  }
}
