package dev.pinaivu.gateway.http;

import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EndPoint;

/**
 * Reads a request body up to a size limit and within a deadline, and answers in the OpenAI shape
 * what can go wrong on the way: 413 beyond the limit, 408 when the body stops coming or trickles
 * past the deadline (a {@code Content-Length} larger than what is sent), 400 when its framing is
 * broken (bad chunking, the connection ended early). A gzip or deflate body is decoded ({@link
 * ContentCoding}).
 *
 * <p>The deadline holds for the whole body, not per byte: before each read the connection's idle
 * timeout is set to the time left, and restored after.
 */
final class RequestBody {
  private static final int CHUNK = 64 * 1024;

  /**
   * A refused body is read and dropped up to this many times the limit, and for at most {@link
   * #DRAIN_TIME}, before the 413 is sent and the connection closed: closing with unread bytes makes
   * the kernel send a reset, which destroys the 413 in the client's buffers while an SDK is still
   * writing its body (nginx's lingering close does the same, for longer). A sender can hold a
   * connection no longer than the body deadline allows it anyway.
   */
  private static final int DRAIN_FACTOR = 32;

  private static final long DRAIN_TIME_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final long maxBytes;
  private final Duration timeout;

  RequestBody(long maxBytes, Duration timeout) {
    this.maxBytes = maxBytes;
    this.timeout = timeout;
  }

  long maxBytes() {
    return maxBytes;
  }

  byte[] read(Context ctx) {
    long deadline = System.nanoTime() + timeout.toNanos();
    EndPoint endPoint = endPointOf(ctx);
    long idle = endPoint == null ? 0 : endPoint.getIdleTimeout();
    try {
      long declared = ctx.req().getContentLengthLong();
      if (declared > maxBytes) {
        // one waiting for "100 Continue" has sent nothing (reading would ask for it); a huge one
        // is not worth reading
        if (!expectsContinue(ctx) && declared <= DRAIN_FACTOR * maxBytes) {
          drain(ctx.req().getInputStream(), endPoint, deadline);
        }
        throw tooLarge(ctx);
      }
      InputStream in = ctx.req().getInputStream();
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      byte[] chunk = new byte[CHUNK];
      for (int n = read(in, chunk, endPoint, deadline); n >= 0; ) {
        body.write(chunk, 0, n);
        if (body.size() > maxBytes) {
          drain(in, endPoint, deadline);
          throw tooLarge(ctx);
        }
        n = read(in, chunk, endPoint, deadline);
      }
      return decoded(ctx, body.toByteArray());
    } catch (IOException e) {
      ctx.header("Connection", "close"); // what is left of the body cannot be found any more
      throw refusal(e);
    } finally {
      if (endPoint != null) {
        endPoint.setIdleTimeout(idle);
      }
    }
  }

  private byte[] decoded(Context ctx, byte[] body) {
    try {
      return ContentCoding.decode(body, ctx.header("Content-Encoding"), maxBytes);
    } catch (ApiException e) {
      if (e.kind() == ErrorKind.UNSUPPORTED_ENCODING) {
        ctx.header("Accept-Encoding", ContentCoding.ACCEPTED);
      }
      throw e;
    }
  }

  private static int read(InputStream in, byte[] chunk, EndPoint endPoint, long deadline)
      throws IOException {
    long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (leftMs < 1) {
      throw new IOException(new TimeoutException("the request body deadline passed"));
    }
    if (endPoint != null) {
      endPoint.setIdleTimeout(Math.min(leftMs, endPoint.getIdleTimeout()));
    }
    return in.read(chunk);
  }

  /** Reads and drops what follows, up to {@link #DRAIN_FACTOR} times the limit or for 2 s. */
  private void drain(InputStream in, EndPoint endPoint, long deadline) {
    byte[] chunk = new byte[CHUNK];
    long drained = 0;
    long until = Math.min(deadline, System.nanoTime() + DRAIN_TIME_NANOS);
    try {
      for (int n = 0; n >= 0 && drained <= DRAIN_FACTOR * maxBytes; drained += n) {
        n = read(in, chunk, endPoint, until);
      }
    } catch (IOException e) {
      // the client stopped sending or went away: the 413 is all that is left to say
    }
  }

  private ApiException tooLarge(Context ctx) {
    ctx.header("Connection", "close");
    return new ApiException(
        ErrorKind.BODY_TOO_LARGE,
        "The request body is larger than the limit of " + maxBytes + " bytes.",
        null,
        "request_too_large");
  }

  private static ApiException refusal(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException) {
        return ErrorMapper.timeout();
      }
      if (t instanceof HttpException http) {
        return ErrorMapper.badRequest(
            // Jetty says "Early EOF" for broken chunking as for a connection closed too soon
            "Early EOF".equals(http.getReason())
                ? "the body ended early, or its chunked encoding is broken"
                : http.getReason());
      }
    }
    return ErrorMapper.badRequest("the body could not be read");
  }

  private static boolean expectsContinue(Context ctx) {
    String expect = ctx.header("Expect");
    return expect != null && expect.equalsIgnoreCase("100-continue");
  }

  private static EndPoint endPointOf(Context ctx) {
    ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
    if (request == null || request.getConnectionMetaData().getConnection() == null) {
      return null;
    }
    return request.getConnectionMetaData().getConnection().getEndPoint();
  }
}
