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
import java.util.ArrayList;
import java.util.List;
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

  /**
   * Characters per WebSocket frame on API Gateway's WebSocket API, whose frames hold at most 32 KB
   * (of UTF-8, up to three bytes a character here) and messages 128 KB.
   */
  static final int API_GATEWAY_FRAME_CHARS = 8 * 1024;

  private final Events events;
  private final FrameOutbox outbox;
  private final int frameChars;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile WebSocket socket;

  private GatewayLink(Events events, FrameOutbox.Batching batching) {
    this.events = events;
    this.outbox =
        new FrameOutbox(this::write, e -> ended("send failed: " + e.getMessage()), batching);
    this.frameChars =
        batching.equals(FrameOutbox.Batching.LOCAL) ? Integer.MAX_VALUE : API_GATEWAY_FRAME_CHARS;
  }

  /**
   * Starts connecting and returns at once; the connection's frames and end go to {@code events}.
   */
  static GatewayLink open(HttpClient http, URI url, Events events) {
    return open(http, url, events, Map.of(), FrameOutbox.Batching.LOCAL);
  }

  /**
   * As {@link #open(HttpClient, URI, Events)}, with {@code headers} on the upgrade request and
   * frames gathered into messages by {@code batching} (by time on API Gateway's WebSocket API,
   * whose every message is a function invocation; messages there go in frames of {@value
   * #API_GATEWAY_FRAME_CHARS} characters).
   */
  static GatewayLink open(
      HttpClient http,
      URI url,
      Events events,
      Map<String, String> headers,
      FrameOutbox.Batching batching) {
    GatewayLink link = new GatewayLink(events, batching);
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
  public void sendNow(String frameText) throws IOException {
    outbox.sendTextNow(frameText);
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
      List<String> parts = fragments(text, frameChars);
      for (int i = 0; i < parts.size(); i++) {
        ws.sendText(parts.get(i), i == parts.size() - 1)
            .get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException(rootMessage(e), e);
    }
  }

  /**
   * {@code text} cut into pieces of at most {@code max} characters, never inside a surrogate pair.
   */
  static List<String> fragments(String text, int max) {
    if (text.length() <= max) {
      return List.of(text);
    }
    List<String> out = new ArrayList<>();
    int from = 0;
    while (from < text.length()) {
      int to = Math.min(text.length(), from + max);
      if (to < text.length() && Character.isHighSurrogate(text.charAt(to - 1))) {
        to--;
      }
      out.add(text.substring(from, to));
      from = to;
    }
    return out;
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
