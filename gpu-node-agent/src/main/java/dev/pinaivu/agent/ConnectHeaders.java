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
    return Map.of(
        "X-Pinaivu-Protocol", Integer.toString(Frame.PROTOCOL_VERSION),
        "X-Pinaivu-Node-Id", key.id().value(),
        "X-Pinaivu-Public-Key", B64.encode(key.publicKey()),
        "X-Pinaivu-Issued-At", Long.toString(nowMs),
        "X-Pinaivu-Signature",
            B64.encode(key.signChallenge(NodeProtocol.connectChallenge(endpoint, nowMs))),
        "X-Pinaivu-Apis", String.join(",", apis));
  }
}
