package dev.pinaivu.gateway.connections;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's one HTTP/1.1 connector, with the {@link ClientLimits} on it: the process-wide and
 * per-address connection caps, the request-head deadline and the idle timeout.
 */
public final class GatewayConnector {
  private static final Logger log = LoggerFactory.getLogger(GatewayConnector.class);

  /**
   * The JDK's default backlog of 50 drops connections when thousands of clients connect at once;
   * Linux caps this at net.core.somaxconn.
   */
  private static final int ACCEPT_BACKLOG = 4096;

  private GatewayConnector() {}

  public static ServerConnector create(
      Server server, HttpConfiguration http, String host, int port, ClientLimits limits) {
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    connector.setAcceptQueueSize(ACCEPT_BACKLOG);
    connector.setIdleTimeout(limits.idleTimeout().toMillis());
    HeaderDeadline headers = new HeaderDeadline(connector, limits.headerTimeout());
    http.addCustomizer(headers);
    connector.addEventListener(headers);
    connector.addEventListener(new AddressConnectionLimit(limits.connectionsPerAddress()));
    long maxFds = maxFileDescriptors();
    int cap = limits.connectionsUnder(maxFds);
    if (cap < limits.connections()) {
      log.info(
          "at most {} connections at once: 80% of the file-descriptor limit {} (ulimit -n)",
          cap, maxFds);
    }
    server.addBean(new ProcessConnectionLimit(cap, connector));
    return connector;
  }

  /** This process's file-descriptor limit ({@code ulimit -n}); 0 when the JVM cannot tell. */
  static long maxFileDescriptors() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return 0;
  }
}
