package dev.pinaivu.coordinator;

import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorEndpoint;
import dev.pinaivu.core.coordinator.ParentSecret;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator protocol on a TCP socket: length-prefixed JSON frames, many requests pipelined
 * per connection, one virtual thread per connection and one per request. Every connection must
 * first prove it is the parent's ({@link ParentHandshake}, the shared {@link ParentSecret}). It
 * binds where it is told (loopback in dev mode and inside the enclave, where a vsock bridge
 * forwards to it); frames are not encrypted, so it must never face a network.
 */
public final class CoordinatorServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorServer.class);
  private static final Duration GRACE = Duration.ofSeconds(5);

  /** How long a new connection may take to authenticate; the gateway needs one round trip. */
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private final ServerSocket listener;
  private final CoordinatorEndpoint endpoint;
  private final ParentSecret secret;
  private final Duration handshakeTimeout;
  private final Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  private CoordinatorServer(
      ServerSocket listener,
      Coordinator coordinator,
      ParentSecret secret,
      Duration handshakeTimeout) {
    this.listener = listener;
    this.endpoint = new CoordinatorEndpoint(coordinator);
    this.secret = secret;
    this.handshakeTimeout = handshakeTimeout;
    this.acceptor = Thread.ofVirtual().name("coordinator-accept").start(this::acceptAll);
  }

  /**
   * Binds {@code address} (port 0: any free port) and starts serving {@code coordinator} to clients
   * that know {@code secret}.
   */
  public static CoordinatorServer start(
      Coordinator coordinator, InetSocketAddress address, ParentSecret secret) throws IOException {
    return start(coordinator, address, secret, HANDSHAKE_TIMEOUT);
  }

  /** As above, with another deadline for the handshake (tests). */
  static CoordinatorServer start(
      Coordinator coordinator,
      InetSocketAddress address,
      ParentSecret secret,
      Duration handshakeTimeout)
      throws IOException {
    Objects.requireNonNull(coordinator, "coordinator");
    Objects.requireNonNull(secret, "secret");
    ServerSocket listener = new ServerSocket();
    try {
      listener.bind(address, 128);
    } catch (IOException e) {
      listener.close();
      throw e;
    }
    return new CoordinatorServer(listener, coordinator, secret, handshakeTimeout);
  }

  /** The address actually bound, with the chosen port. */
  public InetSocketAddress address() {
    return (InetSocketAddress) listener.getLocalSocketAddress();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /**
   * How many client connections are being served now (a closed one leaves when its reader ends).
   */
  public int openConnections() {
    return connections.size();
  }

  private void acceptAll() {
    while (!closed) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("coordinator accept failed: {}", e.toString());
          pauseAfterFailedAccept();
        }
        continue;
      }
      try {
        socket.setTcpNoDelay(true);
      } catch (IOException e) {
        LOG.debug("TCP_NODELAY not set: {}", e.toString());
      }
      new ServerConnection(
              socket, endpoint, new ParentHandshake(secret), handshakeTimeout, connections)
          .start();
    }
  }

  /** A failing accept (out of file descriptors) must not turn into a busy loop. */
  private static void pauseAfterFailedAccept() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops accepting, lets requests under way finish (a few seconds at most), closes everything. */
  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
      acceptor.join(GRACE);
    } catch (IOException e) {
      LOG.debug("closing the coordinator listener: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long deadline = System.nanoTime() + GRACE.toNanos();
    connections.forEach(connection -> connection.stop(deadline));
  }

  @Override
  public String toString() {
    return "CoordinatorServer[" + address() + "]";
  }
}
