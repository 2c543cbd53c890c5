package dev.pinaivu.cli;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Test stand-in for an API Gateway WebSocket API stage on loopback, not AWS: it accepts WebSocket
 * connections on {@code /prod}, turns each upgrade, message and close into the {@code $connect},
 * {@code $default} and {@code $disconnect} events the Lambda integration receives and invokes the
 * handler with them (a {@code $connect} answered other than 200 closes the connection with 1008,
 * where API Gateway would refuse the upgrade), and serves the stage's management API ({@code POST}
 * and {@code DELETE /prod/@connections/{id}}) that the handler answers nodes through, 410 for a
 * connection that is not open and 413 for a message over the API's limit of 128 KB.
 */
final class ApiGatewayWebSocketStandIn implements AutoCloseable {
  static final String STAGE = "prod";

  /** API Gateway's limit on one message of a WebSocket API. */
  static final int MAX_MESSAGE_BYTES = 128 * 1024;

  private final Javalin app;
  private final Map<String, WsContext> open = new ConcurrentHashMap<>();
  private final Map<String, String> idBySession = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> messages = new ConcurrentHashMap<>();
  private final Function<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> handler;

  ApiGatewayWebSocketStandIn(
      Function<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> handler) {
    this.handler = handler;
    this.app =
        Javalin.create(
                cfg -> {
                  cfg.startup.showJavalinBanner = false;
                  cfg.routes.ws(
                      "/" + STAGE,
                      ws -> {
                        ws.onConnect(ctx -> {
                          String id = UUID.randomUUID().toString().substring(0, 12) + "=";
                          APIGatewayV2WebSocketEvent event = event("$connect", "CONNECT", id);
                          event.setHeaders(new HashMap<>(ctx.headerMap()));
                          APIGatewayV2WebSocketResponse answer = handler.apply(event);
                          if (answer.getStatusCode() != 200) {
                            ctx.closeSession(1008, String.valueOf(answer.getBody()));
                            return;
                          }
                          idBySession.put(ctx.sessionId(), id);
                          open.put(id, ctx);
                        });
                        ws.onMessage(ctx -> {
                          String id = idBySession.get(ctx.sessionId());
                          if (id != null) {
                            messages
                                .computeIfAbsent(id, k -> new AtomicInteger())
                                .incrementAndGet();
                            APIGatewayV2WebSocketEvent event = event("$default", "MESSAGE", id);
                            event.setBody(ctx.message());
                            handler.apply(event);
                          }
                        });
                        ws.onClose(ctx -> disconnected(ctx.sessionId()));
                        ws.onError(ctx -> disconnected(ctx.sessionId()));
                      });
                  cfg.routes.post(
                      "/" + STAGE + "/@connections/{id}",
                      ctx -> {
                        WsContext to = open.get(ctx.pathParam("id"));
                        if (to == null) {
                          ctx.status(410).result("{\"message\":\"GoneException\"}");
                          return;
                        }
                        if (ctx.bodyAsBytes().length > MAX_MESSAGE_BYTES) {
                          ctx.status(413).result("{\"message\":\"PayloadTooLargeException\"}");
                          return;
                        }
                        to.send(ctx.body());
                        ctx.status(200);
                      });
                  cfg.routes.delete(
                      "/" + STAGE + "/@connections/{id}",
                      ctx -> {
                        WsContext to = open.remove(ctx.pathParam("id"));
                        if (to == null) {
                          ctx.status(410).result("{\"message\":\"GoneException\"}");
                          return;
                        }
                        to.closeSession(1000, "closed by the integration");
                        ctx.status(204);
                      });
                })
            .start("127.0.0.1", 0);
  }

  /** Where node agents connect: {@code ws://127.0.0.1:<port>/prod}. */
  URI nodeUrl() {
    return URI.create("ws://127.0.0.1:" + app.port() + "/" + STAGE);
  }

  /** How many messages (each one {@code $default} invocation on AWS) a connection has sent. */
  int messagesFrom(String connectionId) {
    AtomicInteger count = messages.get(connectionId);
    return count == null ? 0 : count.get();
  }

  /** The stage's management API, as {@code ManagementApiLinks.forStage} takes it. */
  URI managementApi() {
    return URI.create("http://127.0.0.1:" + app.port() + "/" + STAGE);
  }

  /** The endpoint a node signs and the handler checks: the domain (no port) and the stage. */
  static String endpoint() {
    return "127.0.0.1/" + STAGE;
  }

  private void disconnected(String sessionId) {
    String id = idBySession.remove(sessionId);
    if (id != null) {
      open.remove(id);
      handler.apply(event("$disconnect", "DISCONNECT", id));
    }
  }

  private static APIGatewayV2WebSocketEvent event(String route, String type, String id) {
    APIGatewayV2WebSocketEvent.RequestContext context =
        new APIGatewayV2WebSocketEvent.RequestContext();
    context.setRouteKey(route);
    context.setEventType(type);
    context.setConnectionId(id);
    context.setDomainName("127.0.0.1");
    context.setStage(STAGE);
    context.setConnectedAt(System.currentTimeMillis());
    context.setRequestTimeEpoch(System.currentTimeMillis());
    APIGatewayV2WebSocketEvent event = new APIGatewayV2WebSocketEvent();
    event.setRequestContext(context);
    event.setHeaders(Map.of());
    return event;
  }

  @Override
  public void close() {
    app.stop();
  }
}
