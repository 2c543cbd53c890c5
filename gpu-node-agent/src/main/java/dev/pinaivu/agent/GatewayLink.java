package dev.pinaivu.agent;

import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.protocol.FrameOutbox;
import dev.pinaivu.core.protocol.ProtocolException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection to the gateway (the JDK client). It exists, with its outbox, before the
 * socket opens: the gateway's {@code hello} can arrive before {@code buildAsync} completes, and is
 * answered on this connection at once. Sends one message at a time, as the WebSocket API requires,
 * and tells the agent once when the connection ends, aborting the socket so that a connection the
 * agent gave up on does not linger half-open at the gateway.
 */
final class GatewayLink implements GatewayConnection {
  private static final Logger log = LoggerFactory.getLogger(GatewayLink.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final long SEND_TIMEOUT_SECONDS = 30;

  private final Events events;
  private final FrameOutbox outbox;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile WebSocket socket;

  private GatewayLink(Events events) {
    this.events = events;
    this.outbox = new FrameOutbox(this::write, e -> ended("send failed: " + e.getMessage()));
  }

  /**
   * Starts connecting and returns at once; the connection's frames and end go to {@code events}.
   */
  static GatewayLink open(HttpClient http, URI url, Events events) {
    return open(http, url, events, Map.of());
  }

  /** As {@link #open(HttpClient, URI, Events)}, with {@code headers} on the upgrade request. */
  static GatewayLink open(HttpClient http, URI url, Events events, Map<String, String> headers) {
    GatewayLink link = new GatewayLink(events);
    WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT);
    headers.forEach(builder::header);
    builder
        .buildAsync(url, link.new Listener())
        .orTimeout(CONNECT_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS)
        .whenComplete((ws, e) -> {
          if (e != null) {
            link.ended("cannot connect to " + url + ": " + rootMessage(e));
          }
        });
    return link;
  }

  /** Queues the frame; frames that pile up are sent together (see {@link FrameOutbox}). */
  @Override
  public void send(String frameText) throws IOException {
    outbox.sendText(frameText);
  }

  @Override
  public void post(Frame frame) throws IOException {
    outbox.post(frame);
  }

  /** The outbox's single writer: one WebSocket message at a time, as the JDK API requires. */
  private void write(String text) throws IOException {
    WebSocket ws = socket;
    if (ws == null) {
      throw new IOException("not open yet"); // nothing is sent before the gateway's hello
    }
    try {
      ws.sendText(text, true).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException(rootMessage(e), e);
    }
  }

  @Override
  public void close(String reason) {
    WebSocket ws = socket;
    if (ws != null && !ended.get()) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, reason);
    }
    ended(reason);
  }

  private void ended(String reason) {
    if (ended.compareAndSet(false, true)) {
      outbox.close();
      WebSocket ws = socket;
      if (ws != null) {
        ws.abort();
      }
      events.onClosed(this, reason);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** Reassembles text messages and passes them on, asking for one message at a time. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public void onOpen(WebSocket webSocket) {
      socket = webSocket; // before any frame: the hello may come before buildAsync completes
      if (ended.get()) {
        webSocket.abort(); // closed by the agent while it was opening
        return;
      }
      webSocket.request(1);
      events.onOpened(GatewayLink.this);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          for (Frame frame : FrameCodec.decodeMessage(text)) {
            if (ended.get()) {
              break; // nothing more is handled for a connection that ended
            }
            events.onFrame(GatewayLink.this, frame);
          }
        } catch (ProtocolException e) {
          log.warn("the gateway sent a frame this agent cannot read: {}", e.getMessage());
        } catch (RuntimeException e) {
          log.error("handling a gateway frame failed", e);
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      ended("closed by the gateway (" + statusCode + (reason.isEmpty() ? "" : ": " + reason) + ")");
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      ended("connection error: " + rootMessage(error));
    }
  }
}
