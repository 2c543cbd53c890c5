package dev.pinaivu.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pinaivu.gateway.GatewayConfig;
import dev.pinaivu.gateway.GatewayServer;
import dev.pinaivu.gateway.connections.ClientLimits;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that hold connections instead of using them: a flood of idle connections from one
 * address, more connections than the process takes, a request head trickled a byte at a time. Each
 * test starts its gateway with small limits, on loopback, and sockets bound to chosen 127.0.0.x
 * addresses stand for different clients.
 */
class HostileConnectionsIT {
  private static final InetAddress FLOODER = Sockets.loopback("127.0.0.1");
  private static final InetAddress OTHER = Sockets.loopback("127.0.0.2");
  private static final Duration LONG = Duration.ofSeconds(30);

  @TempDir Path dir;
  private GatewayServer gateway;
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeAll
  static void loopbackHasSeveralAddresses() {
    assumeTrue(Sockets.canBind(OTHER), "this machine routes 127.0.0.2 to loopback");
  }

  @AfterEach
  void stop() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  private GatewayServer start(ClientLimits limits) {
    gateway = GatewayServer.start(GatewayConfig.defaults(dir, 0).withClientLimits(limits));
    return gateway;
  }

  private Socket open(InetAddress from) throws Exception {
    Socket s = Sockets.connect(from, gateway.port());
    sockets.add(s);
    return s;
  }

  /** How many of {@code group} the server closes within {@code wait}, watched all at once. */
  private static int closedWithin(List<Socket> group, Duration wait) throws Exception {
    try (ExecutorService watchers = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Boolean>> closed = new ArrayList<>();
      for (Socket s : group) {
        closed.add(watchers.submit(() -> Sockets.closedWithin(s, wait)));
      }
      int count = 0;
      for (Future<Boolean> c : closed) {
        count += c.get() ? 1 : 0;
      }
      return count;
    }
  }

  private int models(HttpClient client) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/models"))
                .header("Authorization", "Bearer " + gateway.devKey().reveal())
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void idleFloodFromOneAddress_isCappedThere_whileAnotherAddressIsServed() throws Exception {
    start(ClientLimits.DEFAULTS.withConnections(20, 10_000).withTimeouts(LONG, LONG, LONG));
    List<Socket> flood = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      flood.add(open(FLOODER));
    }

    assertThat(closedWithin(flood, Duration.ofSeconds(2))).as("closed over the cap").isEqualTo(40);
    assertThat(models(HttpClient.newBuilder().localAddress(OTHER).build())).isEqualTo(200);
    assertThat(Sockets.closedWithin(open(FLOODER), Duration.ofSeconds(2)))
        .as("one more from the flooding address")
        .isTrue();

