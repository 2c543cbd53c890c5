package dev.pinaivu.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.auth.Caller;
import dev.pinaivu.core.chat.ChatSink;
import dev.pinaivu.core.chat.ClientGoneException;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.limits.RateLimitHeaders;
import dev.pinaivu.core.limits.RateLimitStatus;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.gateway.observability.RequestNotes;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes a chat completion to the HTTP response: one JSON body, or Server-Sent Events flushed one
 * by one. A failed write means the client went away; so does a close that {@link ClientDisconnect}
 * notices while nothing is being written. Every byte written and flushed goes into a SHA-256, the
 * receipt's {@code client_response_sha256}: the client can hash what it received and compare.
 */
final class HttpChatSink implements ChatSink {
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END_EVENT = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] COMMENT = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] WHITESPACE = "\n".getBytes(StandardCharsets.US_ASCII);

  private final Context ctx;
  private final MessageDigest sent = Sha256.newDigest();
  private final ClientDisconnect disconnect;
  private final RequestNotes notes;
  private RequestId requestId;
  private OutputStream stream;
  private OutputStream body; // a non-streamed answer kept alive with whitespace: its 200 is sent

  /** Names the node that served the answer, when the headers go out after its first output. */
  static final String NODE_HEADER = "x-pinaivu-node";

  HttpChatSink(Context ctx, ClientDisconnect disconnect) {
    this.ctx = ctx;
    this.disconnect = disconnect;
    this.notes = RequestNotes.of(ctx);
  }

  @Override
  public void accepted(RequestId id) {
    this.requestId = id;
    notes.requestId(id);
    ctx.header("x-request-id", id.value());
  }

  @Override
  public void identified(Caller caller) {
    notes.keyId(caller.keyId());
  }

  @Override
  public void parsed(String model, boolean stream) {
    notes.model(model, stream);
  }

  @Override
  public void attempting(NodeId node, int attempt) {
    notes.attempt(node, attempt);
    if (!started()) {
      ctx.header(NODE_HEADER, node.value()); // the last attempt before the first byte serves it
    }
  }

  @Override
  public void admitted(RateLimitStatus status) {
    RateLimitHeaders.of(status).forEach(ctx::header);
  }

  @Override
  public void onClientGone(Runnable callback) {
    disconnect.onGone(callback);
  }

  @Override
  public void keepAlive(boolean streamed) throws ClientGoneException {
    if (!started()) {
      // the headers go out now, before any node has answered: the body names the node instead
      ctx.res().setHeader(NODE_HEADER, null);
    }
    try {
      OutputStream out;
      byte[] bytes;
      if (streamed) {
        out = eventStream();
        bytes = COMMENT;
      } else {
        out = keptAliveBody();
        bytes = WHITESPACE;
      }
      out.write(bytes);
      out.flush();
      sent.update(bytes);
    } catch (IOException e) {
      throw new ClientGoneException(e);
    }
  }

  /**
   * True when the response is already under way (keep-alives were sent), so an error must be told
   * in its body: an error event for a stream, an OpenAI error object for a JSON body.
   */
  boolean started() {
    return stream != null || body != null;
  }

  /** Tells {@code error} in a response already under way ({@link #started()}). */
  void failStarted(ApiException error) {
    if (stream != null) {
      fail(error);
      return;
    }
    ObjectNode answer = ErrorMapper.body(error);
    if (requestId != null) {
      answer.put("request_id", requestId.value());
    }
    disconnect.close();
    byte[] bytes = Json.bytes(answer);
    try {
      body.write(bytes);
      body.flush();
      sent.update(bytes);
    } catch (IOException e) {
      // the client is gone as well; nothing left to tell
    }
  }

  @Override
  public void complete(ObjectNode completion, LastWrite lastWrite) throws ClientGoneException {
    byte[] json = Json.bytes(completion);
    lastWrite.before(sha256With(json));
    disconnect.close(); // the body is the whole response: once it is out, the connection is Jetty's
    try {
      OutputStream out;
      if (body != null) {
        out = body; // after whitespace: the length was never promised
      } else {
        ctx.status(200);
        ctx.contentType("application/json");
        ctx.res().setContentLength(json.length);
        out = ctx.res().getOutputStream();
      }
      out.write(json);
      out.flush();
      notes.firstOutput();
      sent.update(json);
    } catch (IOException e) {
      throw new ClientGoneException(e);
    }
  }

  private OutputStream keptAliveBody() throws IOException {
    if (body == null) {
      ctx.status(200);
      ctx.contentType("application/json");
      body = ctx.res().getOutputStream();
    }
    return body;
  }

  @Override
  public void chunk(ObjectNode chunk) throws ClientGoneException {
    try {
      event(Json.bytes(chunk));
      notes.firstOutput(); // only the first counts
    } catch (IOException e) {
      throw new ClientGoneException(e);
    }
  }

  @Override
  public void end(LastWrite lastWrite) throws ClientGoneException {
    lastWrite.before(sha256With(DONE));
    try {
      OutputStream out = eventStream();
      out.write(DONE);
      out.flush();
      sent.update(DONE);
    } catch (IOException e) {
      throw new ClientGoneException(e);
    }
  }

  @Override
  public void event(Event event) throws ClientGoneException {
    byte[] bytes = named(event);
    try {
      OutputStream out = eventStream();
      out.write(bytes);
      out.flush();
      sent.update(bytes);
      notes.firstOutput();
    } catch (IOException e) {
      throw new ClientGoneException(e);
    }
  }

  @Override
  public void endWith(List<Event> events, LastWrite lastWrite) throws ClientGoneException {
    ByteArrayOutputStream last = new ByteArrayOutputStream();
    for (Event event : events) {
      last.writeBytes(named(event));
    }
    byte[] bytes = last.toByteArray();
    lastWrite.before(sha256With(bytes));
    try {
      OutputStream out = eventStream();
      out.write(bytes);
      out.flush();
      sent.update(bytes);
      notes.firstOutput();
    } catch (IOException e) {
      throw new ClientGoneException(e);
    }
  }

  /** {@code event: <name>}, then the data line and the blank line that ends the event. */
  private static byte[] named(Event event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(EVENT);
    out.writeBytes(event.name().getBytes(StandardCharsets.US_ASCII));
    out.write('\n');
    out.writeBytes(DATA);
    out.writeBytes(Json.bytes(event.data()));
    out.writeBytes(END_EVENT);
    return out.toByteArray();
  }

  @Override
  public void fail(ApiException error) {
    ObjectNode event = ErrorMapper.body(error);
    if (requestId != null) {
      event.put("request_id", requestId.value());
    }
    try {
      event(Json.bytes(event));
    } catch (IOException e) {
      // the client is gone as well; nothing left to tell
    }
  }

  @Override
  public String sentSha256() {
    return sha256With(new byte[0]);
  }

  /** The digest of what was sent, followed by {@code next}; what was sent stays as it is. */
  private String sha256With(byte[] next) {
    try {
      MessageDigest copy = (MessageDigest) sent.clone();
      copy.update(next);
      return HexFormat.of().formatHex(copy.digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
    }
  }

  /** One {@code data:} event, flushed; hashed once it is out. */
  private void event(byte[] json) throws IOException {
    OutputStream out = eventStream();
    out.write(DATA);
    out.write(json);
    out.write(END_EVENT);
    out.flush();
    sent.update(DATA);
    sent.update(json);
    sent.update(END_EVENT);
  }

  private OutputStream eventStream() throws IOException {
    if (stream == null) {
      ctx.status(200);
      ctx.contentType("text/event-stream; charset=utf-8");
      ctx.header("Cache-Control", "no-cache");
      ctx.header("X-Accel-Buffering", "no");
      stream = ctx.res().getOutputStream();
    }
    return stream;
  }
}
