package dev.pinaivu.agent;

import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.NodeProtocol;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The upgrade request's headers of the {@code HEADERS} handshake (an API Gateway WebSocket API's
 * {@code $connect}, docs/node-protocol.md): the node's key and a signature over the endpoint (host
 * and path) and the time, good for a minute and once.
 */
public final class ConnectHeaders {
  private ConnectHeaders() {}

  /** The headers {@code key} opens a connection to {@code url} with at {@code nowMs}. */
  public static Map<String, String> of(NodeKey key, URI url, long nowMs, List<String> apis) {
    String endpoint = url.getHost() + (url.getPath() == null ? "" : url.getPath());
    return signed(key, NodeProtocol.connectChallenge(endpoint, nowMs), nowMs, apis);
  }

  /**
   * The node's key headers with its signature over {@code challenge}, issued at {@code issuedAt}:
   * those of {@code $connect}, and of every request of a polling node (ADR 39).
   */
  static Map<String, String> signed(
      NodeKey key, String challenge, long issuedAt, List<String> apis) {
    return Map.of(
        "X-Pinaivu-Protocol", Integer.toString(Frame.PROTOCOL_VERSION),
        "X-Pinaivu-Node-Id", key.id().value(),
        "X-Pinaivu-Public-Key", B64.encode(key.publicKey()),
        "X-Pinaivu-Issued-At", Long.toString(issuedAt),
        "X-Pinaivu-Signature", B64.encode(key.signChallenge(challenge)),
        "X-Pinaivu-Apis", String.join(",", apis));
  }
}
