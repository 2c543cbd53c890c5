package dev.pinaivu.gateway.coordinator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.coordinator.CoordinatorServer;
import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorJob;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.coordinator.CoordinatorUnavailableException;
import dev.pinaivu.core.coordinator.Frames;
import dev.pinaivu.core.coordinator.ParentAuth;
import dev.pinaivu.core.coordinator.ParentSecret;
import dev.pinaivu.core.coordinator.ResponseCodec;
import dev.pinaivu.core.coordinator.WireError;
import dev.pinaivu.core.coordinator.client.TcpCoordinator;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.Settlement;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The TCP client when the coordinator is absent, mute, garbled, restarted, or not the coordinator
 * at all (an impostor on its port).
 */
class TcpCoordinatorFailureIT {
  private static final Duration SHORT = Duration.ofMillis(300);
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final ParentSecret secret = ParentSecret.generate();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable resource : resources.reversed()) {
      resource.close();
    }
  }

  private <T extends AutoCloseable> T closing(T resource) {
    resources.add(resource);
    return resource;
  }

  private static CoordinatorService newService() {
    return CoordinatorService.dev(CoordinatorOptions.withFees(new FeePolicy(500)));
  }

  private CoordinatorServer serve(CoordinatorService service, int port) throws IOException {
    return serve(service, port, secret);
  }

  private CoordinatorServer serve(CoordinatorService service, int port, ParentSecret known)
      throws IOException {
    return closing(
        CoordinatorServer.start(
            service, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), known));
  }

  /** The gateway's client, which opens an empty log on each connection as StoredLog does. */
  private TcpCoordinator client(InetSocketAddress address, Duration connect, Duration request) {
    TcpCoordinator client = closing(new TcpCoordinator(address, secret, connect, request));
    client.openLogOnConnect(connected -> connected.openLog(Coordinator.LogState.EMPTY));
    return client;
  }

  private TcpCoordinator client(InetSocketAddress address) {
    return client(
        address, TcpCoordinator.DEFAULT_CONNECT_TIMEOUT, TcpCoordinator.DEFAULT_REQUEST_TIMEOUT);
  }

  /** A listener that treats every connection with {@code behaviour}. */
  private InetSocketAddress fakeServer(Consumer<Socket> behaviour) throws IOException {
    ServerSocket listener = closing(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    Thread.ofVirtual()
        .start(() -> {
          while (!listener.isClosed()) {
            try {
              Socket socket = closing(listener.accept());
              Thread.ofVirtual().start(() -> behaviour.accept(socket));
            } catch (IOException e) {
              return;
            }
          }
        });
    return (InetSocketAddress) listener.getLocalSocketAddress();
  }

  private static void readForever(Socket socket) {
    try (InputStream in = socket.getInputStream()) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (IOException e) {
      // the test is over
    }
  }

  @Test
  void whenNothingListens_callsAreUnavailable() throws IOException {
    InetSocketAddress nobody;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      nobody = (InetSocketAddress) probe.getLocalSocketAddress();
    }
    TcpCoordinator client = client(nobody, SHORT, SHORT);

    assertThatThrownBy(client::identity)
        .isInstanceOf(CoordinatorUnavailableException.class)
        .hasMessageContaining("cannot connect");
  }

  @Test
  void aCoordinatorThatNeverAnswers_timesOut_asUnavailable() throws IOException {
    InetSocketAddress mute = fakeServer(TcpCoordinatorFailureIT::readForever);
    TcpCoordinator client = client(mute, SHORT, SHORT);
    long start = System.nanoTime();

    assertThatThrownBy(client::identity)
        .isInstanceOf(CoordinatorUnavailableException.class)
        .hasMessageContaining("did not complete the connection's start");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aCoordinatorThatAnswersGarbage_isUnavailable_notAHang() throws IOException {
    InetSocketAddress garbled =
        fakeServer(socket -> {
          try {
            socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(UTF_8));
            readForever(socket);
          } catch (IOException e) {
            // the client left
          }
        });
    TcpCoordinator client = client(garbled, SHORT, Duration.ofSeconds(5));

    assertThatThrownBy(() -> client.dispatch(new CoordinatorJob().dispatchRequest()))
        .isInstanceOf(CoordinatorUnavailableException.class);
  }

  /**
   * A process on the port that does not know the secret: it answers auth_begin with a proof of its
   * own making and records everything it is sent.
   */
  private InetSocketAddress impostor(List<String> received) throws IOException {
    return fakeServer(socket -> {
      try {
        InputStream in = socket.getInputStream();
        byte[] frame;
        while ((frame = Frames.read(in)) != null) {
          JsonNode request = Json.parse(frame);
          received.add(request.path("op").asText());
          ObjectNode answer =
              ResponseCodec.authBegun(
                  request.get("id"),
                  new ResponseCodec.AuthChallenge(ParentAuth.nonce(), ParentAuth.nonce()));
          socket.getOutputStream().write(Frames.encode(Json.bytes(answer)));
        }
      } catch (IOException e) {
        // the client left
      }
    });
  }

  @Test
  void anImpostorOnThePort_isRefusedWithAClearMessage_andIsNeverSentADispatchOrASettle()
      throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    InetSocketAddress address = impostor(received);
    TcpCoordinator client = client(address);
    CoordinatorJob job = new CoordinatorJob();
    SignedDispatchToken token = newService().dispatch(job.dispatchRequest());
    String expected =
        "the process on 127.0.0.1:"
            + address.getPort()
            + " is not our coordinator: it does not know the parent secret";

    assertThatThrownBy(() -> client.dispatch(job.dispatchRequest()))
        .isInstanceOf(CoordinatorUnavailableException.class)
        .hasMessage(expected);
    assertThatThrownBy(() -> client.settle(job.settleRequest(token)))
        .isInstanceOf(CoordinatorUnavailableException.class)
        .hasMessage(expected);
    assertThat(received).isNotEmpty().containsOnly("auth_begin");
  }

  @Test
  void aCoordinatorWithAnotherSecret_isRefusedTheSameWay() throws Exception {
    CoordinatorServer other = serve(newService(), 0, ParentSecret.generate());
    TcpCoordinator client = client(other.address());

    assertThatThrownBy(client::identity)
        .isInstanceOf(CoordinatorUnavailableException.class)
        .hasMessageContaining("is not our coordinator: it does not know the parent secret");
  }

  @Test
  void aCoordinatorThatDoesNotAuthenticate_isRefused_withWhatItSaid() throws Exception {
    InetSocketAddress old =
        fakeServer(socket -> {
          try {
            byte[] frame = Frames.read(socket.getInputStream());
            ObjectNode answer =
                ResponseCodec.error(
                    Json.parse(frame).get("id"), WireError.UNKNOWN_OP, "unknown op \"auth_begin\"");
            socket.getOutputStream().write(Frames.encode(Json.bytes(answer)));
            readForever(socket);
          } catch (IOException e) {
            // the client left
          }
        });
    TcpCoordinator client = client(old);

    assertThatThrownBy(client::identity)
        .isInstanceOf(CoordinatorUnavailableException.class)
        .hasMessageContaining("does not authenticate as our coordinator (unknown_op");
  }

  @Test
  void afterTheCoordinatorRestarts_theClientReconnects_andSeesTheNewKey() throws Exception {
    CoordinatorServer first = serve(newService(), 0);
    int port = first.port();
    TcpCoordinator client = client(first.address());
    CoordinatorKey before = client.identity();
    CoordinatorJob job = new CoordinatorJob();
    SignedDispatchToken oldToken = client.dispatch(job.dispatchRequest());

    first.close();
    CoordinatorService restarted = newService();
    serve(restarted, port);

    SignedDispatchToken fresh = client.dispatch(new CoordinatorJob().dispatchRequest());
    assertThat(client.identity()).isEqualTo(restarted.identity()).isNotEqualTo(before);
    assertThat(fresh.token().coordinatorKeyId()).isEqualTo(restarted.identity().keyId());
    // no log proved the old key its predecessor, so its tokens are not settled here
    assertThat(client.settle(job.settleRequest(oldToken)).reason())
        .contains("is not a trusted coordinator key");
  }

  @Test
  void aCoordinatorReplacedOnAnotherAddress_isFoundThere_byAskingTheAddressAgain()
      throws Exception {
    // on AWS a replaced instance has another private address (ADR 37)
    CoordinatorServer first = serve(newService(), 0);
    AtomicReference<InetSocketAddress> published = new AtomicReference<>(first.address());
    AtomicInteger asked = new AtomicInteger();
    TcpCoordinator client =
        closing(
            new TcpCoordinator(
                () -> {
                  asked.incrementAndGet();
                  return published.get();
                },
                secret,
                TcpCoordinator.DEFAULT_CONNECT_TIMEOUT,
                TcpCoordinator.DEFAULT_REQUEST_TIMEOUT));
    CoordinatorKey before = client.identity();
    client.dispatch(new CoordinatorJob().dispatchRequest());
    assertThat(asked).as("asked once for one connection").hasValue(1);

    first.close();
    CoordinatorService replacement = newService();
    CoordinatorServer second = serve(replacement, 0);
    assertThat(second.port()).isNotEqualTo(first.port());
    published.set(second.address());

    SignedDispatchToken fresh = client.dispatch(new CoordinatorJob().dispatchRequest());
    assertThat(fresh.token().coordinatorKeyId()).isEqualTo(replacement.identity().keyId());
    assertThat(client.identity()).isNotEqualTo(before);
    assertThat(client.toString()).contains(Integer.toString(second.port()));
  }

  @Test
  void anAddressThatCannotBeFound_isUnavailable_withTheReason() {
    TcpCoordinator client =
        closing(
            new TcpCoordinator(
                () -> {
                  throw new CoordinatorUnavailableException("no address published yet", null);
                },
                secret,
                SHORT,
                SHORT));

    assertThatThrownBy(client::identity)
        .isInstanceOf(CoordinatorUnavailableException.class)
        .hasMessageContaining("no address published yet");
  }

  @Test
  void close_makesLaterCallsUnavailable() throws Exception {
    CoordinatorServer server = serve(newService(), 0);
    TcpCoordinator client = new TcpCoordinator(server.address(), secret);
    client.identity();

    client.close();

    assertThatThrownBy(client::identity)
        .isInstanceOf(CoordinatorUnavailableException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aRequestTooLargeForOneFrame_isRefusedBeforeItIsSent() throws Exception {
    CoordinatorServer server = serve(newService(), 0);
    TcpCoordinator client = client(server.address());
    CoordinatorJob job = new CoordinatorJob();
    SignedDispatchToken token = client.dispatch(job.dispatchRequest());
    var honest = job.settleRequest(token);
    var huge =
        new Coordinator.SettleRequest(
            honest.dispatchToken(),
            honest.offer(),
            honest.proof(),
            honest.nodePublicKey(),
            new Settlement.Delivery(1, null, 2, null, "0".repeat(64), 0, null, "x".repeat(2 << 20)),
            honest.accountRef());

    assertThatThrownBy(() -> client.settle(huge)).isInstanceOf(IllegalArgumentException.class);
    assertThat(client.settle(honest).valid()).isTrue();
  }
}
