package dev.pinaivu.functions.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * An invocation's response as it is posted to the Runtime API in streaming mode: what the handler
 * writes is kept until it flushes (or 16 KB are waiting), then sent as one HTTP chunk at once, so
 * the first bytes reach the client while the handler still works. {@link #close()} ends the body;
 * {@link #fail} ends it with the error trailers instead, which Lambda forwards as the invocation's
 * error (the client already has its 200: the handler tells it in the body too).
 */
public final class StreamedResponse extends OutputStream {
  /** Declared on the request: the trailers a failed stream ends with. */
  static final String ERROR_TYPE_TRAILER = "Lambda-Runtime-Function-Error-Type";

  static final String ERROR_BODY_TRAILER = "Lambda-Runtime-Function-Error-Body";
  private static final int CHUNK = 16 * 1024;
  private static final byte[] CRLF = {'\r', '\n'};

  private final Socket socket;
  private final OutputStream out;
  private final byte[] buffer = new byte[CHUNK];
  private int buffered;
  private boolean ended;

  private StreamedResponse(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
  }

  /** Starts {@code POST .../invocation/{id}/response} on {@code socket}: the head, no body yet. */
  static StreamedResponse start(Socket socket, String host, String path, String contentType)
      throws IOException {
    Map<String, String> headers = new TreeMap<>();
    headers.put("Content-Type", contentType);
    headers.put("Lambda-Runtime-Function-Response-Mode", "streaming");
    headers.put("Transfer-Encoding", "chunked");
    headers.put("Trailer", ERROR_TYPE_TRAILER + ", " + ERROR_BODY_TRAILER);
    StreamedResponse response = new StreamedResponse(socket);
    HttpMessage.writeHead(response.out, "POST", path, host, headers);
    response.out.flush();
    return response;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    ensureOpen();
    while (length > 0) {
      int room = Math.min(CHUNK - buffered, length);
      System.arraycopy(bytes, offset, buffer, buffered, room);
      buffered += room;
      offset += room;
      length -= room;
      if (buffered == CHUNK) {
        sendChunk();
      }
    }
  }

  /** Sends what was written as one chunk, now. */
  @Override
  public void flush() throws IOException {
    ensureOpen();
    if (buffered > 0) {
      sendChunk();
    }
    out.flush();
  }

  /** Ends the body and waits for the Runtime API's answer; a refusal is an {@link IOException}. */
  @Override
  public void close() throws IOException {
    if (ended) {
      return;
    }
    try {
      flush();
      ended = true;
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      accepted();
    } finally {
      socket.close();
    }
  }

  /**
   * Ends the body with {@code error} in the trailers: what was written stays delivered, and Lambda
   * records the invocation as failed.
   */
  public void fail(FunctionError error) throws IOException {
    if (ended) {
      return;
    }
    try {
      flush();
      ended = true;
      String trailers =
          "0\r\n"
              + ERROR_TYPE_TRAILER
              + ": "
              + error.type()
              + "\r\n"
              + ERROR_BODY_TRAILER
              + ": "
              + Base64.getEncoder().encodeToString(error.body())
              + "\r\n\r\n";
      out.write(trailers.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      accepted();
    } finally {
      socket.close();
    }
  }

  private void accepted() throws IOException {
    HttpMessage.Response answer = HttpMessage.readResponse(socket.getInputStream());
    if (answer.status() / 100 != 2) {
      throw new IOException(
          "the Runtime API refused the response: "
              + answer.status()
              + " "
              + new String(answer.body(), StandardCharsets.UTF_8));
    }
  }

  private void sendChunk() throws IOException {
    out.write(Integer.toHexString(buffered).getBytes(StandardCharsets.US_ASCII));
    out.write(CRLF);
    out.write(buffer, 0, buffered);
    out.write(CRLF);
    buffered = 0;
  }

  private void ensureOpen() throws IOException {
    if (ended) {
      throw new IOException("the response has ended");
    }
  }
}
