package dev.pinaivu.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mechanism {@link ClientDisconnect} rests on, in Jetty under Javalin as the gateway runs it
 * (virtual threads, HTTP/1.1): a handler blocked after reading the body learns of a close or a
 * reset at once, and a connection whose client stays is reused as before.
 *
 * <p>{@code POST /hold?ms=N} reads the body, watches, says it is waiting, and waits up to N ms for
 * the client to go; {@code commit=true} first sends the response head and a line (as a started
 * stream does), {@code late=true} starts watching only when the test says so.
 */
class ClientDisconnectIT {
  /** Noticed within this of the close; the handlers wait far longer. */
  private static final Duration PROMPTLY = Duration.ofSeconds(1);

  private static final String BODY = "{\"model\":\"m\"}";

  static Javalin app;
  static final BlockingQueue<Boolean> waiting = new LinkedBlockingQueue<>();
  static final BlockingQueue<Long> goneAtNanos = new LinkedBlockingQueue<>();
  static volatile CountDownLatch startWatching = new CountDownLatch(0);

  @BeforeAll
  static void start() {
    app =
        Javalin.create(
                cfg -> {
                  cfg.concurrency.useVirtualThreads = true;
                  cfg.startup.showJavalinBanner = false;
                  cfg.routes.post("/hold", ClientDisconnectIT::hold);
                })
            .start("127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    app.stop();
  }

  @BeforeEach
  void clear() {
    waiting.clear();
    goneAtNanos.clear();
  }

  private static void hold(Context ctx) throws Exception {
    new RequestBody(1 << 16, Duration.ofSeconds(10)).read(ctx);
    try (ClientDisconnect disconnect = ClientDisconnect.of(ctx)) {
      OutputStream out = null;
      if ("true".equals(ctx.queryParam("commit"))) {
        out = ctx.res().getOutputStream();
        ctx.res().setContentType("text/plain");
        out.write("started\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      if ("true".equals(ctx.queryParam("late"))) {
        startWatching.await();
      }
      CompletableFuture<Long> gone = new CompletableFuture<>();
      disconnect.onGone(() -> gone.complete(System.nanoTime()));
      waiting.add(true);
      try {
        goneAtNanos.add(gone.get(Long.parseLong(ctx.queryParam("ms")), TimeUnit.MILLISECONDS));
        return;
      } catch (TimeoutException stayed) {
        // the client is still there: answer it
      }
      if (out != null) {
        out.write("ended\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } else {
        ctx.result("stayed");
      }
    }
  }

  private static RawHttp client() throws Exception {
    return new RawHttp(app.port());
  }

  private static void awaitWaiting() throws InterruptedException {
    assertThat(waiting.poll(10, TimeUnit.SECONDS)).as("the handler is waiting").isNotNull();
  }

  /** How long after {@code closedAtNanos} the handler learned the client was gone. */
  private static Duration noticedAfter(long closedAtNanos) throws InterruptedException {
    Long at = goneAtNanos.poll(10, TimeUnit.SECONDS);
    assertThat(at).as("the disconnect was noticed").isNotNull();
    return Duration.ofNanos(at - closedAtNanos);
  }

  @Test
  void clientClosingWhileTheHandlerWaits_isNoticedAtOnce() throws Exception {
    RawHttp client = client();
    client.send(RawHttp.post("/hold?ms=10000", null, BODY));
    awaitWaiting();

    long closedAt = System.nanoTime();
    client.close();

    assertThat(noticedAfter(closedAt)).isLessThan(PROMPTLY);
  }

  @Test
  void clientResettingTheConnection_isNoticedAtOnce() throws Exception {
    RawHttp client = client();
    client.send(RawHttp.post("/hold?ms=10000", null, BODY));
    awaitWaiting();

    long closedAt = System.nanoTime();
    client.reset();

    assertThat(noticedAfter(closedAt)).isLessThan(PROMPTLY);
  }

  @Test
  void clientClosingAfterTheResponseStarted_isNoticedAtOnce() throws Exception {
    RawHttp client = client();
    client.send(RawHttp.post("/hold?ms=10000&commit=true", null, BODY));
    awaitWaiting();

    long closedAt = System.nanoTime();
    client.close();

    assertThat(noticedAfter(closedAt)).isLessThan(PROMPTLY);
  }

  @Test
  void clientGoneBeforeTheWatchStarts_isReportedAsSoonAsItStarts() throws Exception {
    startWatching = new CountDownLatch(1);
    RawHttp client = client();
    client.send(RawHttp.post("/hold?ms=10000&late=true", null, BODY));
    client.close();

    long watchedAt = System.nanoTime();
    startWatching.countDown();

    assertThat(noticedAfter(watchedAt)).isLessThan(PROMPTLY);
  }

  @Test
  void clientThatStays_getsItsAnswer_onAConnectionThatIsReused() throws Exception {
    try (RawHttp client = client()) {
      client.send(RawHttp.post("/hold?ms=300", null, BODY));
      RawHttp.Response first = client.read();
      client.send(RawHttp.post("/hold?ms=1", null, BODY));
      RawHttp.Response second = client.read();

      assertThat(first.body()).isEqualTo("stayed");
      assertThat(first.header("connection")).isNull();
      assertThat(second.body()).isEqualTo("stayed");
      assertThat(goneAtNanos).isEmpty();
    }
  }

  @Test
  void clientThatStays_onAStartedStream_getsItWhole_andKeepsTheConnection() throws Exception {
    try (RawHttp client = client()) {
      client.send(RawHttp.post("/hold?ms=300&commit=true", null, BODY));
      RawHttp.Response first = client.read();
      client.send(RawHttp.post("/hold?ms=1", null, BODY));

      assertThat(first.body()).isEqualTo("started\nended\n");
      assertThat(client.read().body()).isEqualTo("stayed");
      assertThat(goneAtNanos).isEmpty();
    }
  }

  @Test
  void requestsPipelinedInOneWrite_areBothAnswered() throws Exception {
    // Jetty read both with the first; the second never reaches the socket the watch reads
    try (RawHttp client = client()) {
      client.send(
          RawHttp.post("/hold?ms=300", null, BODY) + RawHttp.post("/hold?ms=1", null, BODY));

      assertThat(client.read().body()).isEqualTo("stayed");
      assertThat(client.read().body()).isEqualTo("stayed");
      assertThat(goneAtNanos).isEmpty();
    }
  }

  @Test
  void requestPipelinedWhileOneWaits_endsTheConnectionAfterTheFirstAnswer() throws Exception {
    try (RawHttp client = client()) {
      client.send(RawHttp.post("/hold?ms=500", null, BODY));
      awaitWaiting();
      client.send(RawHttp.post("/hold?ms=1", null, BODY));
      RawHttp.Response first = client.read();

      assertThat(first.body()).isEqualTo("stayed");
      assertThat(first.header("connection")).isEqualTo("close");
      assertThat(client.closedByServer()).isTrue();
      assertThat(goneAtNanos).isEmpty();
    }
  }

  @Test
  void requestPipelinedWhileAStartedStreamWaits_endsTheConnectionAfterTheStream() throws Exception {
    try (RawHttp client = client()) {
      client.send(RawHttp.post("/hold?ms=500&commit=true", null, BODY));
      awaitWaiting();
      client.send(RawHttp.post("/hold?ms=1", null, BODY));
      RawHttp.Response first = client.read();

      assertThat(first.body()).isEqualTo("started\nended\n");
      assertThat(client.closedByServer()).isTrue();
      assertThat(goneAtNanos).isEmpty();
    }
  }
}
