package dev.pinaivu.core.coordinator.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.coordinator.AlreadySettledException;
import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorUnavailableException;
import dev.pinaivu.core.coordinator.ParentAuth;
import dev.pinaivu.core.coordinator.ParentSecret;
import dev.pinaivu.core.coordinator.RequestCodec;
import dev.pinaivu.core.coordinator.ResponseCodec;
import dev.pinaivu.core.coordinator.WireError;
import dev.pinaivu.core.coordinator.client.CoordinatorCalls.Answer;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.Verification;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * The coordinator over TCP: the dev-mode server on loopback, or the vsock bridge in front of the
 * enclave. One connection, opened on first use, carries every call pipelined; it is safe for any
 * number of (virtual) threads. Each new connection first proves to the coordinator that it is the
 * parent and has the coordinator prove it knows the same {@link ParentSecret} (a process that does
 * not is refused before any request is sent to it), then asks for {@code identity}, which is then
 * answered from memory; every dispatched token is checked against that key before it is returned.
 *
 * <p>Failures become {@link CoordinatorUnavailableException}: nothing listening, no answer within
 * the request timeout (the connection is then presumed stuck and dropped), a connection lost twice
 * in a row. A call whose connection is lost is sent once more on a new one; that is safe because
 * identity and dispatch change nothing and settle is idempotent. A request the coordinator calls
 * malformed is an {@link IllegalArgumentException}, as with the service in process.
 */
public final class TcpCoordinator implements Coordinator, AutoCloseable {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** A connection and the key of the coordinator at its other end. */
  private record Link(CoordinatorConnection connection, CoordinatorKey identity) {}

  /**
   * Where the coordinator is, asked again before every new connection: on AWS its instance may have
   * been replaced, with another private address, since the last one (ADR 37).
   */
  @FunctionalInterface
  public interface Address {
    InetSocketAddress resolve() throws CoordinatorUnavailableException;
  }

  private final Address addresses;
  private volatile InetSocketAddress address;
  private final ParentSecret secret;
  private final Duration connectTimeout;
  private final Duration requestTimeout;

  /** What a new connection runs before any other call on it (the log's opening). */
  @FunctionalInterface
  public interface ConnectionStart {
    /**
     * @param connected the coordinator at the other end of the new connection, and only it
     */
    void start(Coordinator connected) throws CoordinatorUnavailableException;
  }

  private final ReentrantLock connecting = new ReentrantLock();
  private final List<Consumer<CoordinatorKey>> connectListeners = new CopyOnWriteArrayList<>();
  private final CoordinatorCalls reconnecting =
      new CoordinatorCalls() {
        @Override
        public CoordinatorKey identity() throws CoordinatorUnavailableException {
          return link().identity();
        }

        @Override
        Answer exchange(LongFunction<ObjectNode> request) throws CoordinatorUnavailableException {
          return TcpCoordinator.this.exchange(request);
        }
      };
  private volatile Link current;
  private volatile boolean closed;
  private volatile ConnectionStart logOpening;

