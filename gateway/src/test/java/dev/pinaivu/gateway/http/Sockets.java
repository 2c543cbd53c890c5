package dev.pinaivu.gateway.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bare sockets from chosen loopback addresses, for tests of what the gateway does to them. */
final class Sockets {
  private Sockets() {}

  static InetAddress loopback(String address) {
    try {
      return InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(address, e);
    }
  }

  /** Whether this machine routes all of 127.0.0.0/8 to loopback (Linux does). */
  static boolean canBind(InetAddress address) {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(address, 0));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A TCP connection to the gateway on 127.0.0.1 from {@code from}. */
  static Socket connect(InetAddress from, int port) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(from, 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    return s;
  }

  /**
   * Whether the server closed {@code s} within {@code wait}, reading whatever it sent first: end of
   * stream or a reset within the time; false when the connection is still open after it.
   */
  static boolean closedWithin(Socket s, Duration wait) throws IOException {
    s.setSoTimeout((int) wait.toMillis());
    InputStream in = s.getInputStream();
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      while (in.read() >= 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        s.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  /** Waits until {@code condition} holds, checking every 20 ms; false if it did not in time. */
  static boolean await(BooleanSupplier condition, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }
}
