package dev.pinaivu.functions.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A client of the Lambda Runtime API ({@code AWS_LAMBDA_RUNTIME_API}, version 2018-06-01): one
 * connection per call, each closed after it, as the API asks of streamed responses.
 */
public final class RuntimeApi {
  private static final String BASE = "/2018-06-01/runtime";
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

  private final String host;
  private final int port;

  /**
   * @param address {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API}
   */
  public RuntimeApi(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("AWS_LAMBDA_RUNTIME_API is not host:port: " + address);
    }
    this.host = address.substring(0, colon);
    this.port = Integer.parseInt(address.substring(colon + 1));
  }

  /** Waits, without a time limit, for the next invocation: {@code GET invocation/next}. */
  public Invocation next() throws IOException {
    HttpMessage.Response answer = call("GET", BASE + "/invocation/next", Map.of(), null, true);
    String id = answer.header("Lambda-Runtime-Aws-Request-Id");
    if (id == null || id.isBlank()) {
      throw new IOException("invocation/next answered without Lambda-Runtime-Aws-Request-Id");
    }
    String deadline = answer.header("Lambda-Runtime-Deadline-Ms");
    return new Invocation(
        id,
        deadline == null ? Instant.MAX : Instant.ofEpochMilli(Long.parseLong(deadline)),
        answer.header("Lambda-Runtime-Invoked-Function-Arn"),
        answer.header("Lambda-Runtime-Trace-Id"),
        answer.body());
  }

  /**
   * Starts the invocation's response in streaming mode; the body goes out as the handler flushes.
   */
  public StreamedResponse respond(String requestId, String contentType) throws IOException {
    Socket socket = connect(false);
    try {
      return StreamedResponse.start(
          socket, host + ":" + port, BASE + "/invocation/" + requestId + "/response", contentType);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** The invocation failed before any byte of its response: {@code invocation/{id}/error}. */
  public void error(String requestId, FunctionError error) throws IOException {
    post(BASE + "/invocation/" + requestId + "/error", error);
  }

  /** The function could not start: {@code init/error}; the runtime exits after it. */
  public void initError(FunctionError error) throws IOException {
    post(BASE + "/init/error", error);
  }

  /**
   * SnapStart: the snapshot may be taken now; returns once this environment is restored from it
   * ({@code restore/next}).
   */
  public void restoreNext() throws IOException {
    call("GET", BASE + "/restore/next", Map.of(), null, true);
  }

  /** A restore hook failed: {@code restore/error}; the runtime exits after it. */
  public void restoreError(FunctionError error) throws IOException {
    post(BASE + "/restore/error", error);
  }

  private void post(String path, FunctionError error) throws IOException {
    call(
        "POST",
        path,
        Map.of(
            "Lambda-Runtime-Function-Error-Type", error.type(), "Content-Type", "application/json"),
        error.body(),
        false);
  }

  private HttpMessage.Response call(
      String method, String path, Map<String, String> extra, byte[] body, boolean waits)
      throws IOException {
    try (Socket socket = connect(waits)) {
      Map<String, String> headers = new TreeMap<>(extra);
      headers.put("Connection", "close");
      if (body != null) {
        headers.put("Content-Length", Integer.toString(body.length));
      }
      OutputStream out = socket.getOutputStream();
      HttpMessage.writeHead(out, method, path, host + ":" + port, headers);
      if (body != null) {
        out.write(body);
      }
      out.flush();
      HttpMessage.Response answer = HttpMessage.readResponse(socket.getInputStream());
      if (answer.status() / 100 != 2) {
        throw new IOException(
            method
                + " "
                + path
                + " answered "
                + answer.status()
                + ": "
                + new String(answer.body(), StandardCharsets.UTF_8));
      }
      return answer;
    }
  }

  /** A loopback connection; {@code waits}: the answer may take as long as it takes. */
  private Socket connect(boolean waits) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true); // every flushed chunk leaves at once
      socket.connect(new InetSocketAddress(host, port), (int) ANSWER_TIMEOUT.toMillis());
      socket.setSoTimeout(waits ? 0 : (int) ANSWER_TIMEOUT.toMillis());
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }
}