    for (Socket s : flood) {
      s.close();
    }
    HttpClient again = HttpClient.newBuilder().localAddress(FLOODER).build();
    assertThat(Sockets.await(() -> answers(again), Duration.ofSeconds(5)))
        .as("the address is served again once its connections closed")
        .isTrue();
  }

  private boolean answers(HttpClient client) {
    try {
      return models(client) == 200;
    } catch (Exception closedAtOnce) {
      return false;
    }
  }

  @Test
  void connectionsOverTheProcessCap_areClosedAtOnce_fromAnyAddress() throws Exception {
    start(ClientLimits.DEFAULTS.withConnections(100, 5).withTimeouts(LONG, LONG, LONG));
    List<Socket> first = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      first.add(open(Sockets.loopback("127.0.0." + (10 + i))));
    }

    assertThat(closedWithin(first, Duration.ofSeconds(1))).isZero();
    assertThat(Sockets.closedWithin(open(OTHER), Duration.ofSeconds(2))).isTrue();

    first.get(0).close();
    assertThat(
            Sockets.await(
                () -> answers(HttpClient.newBuilder().localAddress(OTHER).build()),
                Duration.ofSeconds(5)))
        .as("a freed slot serves a new client")
        .isTrue();
  }

  @Test
  void nodesSharingAnAddress_doNotCountAgainstItsClientCap() throws Exception {
    start(ClientLimits.DEFAULTS.withConnections(2, 100).withTimeouts(LONG, LONG, LONG));
    List<FakeNode> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        HttpClient client = HttpClient.newBuilder().localAddress(FLOODER).build();
        nodes.add(FakeNode.connect(client, gateway.nodeUrl(), 8, "m"));
      }
      assertThat(Sockets.await(() -> gateway.liveNodes() == 4, Duration.ofSeconds(5))).isTrue();

      List<Socket> clients = List.of(open(FLOODER), open(FLOODER));
      assertThat(closedWithin(clients, Duration.ofSeconds(1))).as("two clients fit").isZero();
      assertThat(Sockets.closedWithin(open(FLOODER), Duration.ofSeconds(2))).isTrue();
      assertThat(gateway.liveNodes()).isEqualTo(4);
    } finally {
      nodes.forEach(FakeNode::close);
    }
  }

  @Test
  void aNodesSocket_outlivesTheHeaderDeadline() throws Exception {
    start(ClientLimits.DEFAULTS.withTimeouts(Duration.ofSeconds(1), LONG, LONG));
    try (FakeNode node = FakeNode.connect(gateway.nodeUrl(), "m")) {
      assertThat(Sockets.await(() -> gateway.liveNodes() == 1, Duration.ofSeconds(5))).isTrue();

      Thread.sleep(2_500); // silent on the socket for over twice the deadline: nothing to await

      assertThat(gateway.liveNodes()).isEqualTo(1);
      HttpResponse<String> chat =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/chat/completions"))
                      .header("Authorization", "Bearer " + gateway.devKey().reveal())
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
    }
  }

  @Test
  void aTrickledRequestHead_isClosedAtTheHeaderDeadline() throws Exception {
    start(ClientLimits.DEFAULTS.withTimeouts(Duration.ofSeconds(1), LONG, LONG));
    Socket slow = open(FLOODER);
    OutputStream out = slow.getOutputStream();
    out.write(
        "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
            .getBytes(StandardCharsets.US_ASCII));
    Thread trickle =
        Thread.ofVirtual()
            .start(() -> {
              try {
                while (true) {
                  out.write('a'); // a byte every 100 ms: the idle timeout never fires
                  out.flush();
                  Thread.sleep(100);
                }
              } catch (Exception closed) {
                // the server closed the connection
              }
            });
    long start = System.nanoTime();

    boolean closed = Sockets.closedWithin(slow, Duration.ofSeconds(5));

    assertThat(closed).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    trickle.join(5_000);
  }

  @Test
  void anIdleConnection_isClosedAtTheHeaderDeadline_alsoAfterARequest() throws Exception {
    start(ClientLimits.DEFAULTS.withTimeouts(Duration.ofSeconds(1), LONG, LONG));
    Socket idle = open(FLOODER);
    RawHttp kept = new RawHttp(gateway.port());
    kept.send(
        "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
            + gateway.devKey().reveal()
            + "\r\n\r\n");
    assertThat(kept.read().status()).isEqualTo(200);

    assertThat(Sockets.closedWithin(idle, Duration.ofSeconds(3))).isTrue();
    assertThat(kept.closedByServer()).as("kept alive, then idle").isTrue();
    kept.close();
  }

  @Test
  void aBodyThatKeepsComing_isNotCutByTheHeaderDeadline() throws Exception {
    start(ClientLimits.DEFAULTS.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(10), LONG));
    String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    try (RawHttp client = new RawHttp(gateway.port())) {
      client.send(
          "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type:"
              + " application/json\r\nAuthorization: Bearer "
              + gateway.devKey().reveal()
              + "\r\nContent-Length: "
              + body.length()
              + "\r\n\r\n");
      for (char c : body.toCharArray()) { // over 2 s, twice the header deadline
        client.send(String.valueOf(c));
        Thread.sleep(2_000 / body.length());
      }

      assertThat(client.read().status()).as("answered: no node serves m").isEqualTo(503);
    }
  }
}
