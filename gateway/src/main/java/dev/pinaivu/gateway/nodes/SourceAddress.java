package dev.pinaivu.gateway.nodes;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HexFormat;

/**
 * The key a node's source address is counted under: an IPv4 address as it is, an IPv6 address by
 * its /64 prefix (one host is usually given a whole /64, so counting single addresses would count
 * nothing).
 */
final class SourceAddress {
  private SourceAddress() {}

  static String of(SocketAddress remote) {
    if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
      return "unknown";
    }
    return of(inet.getAddress());
  }

  static String of(InetAddress address) {
    if (address instanceof Inet6Address v6 && !v6.isLoopbackAddress()) {
      byte[] bytes = v6.getAddress();
      HexFormat hex = HexFormat.of();
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < 8; i += 2) {
        out.append(hex.toHexDigits(bytes[i])).append(hex.toHexDigits(bytes[i + 1])).append(':');
      }
      return out.append(":/64").toString();
    }
    return address.getHostAddress();
  }
}
