package dev.pinaivu.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.coordinator.BadFrameException;
import dev.pinaivu.core.coordinator.CoordinatorEndpoint;
import dev.pinaivu.core.coordinator.Frames;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: a virtual thread reads frames, each request is answered on its own virtual
 * thread, responses go out whole under a lock in the order they finish. A frame that cannot be read
 * is answered with a refusal and the connection closes; nothing a client sends reaches beyond its
 * own connection. The first frames must prove the client is the parent ({@link ParentHandshake}),
 * on the reading thread and within a deadline; nothing else is answered before.
 */
final class ServerConnection {
  private static final Logger LOG = LoggerFactory.getLogger(ServerConnection.class);

  /** Requests answered at once per connection; beyond it the reader waits (back-pressure). */
  static final int MAX_IN_FLIGHT = 256;

  private final Socket socket;
  private final CoordinatorEndpoint endpoint;
  private final ParentHandshake handshake;
  private final Duration handshakeTimeout;
  private final Set<ServerConnection> registry;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final ReentrantLock writing = new ReentrantLock();
  private volatile boolean stopping;
  private volatile Thread reader;

  /**
   * A connection that is in {@code registry} while it is open.
   *
   * @param handshakeTimeout how long a client may take to authenticate before it is dropped
   */
  ServerConnection(
      Socket socket,
      CoordinatorEndpoint endpoint,
      ParentHandshake handshake,
      Duration handshakeTimeout,
      Set<ServerConnection> registry) {
    this.socket = socket;
    this.endpoint = endpoint;
    this.handshake = handshake;
    this.handshakeTimeout = handshakeTimeout;
    this.registry = registry;
  }

  void start() {
    registry.add(this);
    reader = Thread.ofVirtual().name("coordinator-connection").start(this::serve);
  }

  private void serve() {
    try {
      socket.setSoTimeout(Math.toIntExact(handshakeTimeout.toMillis()));
      InputStream in = new BufferedInputStream(socket.getInputStream());
      byte[] frame;
      while ((frame = Frames.read(in)) != null) {
        JsonNode request = CoordinatorEndpoint.parse(frame);
        Optional<CoordinatorEndpoint.Reply> screened = handshake.screen(request);
        if (screened.isPresent()) {
          if (screened.get().close()) {
            drain();
            write(screened.get().body());
            return;
          }
          write(screened.get().body());
          if (handshake.authenticated()) {
            socket.setSoTimeout(0); // the parent keeps its connection for its lifetime
          }
          continue;
        }
        inFlight.acquire();
        Thread.ofVirtual().name("coordinator-request").start(() -> answer(request));
      }
      drain();
    } catch (BadFrameException e) {
      drain();
      write(CoordinatorEndpoint.refuse(e.getMessage()).body());
    } catch (IOException e) {
      LOG.debug("coordinator connection ended: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly();
      registry.remove(this);
    }
  }

  private void answer(JsonNode request) {
    try {
      write(
          stopping
              ? CoordinatorEndpoint.unavailable(request, "the coordinator is shutting down")
              : endpoint.answer(request));
    } finally {
      inFlight.release();
    }
  }

  private void write(byte[] body) {
    writing.lock();
    try {
      OutputStream out = socket.getOutputStream();
      out.write(Frames.encode(body));
      out.flush();
    } catch (IOException e) {
      LOG.debug("coordinator response not delivered, the client left: {}", e.toString());
    } finally {
      writing.unlock();
    }
  }

  /** Waits until every request read so far has been answered (or a few seconds passed). */
  private void drain() {
    try {
      if (inFlight.tryAcquire(MAX_IN_FLIGHT, 5, TimeUnit.SECONDS)) {
        inFlight.release(MAX_IN_FLIGHT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Graceful stop: requests still arriving are answered "unavailable", those under way finish, then
   * the socket closes and the reader ends.
   */
  void stop(long deadlineNanos) {
    stopping = true;
    try {
      long left = Math.max(0, deadlineNanos - System.nanoTime());
      if (inFlight.tryAcquire(MAX_IN_FLIGHT, left, TimeUnit.NANOSECONDS)) {
        inFlight.release(MAX_IN_FLIGHT);
      }
      closeQuietly();
      if (reader != null) {
        reader.join(Duration.ofSeconds(1));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeQuietly() {
    try {
      socket.close();
    } catch (IOException e) {
      LOG.debug("closing a coordinator connection: {}", e.toString());
    }
  }
}
