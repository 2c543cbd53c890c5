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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection to the gateway (the JDK client): sends frames one at a time, as the
 * WebSocket API requires, and hands every received frame to the agent. When the connection ends,
 * the agent is told once and decides whether to reconnect.
 */
final class GatewayLink implements FrameSender {
  private static final Logger log = LoggerFactory.getLogger(GatewayLink.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final long SEND_TIMEOUT_SECONDS = 30;

  private final Consumer<Frame> onFrame;
  private final Consumer<String> onClosed;
  private volatile WebSocket socket;
  private volatile FrameOutbox outbox;
  private volatile boolean closed;

  private GatewayLink(Consumer<Frame> onFrame, Consumer<String> onClosed) {
    this.onFrame = onFrame;
    this.onClosed = onClosed;
  }

  static GatewayLink connect(
      HttpClient http, URI url, Consumer<Frame> onFrame, Consumer<String> onClosed)
      throws IOException, InterruptedException {
    GatewayLink link = new GatewayLink(onFrame, onClosed);
    try {
      link.socket =
          http.newWebSocketBuilder()
              .connectTimeout(CONNECT_TIMEOUT)
              .buildAsync(url, link.new Listener())
              .get(CONNECT_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("cannot connect to " + url + ": " + rootMessage(e), e);
    }
    link.outbox = new FrameOutbox(link::write, e -> link.ended("send failed: " + e.getMessage()));
    return link;
  }

  /** Queues the frame; frames that pile up are sent together (see {@link FrameOutbox}). */
  @Override
  public void send(String frameText) throws IOException {
    FrameOutbox out = outbox;
    if (out == null || closed) {
      throw new IOException("not connected");
    }
    out.sendText(frameText);
  }

  /** The outbox's single writer: one WebSocket message at a time, as the JDK API requires. */
  private void write(String text) throws IOException {
    try {
      socket.sendText(text, true).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException(rootMessage(e), e);
    }
  }

  void close(String reason) {
    WebSocket ws = socket;
    if (ws != null && !closed) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, reason);
      ws.abort();
    }
    ended(reason);
  }

  private void ended(String reason) {
    if (!closed) {
      closed = true;
      FrameOutbox out = outbox;
      if (out != null) {
        out.close();
      }
      onClosed.accept(reason);
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
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          FrameCodec.decodeMessage(text).forEach(onFrame);
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
