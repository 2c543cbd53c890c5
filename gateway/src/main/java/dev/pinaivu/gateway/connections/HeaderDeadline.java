package dev.pinaivu.gateway.connections;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.core.WebSocketConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deadline for every request head: an HTTP connection that has not delivered a whole request head
 * within the time, counted from its opening or from the end of its previous request, is closed.
 * Jetty's idle timeout restarts at every byte, so a client trickling a header byte at a time would
 * otherwise hold its connection for ever; idle keep-alive connections end at the deadline too.
 *
 * <p>A connection listener arms the deadline; the customizer, which Jetty calls once a request's
 * head is parsed, disarms it until the request completes.
 */
final class HeaderDeadline implements Connection.Listener, HttpConfiguration.Customizer {
  private static final Logger log = LoggerFactory.getLogger(HeaderDeadline.class);

  private final Connector connector;
  private final long timeoutMs;
  private final Map<Connection, Watch> watches = new ConcurrentHashMap<>();

  HeaderDeadline(Connector connector, Duration timeout) {
    this.connector = connector;
    this.timeoutMs = timeout.toMillis();
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof WebSocketConnection) {
      return; // a node's socket: its heartbeats keep it honest
    }
    Watch watch = new Watch(connection);
    watches.put(connection, watch);
    watch.arm();
  }

  @Override
  public void onClosed(Connection connection) {
    Watch watch = watches.remove(connection);
    if (watch != null) {
      watch.close(); // also at a WebSocket upgrade: the socket is no longer this connection's
    }
  }

  @Override
  public Request customize(Request request, HttpFields.Mutable responseHeaders) {
    Watch watch = watches.get(request.getConnectionMetaData().getConnection());
    if (watch != null) {
      watch.requestStarted();
      Request.addCompletionListener(request, failure -> watch.requestEnded());
    }
    return request;
  }

  /** The deadline of one connection. */
  private final class Watch {
    private final Connection connection;
    private Scheduler.Task task;
    private int requests;
    private boolean closed;

    Watch(Connection connection) {
      this.connection = connection;
    }

    synchronized void arm() {
      if (!closed && requests == 0) {
        task = connector.getScheduler().schedule(this::expire, timeoutMs, TimeUnit.MILLISECONDS);
      }
    }

    synchronized void requestStarted() {
      requests++;
      cancel();
    }

    void requestEnded() {
      synchronized (this) {
        requests--;
      }
      arm();
    }

    synchronized void close() {
      closed = true;
      cancel();
    }

    private void cancel() {
      if (task != null) {
        task.cancel();
        task = null;
      }
    }

    private void expire() {
      synchronized (this) {
        if (closed || requests > 0 || connection.getEndPoint().getConnection() != connection) {
          return;
        }
      }
      log.debug("no request head within {} ms from {}; closing", timeoutMs, connection);
      // the endpoint, not the connection: closing an HTTP connection mid-head answers a 500
      connection.getEndPoint().close(new TimeoutException("no request head in time"));
    }
  }
}
