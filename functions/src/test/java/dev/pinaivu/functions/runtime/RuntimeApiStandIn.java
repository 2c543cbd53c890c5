package dev.pinaivu.functions.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Test code: a stand-in for the Lambda Runtime API on loopback, written for the tests from the
 * API's documented contract (runtimes-api, runtimes-custom "response streaming"), since AWS's own
 * emulator buffers streamed responses and is not available here. It hands out queued events on
 * {@code invocation/next}, records each response chunk as it arrives (so a test can see the first
 * chunk while the handler still runs), decodes the chunked body and its trailers, and records every
 * other call ({@code invocation/{id}/error}, {@code init/error}, {@code restore/next}, {@code
 * restore/error}) in order. Never shipped.
 */
public final class RuntimeApiStandIn implements AutoCloseable {
  static final String BASE = "/2018-06-01/runtime";

  /** One posted response, filled in as its chunks arrive. */
  public static final class Posted {
    public final Map<String, String> headers;
    public final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    public final Map<String, String> trailers = new ConcurrentHashMap<>();
    public final CompletableFuture<byte[]> body = new CompletableFuture<>();

    /** {@link System#nanoTime} when the response's head arrived, and when its body ended. */
    public final long arrivedNanos = System.nanoTime();

    public volatile long endedNanos;
    private final java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();

    Posted(Map<String, String> headers) {
      this.headers = headers;
    }

    /** The next chunk as it arrived. */
    public byte[] nextChunk(Duration timeout) throws InterruptedException, TimeoutException {
      byte[] chunk = chunks.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (chunk == null) {
        throw new TimeoutException("no chunk within " + timeout);
      }
      return chunk;
    }

    /** The whole body, once the last chunk (and the trailers) arrived. */
    public byte[] whole(Duration timeout) throws Exception {
      return body.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** A call other than next and response: its path, its error-type header, its body. */
  record Call(String path, String errorType, byte[] body) {}

  private record Event(String requestId, byte[] body, Map<String, String> headers) {}

  private final ServerSocket server;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Map<String, CompletableFuture<Posted>> responses = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<Long> nextCalls = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Thread acceptor;
  private volatile boolean closed;

  public RuntimeApiStandIn() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = Thread.ofVirtual().name("runtime-api-stand-in").start(this::accept);
  }

  /** The value of {@code AWS_LAMBDA_RUNTIME_API}. */
  public String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** Queues an invocation, answered by the next {@code invocation/next}. */
  public void invoke(String requestId, byte[] event, Map<String, String> headers) {
    events.add(new Event(requestId, event, headers));
  }

  public void invoke(String requestId, String event) {
    invoke(requestId, event.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** The response posted for {@code requestId}, as soon as its head arrived. */
  public Posted response(String requestId, Duration timeout) throws Exception {
    return future(requestId).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A runtime loop serving this stand-in's invocations on a thread, until the stand-in closes. */
  public static final class Loop {
    private final Thread thread;

    private Loop(StreamingRuntime runtime) {
      thread =
          Thread.ofVirtual()
              .name("streaming-runtime")
              .start(() -> {
                try {
                  while (true) {
                    runtime.serveNext();
                  }
                } catch (IOException e) {
                  // the stand-in closed
                }
              });
    }

    public void join(Duration timeout) throws InterruptedException {
      thread.join(timeout.toMillis());
    }
  }

  /** Runs {@code handler} in the streaming runtime loop against this stand-in. */
  public Loop serve(StreamingHandler handler) {
    return new Loop(new StreamingRuntime(new RuntimeApi(address()), handler));
  }

  /** True when every response posted so far has ended (its invocation is over). */
  public boolean allResponsesEnded() {
    return responses.values().stream()
        .allMatch(f -> f.isDone() && !f.isCompletedExceptionally() && f.join().body.isDone());
  }

  /**
   * When each {@code invocation/next} arrived ({@link System#nanoTime}), in order: a runtime's init
   * ends at its first.
   */
  public List<Long> nextCallTimes() {
    return List.copyOf(nextCalls);
  }

  /** The other calls (errors, mostly) as lines: path, error type, body. */
  public List<String> otherCalls() {
    return calls.stream()
        .map(c ->
            c.path() + " " + c.errorType() + " " + new String(c.body(), StandardCharsets.UTF_8))
        .toList();
  }

  /** The other calls, in the order they arrived. */
  List<Call> calls() {
    return List.copyOf(calls);
  }

  private CompletableFuture<Posted> future(String requestId) {
    return responses.computeIfAbsent(requestId, id -> new CompletableFuture<>());
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        open.add(socket);
        Thread.ofVirtual().start(() -> serve(socket));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      String[] line = HttpMessage.readLine(in).split(" ");
      Map<String, String> headers = HttpMessage.readHeaders(in);
      String method = line[0];
      String path = line[1];
      OutputStream out = socket.getOutputStream();
      if (method.equals("GET") && path.equals(BASE + "/invocation/next")) {
        nextCalls.add(System.nanoTime());
        next(out);
      } else if (method.equals("POST") && path.endsWith("/response")) {
        String id = path.substring((BASE + "/invocation/").length(), path.lastIndexOf('/'));
        Posted posted = new Posted(headers);
        future(id).complete(posted);
        receive(in, posted);
        answer(out, 202, "{\"status\":\"OK\"}");
      } else {
        String length = headers.get("content-length");
        byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
        calls.add(new Call(path, headers.get("lambda-runtime-function-error-type"), body));
        answer(out, path.endsWith("/restore/next") ? 200 : 202, "{\"status\":\"OK\"}");
      }
    } catch (IOException | InterruptedException e) {
      // the client or the stand-in closed the connection
    }
  }

  private void next(OutputStream out) throws IOException, InterruptedException {
    Event event = null;
    while (event == null) {
      if (closed) {
        throw new IOException("the stand-in closed"); // the socket closes: the loop ends
      }
      event = events.poll(50, TimeUnit.MILLISECONDS);
    }
    Map<String, String> headers = new TreeMap<>();
    headers.put("Lambda-Runtime-Aws-Request-Id", event.requestId());
    headers.put("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 900_000));
    headers.put(
        "Lambda-Runtime-Invoked-Function-Arn",
        "arn:aws:lambda:eu-west-1:123456789012:function:pinaivu-chat");
    // as the service sends it: the managed runtime's native client crashes on a next without it
    headers.put("Content-Type", "application/json");
    headers.putAll(event.headers());
    headers.put("Content-Length", Integer.toString(event.body().length));
    StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(event.body());
    out.flush();
  }

  private static void receive(InputStream in, Posted posted) throws IOException {
    if (!"chunked".equalsIgnoreCase(posted.headers.get("transfer-encoding"))) {
      String length = posted.headers.getOrDefault("content-length", "0");
      byte[] body = in.readNBytes(Integer.parseInt(length));
      posted.chunks.add(body);
      posted.endedNanos = System.nanoTime();
      posted.body.complete(body);
      return;
    }
    while (true) {
      byte[] chunk = HttpMessage.readChunk(in);
      if (chunk == null) {
        posted.trailers.putAll(HttpMessage.readHeaders(in));
        posted.endedNanos = System.nanoTime();
        posted.body.complete(posted.all.toByteArray());
        return;
      }
      posted.all.writeBytes(chunk);
      posted.chunks.add(chunk);
    }
  }

  private static void answer(OutputStream out, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    out.write(
        ("HTTP/1.1 "
                + status
                + " OK\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket socket : open) {
      socket.close();
    }
    acceptor.interrupt();
  }
}
