package dev.pinaivu.functions.nodes;

import dev.pinaivu.functions.AwsClients;
import java.net.URI;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/**
 * {@link NodeLinks} through API Gateway's management API for one WebSocket API stage ({@code
 * https://<domain>/<stage>}). A failure other than a gone connection is an {@link
 * IllegalStateException} naming the call: the invocation fails and API Gateway reports it.
 */
public final class ManagementApiLinks implements NodeLinks {
  private final ApiGatewayManagementApiClient client;

  public ManagementApiLinks(ApiGatewayManagementApiClient client) {
    this.client = client;
  }

  /** A client for the stage at {@code endpoint}, e.g. {@code https://abc.execute-api.../prod}. */
  public static ManagementApiLinks forStage(String region, URI endpoint) {
    return new ManagementApiLinks(
        AwsClients.create(ApiGatewayManagementApiClient.builder(), region, endpoint));
  }

  /**
   * A client for the management API of the WebSocket API stage whose URL nodes connect to, {@code
   * wss://<domain>/<stage>} ({@code ws://} in tests: the management API on {@code http://}).
   *
   * @throws IllegalStateException when {@code socket} is not a ws(s) URL
   */
  public static ManagementApiLinks forSocketUrl(String region, URI socket) {
    if (!"wss".equals(socket.getScheme()) && !"ws".equals(socket.getScheme())) {
      throw new IllegalStateException("not a ws(s):// URL: " + socket);
    }
    return forStage(
        region,
        URI.create(
            ("wss".equals(socket.getScheme()) ? "https://" : "http://")
                + socket.getRawAuthority()
                + socket.getRawPath()));
  }

  @Override
  public boolean sendText(String connectionId, String text) {
    try {
      client.postToConnection(
          b -> b.connectionId(connectionId).data(SdkBytes.fromUtf8String(text)));
      return true;
    } catch (GoneException e) {
      return false;
    } catch (SdkException e) {
      throw new IllegalStateException("post to connection " + connectionId + ": " + e, e);
    }
  }

  @Override
  public void close(String connectionId) {
    try {
      client.deleteConnection(b -> b.connectionId(connectionId));
    } catch (GoneException e) {
      // closed already
    } catch (SdkException e) {
      throw new IllegalStateException("delete connection " + connectionId + ": " + e, e);
    }
  }
}
