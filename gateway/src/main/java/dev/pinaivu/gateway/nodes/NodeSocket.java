package dev.pinaivu.gateway.nodes;

import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.websocket.api.Callback;

/** The WebSocket endpoint node agents connect to; it only translates Jetty events for the hub. */
public final class NodeSocket {
  /** Large enough for a non-streamed answer with long output; anything bigger is refused. */
  public static final long MAX_FRAME_BYTES = 16L * 1024 * 1024;

  private static final long SEND_TIMEOUT_MS = 30_000;
  private final NodeHub hub;
  private final Map<String, NodeSession> sessions = new ConcurrentHashMap<>();

  public NodeSocket(NodeHub hub) {
    this.hub = hub;
  }

  public void configure(WsConfig ws) {
    ws.onConnect(ctx -> {
      ctx.session.setIdleTimeout(Duration.ofMillis(hub.heartbeatIntervalMs() * 4));
      sessions.put(ctx.sessionId(), hub.open(new JettyOutbound(ctx)));
    });
    ws.onMessage(ctx -> {
      NodeSession session = sessions.get(ctx.sessionId());
      if (session != null) {
        hub.onText(session, ctx.message());
      }
    });
    ws.onClose(ctx -> {
      NodeSession session = sessions.remove(ctx.sessionId());
      if (session != null) {
        hub.onClose(session, "closed (" + ctx.status() + ")");
      }
    });
    ws.onError(ctx -> {
      NodeSession session = sessions.remove(ctx.sessionId());
      if (session != null) {
        Throwable error = ctx.error();
        hub.onClose(session, "error: " + (error == null ? "unknown" : error.getMessage()));
      }
    });
  }

  private record JettyOutbound(WsContext ctx) implements Outbound {
    @Override
    public void send(String text) throws IOException {
      Callback.Completable done = new Callback.Completable();
      ctx.session.sendText(text, done);
      try {
        done.get(SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while sending", e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException("send failed: " + e, e);
      }
    }

    @Override
    public void close(int code, String reason) {
      ctx.session.close(code, reason, Callback.NOOP);
    }

    @Override
    public String address() {
      return SourceAddress.of(ctx.session.getRemoteSocketAddress());
    }
  }
}
