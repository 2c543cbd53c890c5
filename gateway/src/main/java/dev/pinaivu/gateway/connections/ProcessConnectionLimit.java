package dev.pinaivu.gateway.connections;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's {@link NetworkConnectionLimit}, but over the cap a new connection is closed at once
 * instead of the server ceasing to accept: a paused acceptor leaves clients waiting unseen in the
 * kernel's queue, while a closed connection tells them now. Idle connections free their slots
 * within the header deadline, so the cap clears by itself.
 */
final class ProcessConnectionLimit extends NetworkConnectionLimit {
  private static final Logger log = LoggerFactory.getLogger(ProcessConnectionLimit.class);

  ProcessConnectionLimit(int max, Connector connector) {
    super(max, connector);
  }

  @Override
  protected void limit() {
    log.warn(
        "{} connections are open, the most this gateway takes: new ones are closed until some"
            + " close",
        getMaxNetworkConnectionCount());
  }

  @Override
  protected void unlimit() {
    log.info("below {} open connections again", getMaxNetworkConnectionCount());
  }
}
