package dev.pinaivu.core.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorResponses;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.limits.RateLimitHeaders;
import dev.pinaivu.core.limits.RateLimitStatus;
import dev.pinaivu.core.node.NodeId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * The bytes of a chat answer, the same for every entry point: one JSON body, or Server-Sent Events
 * flushed one by one; keep-alives; an error told in a response already under way. Every byte
 * written and flushed goes into a SHA-256, the receipt's {@code client_response_sha256}: the client
 * can hash what it received and compare. An entry point says only how its response starts (status,
 * content type, headers) and where it goes: an HTTP response locally, a Lambda response stream on
 * AWS. A failed write means the client went away.
 */
public abstract class AnswerWriter implements ChatSink {
  /** Names the node that served the answer, when the headers go out after its first output. */
  public static final String NODE_HEADER = "x-pinaivu-node";

  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END_EVENT = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] COMMENT = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] WHITESPACE = "\n".getBytes(StandardCharsets.US_ASCII);

  private final MessageDigest sent = Sha256.newDigest();
  private RequestId requestId;
  private OutputStream stream;
  private OutputStream body; // a non-streamed answer kept alive with whitespace: its 200 is sent

  /**
   * Starts the response: its status, content type and the headers set so far go out, and the
   * returned stream takes its body. {@code length} is the body's length in bytes, or -1 when it is
   * not known.
   */
  protected abstract OutputStream start(int status, String contentType, long length)
      throws IOException;

  /** Sets a response header, before the response starts. */
  protected abstract void header(String name, String value);

  /** Removes a response header set before, before the response starts. */
  protected abstract void removeHeader(String name);

  /** The whole answer is about to be written (an entry point stops watching the client then). */
  protected void finishing() {}

  /** Output of the answer itself went out (only the first call means something). */
  protected void firstOutput() {}

  /** The request id, once {@link #accepted} told it; null before. */
  protected final RequestId requestId() {
    return requestId;
  }

  @Override
  public void accepted(RequestId id) {
    this.requestId = id;
    header("x-request-id", id.value());
  }

  @Override
  public void attempting(NodeId node, int attempt) {
    if (!started()) {
      header(NODE_HEADER, node.value()); // the last attempt before the first byte serves it
    }
  }

  @Override
  public void admitted(RateLimitStatus status) {
    RateLimitHeaders.of(status).forEach(this::header);
  }

  @Override
  public void keepAlive(boolean streamed) throws ClientGoneException {
    if (!started()) {
      removeHeader(NODE_HEADER); // the headers go out before any node answered: the body names it
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
  public final boolean started() {
    return stream != null || body != null;
  }

  /** Tells {@code error} in a response already under way ({@link #started()}). */
  public final void failStarted(ApiException error) {
    if (stream != null) {
      fail(error);
      return;
    }
    finishing();
    byte[] bytes = Json.bytes(errorBody(error));
    try {
      body.write(bytes);
      body.flush();
      sent.update(bytes);
    } catch (IOException e) {
      // the client is gone as well; nothing left to tell
    }
  }

  /**
   * Answers {@code error} as the whole response, with its status and headers; the response must not
   * have started. For entry points that write their own error responses (the local gateway maps
   * them in one place instead).
   */
  public final void refuse(ApiException error) throws ClientGoneException {
    if (started()) {
      throw new IllegalStateException("the response is under way: failStarted tells the error");
    }
    removeHeader(NODE_HEADER);
    error.headers().forEach(this::header);
    header("Cache-Control", "no-store");
    byte[] bytes = Json.bytes(errorBody(error));
    finishing();
    try {
      OutputStream out =
          start(ErrorResponses.status(error.kind()), "application/json", bytes.length);
      body = out;
      out.write(bytes);
      out.flush();
      sent.update(bytes);
    } catch (IOException e) {
      throw new ClientGoneException(e);
    }
  }

  @Override
  public void complete(ObjectNode completion, LastWrite lastWrite) throws ClientGoneException {
    byte[] json = Json.bytes(completion);
    lastWrite.before(sha256With(json));
    finishing(); // the body is the whole response
    try {
      OutputStream out;
      if (body != null) {
        out = body; // after whitespace: the length was never promised
      } else {
        out = start(200, "application/json", json.length);
        body = out;
      }
      out.write(json);
      out.flush();
      firstOutput();
      sent.update(json);
    } catch (IOException e) {
      throw new ClientGoneException(e);
    }
  }

  private OutputStream keptAliveBody() throws IOException {
    if (body == null) {
      body = start(200, "application/json", -1);
    }
    return body;
  }

  @Override
  public void chunk(ObjectNode chunk) throws ClientGoneException {
    try {
      event(Json.bytes(chunk));
      firstOutput();
    } catch (IOException e) {
      throw new ClientGoneException(e);
    }
  }

  @Override
  public void end(LastWrite lastWrite) throws ClientGoneException {
    lastWrite.before(sha256With(DONE));
    write(DONE, false);
  }

  @Override
  public void event(Event event) throws ClientGoneException {
    write(named(event), true);
  }

  @Override
  public void endWith(List<Event> events, LastWrite lastWrite) throws ClientGoneException {
    ByteArrayOutputStream last = new ByteArrayOutputStream();
    for (Event event : events) {
      last.writeBytes(named(event));
    }
    byte[] bytes = last.toByteArray();
    lastWrite.before(sha256With(bytes));
    write(bytes, true);
  }

  private void write(byte[] bytes, boolean output) throws ClientGoneException {
    try {
      OutputStream out = eventStream();
      out.write(bytes);
      out.flush();
      sent.update(bytes);
      if (output) {
        firstOutput();
      }
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
    try {
      event(Json.bytes(errorBody(error)));
    } catch (IOException e) {
      // the client is gone as well; nothing left to tell
    }
  }

  private ObjectNode errorBody(ApiException error) {
    ObjectNode answer = ErrorResponses.body(error);
    if (requestId != null) {
      answer.put("request_id", requestId.value());
    }
    return answer;
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
      header("Cache-Control", "no-cache");
      header("X-Accel-Buffering", "no");
      stream = start(200, "text/event-stream; charset=utf-8", -1);
    }
    return stream;
  }
}
