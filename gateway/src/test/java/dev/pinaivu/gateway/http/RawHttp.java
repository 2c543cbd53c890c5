package dev.pinaivu.gateway.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP/1.1 client on a bare socket, for what an HTTP library hides: when the connection closes,
 * whether it is reused, requests pipelined on it, a reset instead of a close.
 */
final class RawHttp implements AutoCloseable {
  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final Socket socket = new Socket();
  private final InputStream in;
  private final OutputStream out;

  RawHttp(int port) throws IOException {
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** The bytes of a POST with a JSON body, for {@link #send}. */
  static String post(String path, String authorization, String json) {
    int length = json.getBytes(StandardCharsets.UTF_8).length;
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
        + "Content-Length: "
        + length
        + "\r\n\r\n"
        + json;
  }

  /** Writes {@code requests} (one or several, pipelined) in one write. */
  void send(String requests) throws IOException {
    out.write(requests.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Reads one response: by Content-Length, chunked, or to the end of the connection. */
  Response read() throws IOException {
    String statusLine = line();
    Map<String, String> headers = new TreeMap<>();
    for (String h = line(); !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      headers.put(
          h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (headers.containsKey("content-length")) {
      body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      for (int size = Integer.parseInt(line(), 16); size > 0; size = Integer.parseInt(line(), 16)) {
        body.write(in.readNBytes(size));
        line();
      }
      line();
    } else {
      body.write(in.readAllBytes());
    }
    return new Response(
        Integer.parseInt(statusLine.split(" ")[1]), headers, body.toString(StandardCharsets.UTF_8));
  }

  /** True when the server closed the connection (nothing more comes); false on more bytes. */
  boolean closedByServer() throws IOException {
    try {
      return in.read() < 0;
    } catch (IOException reset) {
      return true;
    }
  }

  /** Closes with a reset (RST) instead of the usual FIN. */
  void reset() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed in the middle of a response: " + line);
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }
}
