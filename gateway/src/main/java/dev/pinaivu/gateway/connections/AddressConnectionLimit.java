package dev.pinaivu.gateway.connections;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.websocket.core.WebSocketConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the open HTTP connections of each client address: one over the cap is closed as soon as it
 * opens, so one client cannot take the process's connections from the others. An IPv6 client is
 * counted by its /64, the block one host usually holds.
 *
 * <p>A connection upgraded to WebSocket (a node agent) stops counting: Jetty closes its HTTP
 * connection at the upgrade. Many nodes may share one address (a test machine, a NAT, one operator
 * with many GPUs), and the nodes' own limits are their authentication and heartbeats; the
 * process-wide cap still counts them.
 */
final class AddressConnectionLimit implements Connection.Listener {
  private static final Logger log = LoggerFactory.getLogger(AddressConnectionLimit.class);

  private final int max;
  private final Map<String, Integer> open = new ConcurrentHashMap<>();

  /** The address each counted connection was counted under: a closed one no longer tells it. */
  private final Map<Connection, String> counted = new ConcurrentHashMap<>();

  private final Set<String> capped = ConcurrentHashMap.newKeySet();

  AddressConnectionLimit(int max) {
    this.max = max;
  }

  @Override
  public void onOpened(Connection connection) {
    String client = clientOf(connection);
    if (client == null) {
      return;
    }
    counted.put(connection, client);
    int count = open.merge(client, 1, Integer::sum);
    if (count > max) {
      if (capped.add(client)) {
        log.warn(
            "client {} has {} connections open, the most one address may: more are closed",
            client,
            max);
      }
      connection.getEndPoint().close(); // its onClosed gives the count back
    }
  }

  @Override
  public void onClosed(Connection connection) {
    String client = counted.remove(connection);
    if (client == null) {
      return;
    }
    open.computeIfPresent(client, (c, count) -> count <= 1 ? null : count - 1);
    if (!open.containsKey(client)) {
      capped.remove(client);
    }
  }

  /** The address a connection is counted under; null for those not counted. */
  private static String clientOf(Connection connection) {
    if (connection instanceof WebSocketConnection) {
      return null;
    }
    SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
    if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
      return null;
    }
    return key(inet.getAddress());
  }

  static String key(InetAddress address) {
    if (address instanceof Inet6Address) {
      byte[] prefix = new byte[8];
      System.arraycopy(address.getAddress(), 0, prefix, 0, 8);
      return HexFormat.of().formatHex(prefix) + "::/64";
    }
    return address.getHostAddress();
  }
}
