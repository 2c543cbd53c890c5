package dev.pinaivu.gateway.http;

import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Undoes a request body's {@code Content-Encoding} (RFC 9110 section 8.4): gzip and deflate, as
 * SDKs and proxies send them; the decoded body is held to the same size limit as a plain one, so a
 * small compressed body cannot expand into a large one in memory. Any other coding is refused with
 * 415 and an {@code Accept-Encoding} naming the ones decoded (RFC 9110 section 12.5.3).
 */
final class ContentCoding {
  static final String ACCEPTED = "gzip, deflate";

  private ContentCoding() {}

  /**
   * The body as the client wrote it before encoding it with {@code codings} (the header's value,
   * null when absent), or an {@link ApiException} saying why it cannot be had.
   */
  static byte[] decode(byte[] body, String codings, long maxBytes) {
    if (codings == null || codings.isBlank()) {
      return body;
    }
    String[] applied = codings.split(",");
    byte[] decoded = body;
    // codings are listed in the order they were applied: undone last first
    for (int i = applied.length - 1; i >= 0; i--) {
      decoded = undo(applied[i].strip().toLowerCase(Locale.ROOT), decoded, maxBytes);
    }
    return decoded;
  }

  private static byte[] undo(String coding, byte[] body, long maxBytes) {
    try {
      return switch (coding) {
        case "identity", "" -> body;
        case "gzip", "x-gzip" ->
            bounded(new GZIPInputStream(new java.io.ByteArrayInputStream(body)), maxBytes, coding);
        case "deflate" ->
            bounded(
                new InflaterInputStream(new java.io.ByteArrayInputStream(body)), maxBytes, coding);
        default -> throw unsupported(coding);
      };
    } catch (IOException e) { // ZipException, or EOFException when the stream is cut short
      throw corrupt(coding);
    }
  }

  private static byte[] bounded(InputStream in, long maxBytes, String coding) throws IOException {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] chunk = new byte[64 * 1024];
      for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
        out.write(chunk, 0, n);
        if (out.size() > maxBytes) {
          throw new ApiException(
              ErrorKind.BODY_TOO_LARGE,
              "The request body, decoded from "
                  + coding
                  + ", is larger than the limit of "
                  + maxBytes
                  + " bytes.",
              null,
              "request_too_large");
        }
      }
      return out.toByteArray();
    }
  }

  private static ApiException unsupported(String coding) {
    return new ApiException(
        ErrorKind.UNSUPPORTED_ENCODING,
        "The request body's Content-Encoding '"
            + coding
            + "' is not supported; send it as "
            + ACCEPTED
            + " or uncompressed.",
        null,
        "unsupported_content_encoding");
  }

  private static ApiException corrupt(String coding) {
    return new ApiException(
        ErrorKind.INVALID_REQUEST,
        "The request body is not valid " + coding + " data, though Content-Encoding says it is.",
        null,
        "invalid_content_encoding");
  }
}
