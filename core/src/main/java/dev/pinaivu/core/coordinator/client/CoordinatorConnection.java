package dev.pinaivu.core.coordinator.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.coordinator.Frames;
import dev.pinaivu.core.json.Json;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;

/**
 * One pipelined connection to the coordinator: any number of threads send requests, each under an
 * id of its own; a virtual thread reads responses and hands each to the caller waiting for its id.
 * Once anything goes wrong on the socket the connection is dead for good, and every waiting call
 * fails with {@link ConnectionLostException}.
 */
final class CoordinatorConnection implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final ReentrantLock writing = new ReentrantLock();
  private final Map<Long, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicReference<IOException> failure = new AtomicReference<>();

  private CoordinatorConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
  }

  static CoordinatorConnection open(InetSocketAddress address, Duration connectTimeout)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(address, Math.toIntExact(connectTimeout.toMillis()));
      CoordinatorConnection connection = new CoordinatorConnection(socket);
      Thread.ofVirtual().name("coordinator-responses").start(connection::readAll);
      return connection;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  boolean isOpen() {
    return failure.get() == null;
  }

  /**
   * Sends the request {@code build} makes for a fresh id and waits for its response.
   *
   * @throws ConnectionLostException when the connection failed before the response came
   * @throws TimeoutException when no response came within {@code timeout}
   */
  JsonNode call(LongFunction<ObjectNode> build, Duration timeout)
      throws ConnectionLostException, TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long id = ids.incrementAndGet();
    byte[] frame = Frames.encode(Json.bytes(build.apply(id)));
    CompletableFuture<JsonNode> response = new CompletableFuture<>();
    waiting.put(id, response);
    try {
      IOException failed = failure.get();
      if (failed != null) {
        throw new ConnectionLostException(failed.getMessage(), failed);
      }
      send(frame, deadline);
      return response.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new ConnectionLostException(e.getCause().getMessage(), e.getCause());
    } finally {
      waiting.remove(id);
    }
  }

  /** Writes the whole frame; waiting for other writers counts against the call's deadline. */
  private void send(byte[] frame, long deadline)
      throws ConnectionLostException, TimeoutException, InterruptedException {
    if (!writing.tryLock(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
      throw new TimeoutException("the connection to the coordinator is not writable");
    }
    try {
      out.write(frame);
      out.flush();
    } catch (IOException e) {
      fail(e);
      throw new ConnectionLostException("cannot write to the coordinator: " + e.getMessage(), e);
    } finally {
      writing.unlock();
    }
  }

  private void readAll() {
    try {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      byte[] frame;
      while ((frame = Frames.read(in)) != null) {
        JsonNode response = Json.parse(frame);
        JsonNode id = response.path("id");
        if (!id.canConvertToLong()) {
          fail(new IOException("the coordinator refused a frame: " + response.path("error")));
          return;
        }
        CompletableFuture<JsonNode> caller = waiting.get(id.longValue());
        if (caller != null) {
          caller.complete(response);
        }
      }
      fail(new IOException("the coordinator closed the connection"));
    } catch (IOException e) {
      fail(e);
    }
  }

  /** Marks the connection dead (the first cause wins), closes it and fails every waiting call. */
  private void fail(IOException cause) {
    if (failure.compareAndSet(null, cause)) {
      try {
        socket.close();
      } catch (IOException e) {
        cause.addSuppressed(e);
      }
    }
    IOException first = failure.get();
    waiting.values().forEach(caller -> caller.completeExceptionally(first));
  }

  @Override
  public void close() {
    fail(new IOException("the connection to the coordinator was closed"));
  }

  @Override
  public String toString() {
    return "CoordinatorConnection[" + socket.getRemoteSocketAddress() + "]";
  }
}
