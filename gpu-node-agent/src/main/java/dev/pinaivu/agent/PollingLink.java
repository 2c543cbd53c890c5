package dev.pinaivu.agent;

import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.protocol.FrameOutbox;
import dev.pinaivu.core.protocol.NodeProtocol;
import dev.pinaivu.core.protocol.ProtocolException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A polling node's link to the serverless deployment (ADR 39): no connection, HTTPS requests to
 * {@code POST /v1/nodes/exchange}, each signed over the endpoint, this link's session, the time and
 * the body. One request is always waiting for frames for the node (a long poll, {@code ?wait=20});
 * the node's own frames go in other requests, gathered by time as on the WebSocket API, and their
 * answers may carry frames too. Every frame received reaches the agent on one thread, in the order
 * its answer came. A refused request, a failed one or an {@code error} frame ends the link, as a
 * closed WebSocket does; the agent then opens a new one (a new session) with its backoff.
 */
final class PollingLink implements GatewayConnection {
  private static final Logger log = LoggerFactory.getLogger(PollingLink.class);

  /** How long the server is asked to hold a poll open when it has nothing for the node. */
  static final int WAIT_SECONDS = 20;

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(WAIT_SECONDS + 15);

  private final HttpClient http;
  private final URI url;
  private final String endpoint;
  private final NodeKey key;
  private final String agent;
  private final List<String> apis;
  private final Events events;
  private final String session = UUID.randomUUID().toString().replace("-", "");
  private final AtomicLong lastIssuedAt = new AtomicLong();
  private final AtomicBoolean ended = new AtomicBoolean();
  private final ExecutorService inbound;
  private final FrameOutbox outbox;

  private PollingLink(
      HttpClient http, URI url, NodeKey key, String agent, List<String> apis, Events events) {
    this.http = http;
    this.url = url;
    this.endpoint = url.getHost() + (url.getRawPath() == null ? "" : url.getRawPath());
    this.key = key;
    this.agent = agent;
    this.apis = List.copyOf(apis);
    this.events = events;
    this.inbound =
        Executors.newSingleThreadExecutor(Thread.ofVirtual().name("poll-inbound").factory());
    this.outbox =
        new FrameOutbox(
            this::write,
            e -> ended("send failed: " + e.getMessage()),
            FrameOutbox.Batching.WEBSOCKET_API);
  }

  /**
   * Starts polling and returns at once: the link is open from the first request (no handshake comes
   * first, the key is proved in every request), so the agent is told at once.
   */
  static PollingLink open(
      HttpClient http, URI url, NodeKey key, String agent, List<String> apis, Events events) {
    PollingLink link = new PollingLink(http, url, key, agent, apis, events);
    link.inbound.execute(() -> events.onOpened(link));
    Thread.ofVirtual().name("poll-" + link.session.substring(0, 8)).start(link::pollLoop);
    return link;
  }

  private void pollLoop() {
    while (!ended.get()) {
      try {
        exchange("", WAIT_SECONDS);
      } catch (IOException e) {
        ended("poll failed: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ended("interrupted");
      }
    }
  }

  /** The outbox's single writer: one request per batch of the node's frames. */
  private void write(String text) throws IOException {
    if (ended.get()) {
      throw new IOException("the link ended");
    }
    try {
      exchange(text, 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending", e);
    }
  }

  /** One request: {@code body} out, the frames of its answer to the agent. */
  private void exchange(String body, int waitSeconds) throws IOException, InterruptedException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    long issuedAt =
        lastIssuedAt.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis()));
    String challenge = NodeProtocol.pollChallenge(endpoint, session, issuedAt, Sha256.hex(bytes));
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(url + "?wait=" + waitSeconds))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/x-ndjson")
            .header("User-Agent", agent)
            .header("X-Pinaivu-Session", session);
    ConnectHeaders.signed(key, challenge, issuedAt, apis).forEach(builder::header);
    HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      ended("refused by the gateway (" + response.statusCode() + "): " + response.body());
      return;
    }
    List<Frame> frames = new ArrayList<>();
    for (String line : FrameCodec.lines(response.body())) {
      if (line.isBlank()) {
        continue;
      }
      try {
        frames.add(FrameCodec.decode(line));
      } catch (ProtocolException e) {
        log.warn("the gateway sent a frame this agent cannot read: {}", e.getMessage());
      }
    }
    if (!frames.isEmpty()) {
      inbound.execute(() -> deliver(frames));
    }
  }

  private void deliver(List<Frame> frames) {
    for (Frame frame : frames) {
      if (ended.get()) {
        return; // nothing more is handled for a link that ended
      }
      try {
        events.onFrame(this, frame);
      } catch (RuntimeException e) {
        log.error("handling a gateway frame failed", e);
      }
      if (frame instanceof Frame.Error error) {
        ended("refused by the gateway: " + error.code()); // it ended the session
      }
    }
  }

  @Override
  public void send(String frameText) throws IOException {
    outbox.sendText(frameText);
  }

  @Override
  public void sendNow(String frameText) throws IOException {
    outbox.sendTextNow(frameText);
  }

  @Override
  public void post(Frame frame) throws IOException {
    outbox.post(frame);
  }

  @Override
  public void close(String reason) {
    ended(reason);
  }

  private void ended(String reason) {
    if (ended.compareAndSet(false, true)) {
      outbox.close();
      inbound.execute(() -> events.onClosed(this, reason));
      inbound.shutdown();
    }
  }
}