  /**
   * @param secret the secret this parent shares with its coordinator
   */
  public TcpCoordinator(InetSocketAddress address, ParentSecret secret) {
    this(address, secret, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
  }

  public TcpCoordinator(
      InetSocketAddress address,
      ParentSecret secret,
      Duration connectTimeout,
      Duration requestTimeout) {
    this(fixed(address), secret, connectTimeout, requestTimeout);
  }

  /**
   * @param addresses asked for the coordinator's address before each new connection
   */
  public TcpCoordinator(
      Address addresses, ParentSecret secret, Duration connectTimeout, Duration requestTimeout) {
    this.addresses = Objects.requireNonNull(addresses, "addresses");
    this.secret = Objects.requireNonNull(secret, "secret");
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
  }

  /**
   * The key of the coordinator on the current connection; a restarted coordinator has a new one.
   */
  @Override
  public CoordinatorKey identity() throws CoordinatorUnavailableException {
    return link().identity();
  }

  @Override
  public SignedDispatchToken dispatch(DispatchRequest request)
      throws CoordinatorUnavailableException {
    return reconnecting.dispatch(request);
  }

  @Override
  public Verification<SignedReceipt> settle(SettleRequest request)
      throws CoordinatorUnavailableException {
    return reconnecting.settle(request);
  }

  @Override
  public long openLog(LogState state) throws CoordinatorUnavailableException {
    return reconnecting.openLog(state);
  }

  @Override
  public LogHead logCheckpoint(long heldSize, long from) throws CoordinatorUnavailableException {
    return reconnecting.logCheckpoint(heldSize, from);
  }

  @Override
  public List<Long> relog(List<byte[]> entries) throws CoordinatorUnavailableException {
    return reconnecting.relog(entries);
  }

  /**
   * Has {@code start} open the coordinator's log on every new connection, before any other call on
   * it: a coordinator that restarted behind this client then resumes the log (and trusts its
   * predecessors' tokens) before it signs anything. {@code start} is handed the coordinator at the
   * other end of that connection alone; it must not call this client, which waits for it.
   */
  public void openLogOnConnect(ConnectionStart start) {
    this.logOpening = start;
  }

  /**
   * Tells {@code listener} (after those added before it) the key of every coordinator this client
   * connects to, before any call on that connection: the parent then knows a key even if its
   * coordinator crashes before the log announces it, and can have its receipts logged again ({@link
   * dev.pinaivu.core.coordinator.LogSync}), and can announce it to its nodes before they are sent
   * its first token. A listener must not wait for this client.
   */
  public void onConnect(Consumer<CoordinatorKey> listener) {
    connectListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  private Answer exchange(LongFunction<ObjectNode> request) throws CoordinatorUnavailableException {
    for (int attempt = 1; ; attempt++) {
      Link link = link();
      try {
        return new Answer(
            accepted(link.connection().call(request, requestTimeout)), link.identity());
      } catch (ConnectionLostException e) {
        link.connection().close();
        if (attempt == 2) {
          throw new CoordinatorUnavailableException(
              "the connection to the coordinator at " + address + " failed: " + e.getMessage(), e);
        }
      } catch (TimeoutException e) {
        link.connection().close();
        throw new CoordinatorUnavailableException(
            "the coordinator did not answer within " + requestTimeout.toMillis() + " ms", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CoordinatorUnavailableException("interrupted waiting for the coordinator", e);
      }
    }
  }

  /** One call on {@code link} alone: a lost connection is not retried on another. */
  private Answer exchangeOn(Link link, LongFunction<ObjectNode> request)
      throws CoordinatorUnavailableException {
    try {
      return new Answer(accepted(link.connection().call(request, requestTimeout)), link.identity());
    } catch (ConnectionLostException e) {
      link.connection().close();
      throw new CoordinatorUnavailableException(
          "the connection to the coordinator at " + address + " failed: " + e.getMessage(), e);
    } catch (TimeoutException e) {
      link.connection().close();
      throw new CoordinatorUnavailableException(
          "the coordinator did not answer within " + requestTimeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CoordinatorUnavailableException("interrupted waiting for the coordinator", e);
    }
  }

  /** The response when {@code ok}; a refusal becomes the exception the caller would get locally. */
  private static JsonNode accepted(JsonNode response) throws CoordinatorUnavailableException {
    if (response.path("ok").asBoolean(false)) {
      return response;
    }
    String error = response.path("error").asText("(no reason given)");
    String code = response.path("code").asText("");
    WireError wire = WireError.of(code).orElse(WireError.INTERNAL);
    if (wire == WireError.BAD_REQUEST) {
      throw new IllegalArgumentException(error);
    }
    if (wire == WireError.ALREADY_SETTLED && response.path("log_index").canConvertToLong()) {
      throw new AlreadySettledException(error, response.path("log_index").asLong());
    }
    throw new CoordinatorUnavailableException(
        "the coordinator refused (" + code + "): " + error, null);
  }

  private Link link() throws CoordinatorUnavailableException {
    Link link = current;
    if (link != null && link.connection().isOpen()) {
      return link;
    }
    connecting.lock();
    try {
      if (closed) {
        throw new CoordinatorUnavailableException("this coordinator client is closed", null);
      }
      link = current;
      if (link == null || !link.connection().isOpen()) {
        link = connect();
        current = link;
      }
      return link;
    } finally {
      connecting.unlock();
    }
  }

  private static Address fixed(InetSocketAddress address) {
    Objects.requireNonNull(address, "address");
    return () -> address;
  }

  private Link connect() throws CoordinatorUnavailableException {
    address = Objects.requireNonNull(addresses.resolve(), "the coordinator's address");
    CoordinatorConnection connection;
    try {
      connection = CoordinatorConnection.open(address, connectTimeout);
    } catch (IOException e) {
      throw new CoordinatorUnavailableException(
          "cannot connect to the coordinator at " + address + ": " + e.getMessage(), e);
    }
    boolean ready = false;
    try {
      authenticate(connection);
      JsonNode response = accepted(connection.call(RequestCodec::identity, requestTimeout));
      Link link = new Link(connection, ResponseCodec.identity(response));
      for (Consumer<CoordinatorKey> listener : connectListeners) {
        listener.accept(link.identity());
      }
      ConnectionStart start = logOpening;
      if (start != null) {
        start.start(new Connected(link));
      }
      ready = true;
      return link;
    } catch (IOException | TimeoutException | IllegalArgumentException e) {
      throw new CoordinatorUnavailableException(
          "the coordinator at "
              + hostPort()
              + " did not complete the connection's start (handshake, identity, log): "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CoordinatorUnavailableException("interrupted connecting to the coordinator", e);
    } finally {
      if (!ready) {
        connection.close();
      }
    }
  }

  /**
   * The handshake (docs/coordinator-protocol.md §3.0): the coordinator proves it knows the secret
   * before this side sends its own proof, so an impostor on the port learns nothing it could use.
   */
  private void authenticate(CoordinatorConnection connection)
      throws ConnectionLostException,
          TimeoutException,
          InterruptedException,
          CoordinatorUnavailableException {
    byte[] clientNonce = ParentAuth.nonce();
    JsonNode begun = connection.call(id -> RequestCodec.authBegin(id, clientNonce), requestTimeout);
    if (!begun.path("ok").asBoolean(false)) {
      throw new CoordinatorUnavailableException(
          "the process on "
              + hostPort()
              + " does not authenticate as our coordinator ("
              + begun.path("code").asText("no code")
              + ": "
              + begun.path("error").asText("no reason given")
              + ")",
          null);
    }
    ResponseCodec.AuthChallenge challenge = ResponseCodec.authBegun(begun);
    if (!ParentAuth.serverProves(
        secret, clientNonce, challenge.serverNonce(), challenge.serverProof())) {
      throw new CoordinatorUnavailableException(
          "the process on "
              + hostPort()
              + " is not our coordinator: it does not know the parent secret",
          null);
    }
    byte[] proof = ParentAuth.clientProof(secret, challenge.serverNonce(), clientNonce);
    JsonNode finished = connection.call(id -> RequestCodec.authFinish(id, proof), requestTimeout);
    if (!finished.path("ok").asBoolean(false)) {
      throw new CoordinatorUnavailableException(
          "the coordinator on "
              + hostPort()
              + " refused our proof: "
              + finished.path("error").asText("no reason given"),
          null);
    }
  }

  /** The address as connected to, {@code 127.0.0.1:5000} (not a host name it may have had). */
  private String hostPort() {
    InetAddress ip = address.getAddress();
    String host =
        ip == null
            ? address.getHostString()
            : ip instanceof Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
    return host + ":" + address.getPort();
  }

  /**
   * Closes the current connection but not the client: the next call opens a new one, with its own
   * handshake and fresh nonces. For a SnapStart checkpoint (ADR 26), so that no socket, and no
   * authenticated session, is copied into every environment restored from the snapshot.
   */
  public void disconnect() {
    connecting.lock();
    try {
      Link link = current;
      current = null;
      if (link != null) {
        link.connection().close();
      }
    } finally {
      connecting.unlock();
    }
  }

  /** Closes the connection; later calls fail with {@link CoordinatorUnavailableException}. */
  @Override
  public void close() {
    connecting.lock();
    try {
      closed = true;
      if (current != null) {
        current.connection().close();
      }
    } finally {
      connecting.unlock();
    }
  }

  /** The coordinator at the other end of one new connection, while it is being started. */
  private final class Connected extends CoordinatorCalls {
    private final Link link;

    Connected(Link link) {
      this.link = link;
    }

    @Override
    public CoordinatorKey identity() {
      return link.identity();
    }

    @Override
    Answer exchange(LongFunction<ObjectNode> request) throws CoordinatorUnavailableException {
      return exchangeOn(link, request);
    }

    @Override
    public String toString() {
      return "TcpCoordinator[" + address + ", connecting]";
    }
  }

  @Override
  public String toString() {
    InetSocketAddress at = address;
    return "TcpCoordinator[" + (at == null ? "not connected yet" : at) + "]";
  }
}
