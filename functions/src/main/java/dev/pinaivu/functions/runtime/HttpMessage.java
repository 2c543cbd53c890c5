package dev.pinaivu.functions.runtime;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The little of HTTP/1.1 the Runtime API needs, over a plain socket: a request head, and a response
 * read whole (by length, chunks, or until the connection closes). Hand-written because a response
 * streamed to the Runtime API ends with trailers, which neither the JDK's {@code HttpClient} nor
 * {@code HttpURLConnection} can send (ADR 26); the peer is the local Runtime API, on loopback.
 */
final class HttpMessage {
  private static final int MAX_HEAD = 64 * 1024;

  /** A response: its status, its headers by lower-case name, its body. */
  record Response(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private HttpMessage() {}

  /** Writes a request line and headers, and the blank line after them. */
  static void writeHead(
      OutputStream out, String method, String path, String host, Map<String, String> headers)
      throws IOException {
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(host).append("\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Reads one response. */
  static Response readResponse(InputStream in) throws IOException {
    String statusLine = readLine(in);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.1 status line: " + statusLine);
    }
    int status;
    try {
      status = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP status: " + statusLine, e);
    }
    Map<String, String> headers = readHeaders(in);
    byte[] body;
    String length = headers.get("content-length");
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = readChunked(in, new TreeMap<>());
    } else if (length != null) {
      body = in.readNBytes(Integer.parseInt(length.trim()));
    } else {
      body = in.readAllBytes();
    }
    return new Response(status, headers, body);
  }

  /** Header lines up to the blank line, by lower-case name. */
  static Map<String, String> readHeaders(InputStream in) throws IOException {
    Map<String, String> headers = new TreeMap<>();
    int size = 0;
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      size += line.length();
      if (size > MAX_HEAD) {
        throw new IOException("HTTP head longer than " + MAX_HEAD + " bytes");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("not an HTTP header line: " + line);
      }
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    return headers;
  }

  /** A chunked body, its trailers put into {@code trailers}. */
  static byte[] readChunked(InputStream in, Map<String, String> trailers) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      byte[] chunk = readChunk(in);
      if (chunk == null) {
        trailers.putAll(readHeaders(in));
        return body.toByteArray();
      }
      body.writeBytes(chunk);
    }
  }

  /** One chunk's data, or null for the last (zero-length) chunk, whose trailers follow. */
  static byte[] readChunk(InputStream in) throws IOException {
    String sizeLine = readLine(in);
    int semicolon = sizeLine.indexOf(';');
    String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
    int size;
    try {
      size = Integer.parseInt(hex, 16);
    } catch (NumberFormatException e) {
      throw new IOException("not a chunk size: " + sizeLine, e);
    }
    if (size == 0) {
      return null;
    }
    byte[] data = in.readNBytes(size);
    if (data.length < size || !readLine(in).isEmpty()) {
      throw new IOException("chunk of " + size + " bytes cut short");
    }
    return data;
  }

  /** One line without its CRLF (a bare LF is accepted). */
  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed in an HTTP head");
      }
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int end =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
      }
      if (line.size() >= MAX_HEAD) {
        throw new IOException("HTTP line longer than " + MAX_HEAD + " bytes");
      }
      line.write(b);
    }
  }
}
