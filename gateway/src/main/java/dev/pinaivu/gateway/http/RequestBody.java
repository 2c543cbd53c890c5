package dev.pinaivu.gateway.http;

import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads a request body up to a limit; beyond it the request is refused with 413. */
final class RequestBody {
  private RequestBody() {}

  static byte[] read(Context ctx, long maxBytes) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBytes) {
      throw tooLarge(maxBytes);
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] body = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
      if (body.length > maxBytes) {
        throw tooLarge(maxBytes);
      }
      return body;
    } catch (IOException e) {
      throw new UncheckedIOException("reading the request body failed", e);
    }
  }

  private static ApiException tooLarge(long maxBytes) {
    return new ApiException(
        ErrorKind.BODY_TOO_LARGE,
        "The request body is larger than the limit of " + maxBytes + " bytes.",
        null,
        "request_too_large");
  }
}
