package dev.pinaivu.gateway.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices, while a handler is blocked, that the client of an HTTP/1.1 request closed or reset its
 * connection after sending the body. Jetty reads a connection only when it wants request bytes, so
 * on its own it learns of a close at the next write; this asks the endpoint to say when it is
 * readable and reads then: end of stream or a read error means the client is gone (ADR 17).
 *
 * <p>A client that sends bytes meanwhile (an HTTP/1.1 pipelined request) has them consumed here;
 * the connection is then closed after this response instead of being reused, so that nothing reads
 * a request with its start missing.
 */
final class ClientDisconnect implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClientDisconnect.class);

  /** Why a watch ended without a disconnect; the endpoint hands it back to the callback. */
  private static final IOException STOPPED = new IOException("stopped watching");

  private final Context ctx;
  private final Request request;
  private final AbstractEndPoint endPoint;
  private final Readable readable = new Readable();
  private final CompletableFuture<Void> gone = new CompletableFuture<>();
  private boolean armed;
  private boolean stopped;
  private boolean bytesConsumed;

  private ClientDisconnect(Context ctx, Request request, AbstractEndPoint endPoint) {
    this.ctx = ctx;
    this.request = request;
    this.endPoint = endPoint;
  }

  /**
   * A watch on the connection of {@code ctx}, whose request body must have been read. Nothing is
   * watched until the first {@link #onGone}; on a connection it cannot watch (HTTP/2, a test
   * double) it never fires, and a disconnect is noticed at the next write as before.
   */
  static ClientDisconnect of(Context ctx) {
    Request request = ServletContextRequest.getServletContextRequest(ctx.req());
    HttpVersion version = request.getConnectionMetaData().getHttpVersion();
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    boolean http1 = version == HttpVersion.HTTP_1_1 || version == HttpVersion.HTTP_1_0;
    // an HTTP/2 endpoint is shared by many requests and read by its own connection: never watch it
    return new ClientDisconnect(
        ctx, request, http1 && endPoint instanceof AbstractEndPoint a ? a : null);
  }

  /**
   * Runs {@code callback} once, on any thread, when the client goes away; at once if it is gone
   * already. The first call starts watching.
   */
  void onGone(Runnable callback) {
    gone.thenRun(callback);
    arm();
  }

  boolean isGone() {
    return gone.isDone();
  }

  /**
   * Stops watching; idempotent. Call it on the handler thread before the response's last bytes (a
   * non-streamed body) and before the handler returns: a client on a kept-alive connection may send
   * its next request as soon as it has the whole response, and those bytes are Jetty's.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (stopped) {
        return;
      }
      stopped = true;
      if (armed) {
        endPoint.getFillInterest().onFail(STOPPED); // false when no read interest is pending
      }
      if (!bytesConsumed) {
        return;
      }
    }
    log.debug("the client sent bytes during a chat completion; closing the connection after it");
    if (!ctx.res().isCommitted()) {
      ctx.header("Connection", "close");
    } else {
      // FIN after the last byte, not a close that unread input would turn into a reset
      Request.addCompletionListener(request, failure -> endPoint.shutdownOutput());
    }
  }

  private synchronized void arm() {
    if (armed || stopped || endPoint == null || gone.isDone()) {
      return;
    }
    armed = endPoint.tryFillInterested(readable);
    if (!armed) {
      log.debug("the connection is already being read; a disconnect is noticed on write");
    }
  }

  private void clientGone(Throwable why) {
    log.debug("the client closed its connection: {}", why == null ? "end of stream" : why);
    gone.complete(null);
  }

  /** Called by the endpoint when the connection is readable or failed. */
  private final class Readable implements Callback {
    @Override
    public void succeeded() {
      IOException failure = null;
      synchronized (ClientDisconnect.this) {
        if (stopped) {
          return;
        }
        ByteBuffer buffer = BufferUtil.allocate(512); // empty, in Jetty's flush mode
        int filled;
        try {
          filled = endPoint.fill(buffer);
        } catch (IOException e) {
          filled = -1;
          failure = e;
        }
        if (filled > 0) {
          bytesConsumed = true; // a pipelined request: stop reading, close after this response
          return;
        }
        if (filled == 0) {
          armed = endPoint.tryFillInterested(this); // woken without data: wait again
          return;
        }
      }
      clientGone(failure); // outside the lock: the callbacks cancel jobs at their nodes
    }

    @Override
    public void failed(Throwable cause) {
      if (cause != STOPPED) {
        clientGone(cause); // the endpoint closed: the server stopped, or a write failed
      }
    }
  }
}
