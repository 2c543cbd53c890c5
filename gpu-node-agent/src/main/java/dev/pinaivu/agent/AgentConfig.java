package dev.pinaivu.agent;

import dev.pinaivu.core.money.TokenPrice;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How a node agent joins the network.
 *
 * @param nodeUrl the gateway's WebSocket endpoint for nodes
 * @param price what the node charges, for every model it serves
 * @param capacity how many jobs it runs at once
 * @param modelRefresh how often the backend's model list is re-read and a changed offer re-sent
 * @param trust which coordinator keys the node accepts dispatch tokens from
 * @param reconnect how long it waits between tries to reach the gateway
 */
public record AgentConfig(
    URI nodeUrl,
    TokenPrice price,
    int capacity,
    Duration modelRefresh,
    CoordinatorTrust trust,
    ReconnectPolicy reconnect,
    Handshake handshake) {
  public static final String NODE_PATH = "/v1/nodes/connect";

  /** How the node proves its key to the gateway (docs/node-protocol.md). */
  public enum Handshake {
    /**
     * The gateway's {@code hello} nonce, answered with an {@code auth} frame (the local gateway).
     */
    HELLO,
    /**
     * Headers on the upgrade request, signed over the endpoint and the time (API Gateway's
     * WebSocket API, where no frame can come before the connection exists); the first frame is the
     * offer.
     */
    HEADERS,
    /**
     * No connection: signed HTTPS requests to the serverless deployment's {@code
     * /v1/nodes/exchange}, one of them always long-polling for jobs (ADR 39); the first frame sent
     * is the offer.
     */
    POLL
  }

  public AgentConfig {
    Objects.requireNonNull(reconnect, "reconnect");
    Objects.requireNonNull(handshake, "handshake");
  }

  /** With the local gateway's handshake. */
  public AgentConfig(
      URI nodeUrl,
      TokenPrice price,
      int capacity,
      Duration modelRefresh,
      CoordinatorTrust trust,
      ReconnectPolicy reconnect) {
    this(nodeUrl, price, capacity, modelRefresh, trust, reconnect, Handshake.HELLO);
  }

  /** With the default {@link ReconnectPolicy}. */
  public AgentConfig(
      URI nodeUrl, TokenPrice price, int capacity, Duration modelRefresh, CoordinatorTrust trust) {
    this(nodeUrl, price, capacity, modelRefresh, trust, ReconnectPolicy.DEFAULT);
  }

  /**
   * Accepts what an operator would paste: the gateway's base URL ({@code http://host:8080} or
   * {@code .../v1}) or the WebSocket URL itself.
   */
  /** Where a polling node exchanges frames (ADR 39). */
  public static final String POLL_PATH = "/nodes/exchange";

  /**
   * The exchange URL of a serverless deployment for a polling node: {@code gateway} as given when
   * it names the exchange, else its API base URL ({@code https://<api>/prod/v1}) with {@value
   * #POLL_PATH} after it.
   */
  public static URI pollUrlFor(String gateway) {
    URI uri = URI.create(gateway.strip());
    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
      throw new IllegalArgumentException("a polling node's gateway URL is http(s): " + gateway);
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
    if (!path.endsWith(POLL_PATH)) {
      path = (path.endsWith("/v1") ? path : path + "/v1") + POLL_PATH;
    }
    return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path);
  }

  public static URI nodeUrlFor(String gateway) {
    URI uri = URI.create(gateway.strip());
    String scheme =
        switch (uri.getScheme() == null ? "" : uri.getScheme()) {
          case "http", "ws" -> "ws";
          case "https", "wss" -> "wss";
          default ->
              throw new IllegalArgumentException(
                  "the gateway URL must be http(s) or ws(s): " + gateway);
        };
    String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
    if (path.isEmpty() || path.equals("/v1")) {
      path = NODE_PATH;
    }
    return URI.create(scheme + "://" + uri.getRawAuthority() + path);
  }
}
