package dev.pinaivu.gateway.http;

import dev.pinaivu.core.auth.Caller;
import dev.pinaivu.core.chat.AnswerWriter;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.gateway.observability.RequestNotes;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a chat completion to the HTTP response ({@link AnswerWriter} makes the bytes). A failed
 * write means the client went away; so does a close that {@link ClientDisconnect} notices while
 * nothing is being written. What it learns of the request goes into the access log's notes.
 */
final class HttpChatSink extends AnswerWriter {
  private final Context ctx;
  private final ClientDisconnect disconnect;
  private final RequestNotes notes;

  HttpChatSink(Context ctx, ClientDisconnect disconnect) {
    this.ctx = ctx;
    this.disconnect = disconnect;
    this.notes = RequestNotes.of(ctx);
  }

  @Override
  protected OutputStream start(int status, String contentType, long length) throws IOException {
    ctx.status(status);
    ctx.contentType(contentType);
    if (length >= 0) {
      ctx.res().setContentLengthLong(length);
    }
    return ctx.res().getOutputStream();
  }

  @Override
  protected void header(String name, String value) {
    ctx.header(name, value);
  }

  @Override
  protected void removeHeader(String name) {
    ctx.res().setHeader(name, null);
  }

  @Override
  protected void finishing() {
    disconnect.close(); // once the whole body is out, the connection is Jetty's again
  }

  @Override
  protected void firstOutput() {
    notes.firstOutput(); // only the first counts
  }

  @Override
  public void accepted(RequestId id) {
    super.accepted(id);
    notes.requestId(id);
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
    super.attempting(node, attempt);
  }

  @Override
  public void onClientGone(Runnable callback) {
    disconnect.onGone(callback);
  }
}
