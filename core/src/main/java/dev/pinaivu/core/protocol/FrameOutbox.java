package dev.pinaivu.core.protocol;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The sending side of one node connection. Callers enqueue frames and return at once; one writer
 * thread sends them in order, and frames that queued up while it was busy go out together as one
 * WebSocket message (frames separated by a line feed, see docs/node-protocol.md). Under load this
 * turns hundreds of small sends into a few large ones; when idle, each frame goes out alone and at
 * once. Callers block only when {@value #MAX_QUEUED_CHARS} characters are waiting.
 */
public final class FrameOutbox implements AutoCloseable {
  /** Sends one text message and returns once it has been written. */
  @FunctionalInterface
  public interface Transport {
    void sendText(String text) throws IOException;
  }

  static final int MAX_QUEUED_CHARS = 8 * 1024 * 1024;
  private static final int MAX_BATCH_CHARS = 1024 * 1024;

  private final Transport transport;
  private final Consumer<IOException> onFailure;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final Condition room = lock.newCondition();
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private final java.util.concurrent.CountDownLatch drained =
      new java.util.concurrent.CountDownLatch(1);
  private int queuedChars;
  private boolean closed;

  /**
   * @param onFailure told once when a send fails; the connection is then unusable
   */
  public FrameOutbox(String name, Transport transport, Consumer<IOException> onFailure) {
    this.transport = transport;
    this.onFailure = onFailure;
    Thread.ofVirtual()
        .name("outbox-" + name)
        .start(() -> {
          try {
            writeLoop();
          } finally {
            drained.countDown();
          }
        });
  }

  public void send(Frame frame) throws IOException {
    String text = FrameCodec.encode(frame);
    lock.lock();
    try {
      while (!closed && queuedChars > MAX_QUEUED_CHARS) {
        room.awaitUninterruptibly();
      }
      if (closed) {
        throw new IOException("connection closed");
      }
      queue.add(text);
      queuedChars += text.length();
      work.signal();
    } finally {
      lock.unlock();
    }
  }

  private void writeLoop() {
    StringBuilder batch = new StringBuilder();
    while (true) {
      lock.lock();
      try {
        while (queue.isEmpty() && !closed) {
          work.awaitUninterruptibly();
        }
        if (queue.isEmpty()) {
          return;
        }
        batch.setLength(0);
        while (!queue.isEmpty()
            && (batch.isEmpty() || batch.length() + queue.peek().length() < MAX_BATCH_CHARS)) {
          String next = queue.poll();
          queuedChars -= next.length();
          if (!batch.isEmpty()) {
            batch.append('\n');
          }
          batch.append(next);
        }
        room.signalAll();
      } finally {
        lock.unlock();
      }
      try {
        transport.sendText(batch.toString());
      } catch (IOException e) {
        close();
        onFailure.accept(e);
        return;
      }
    }
  }

  /** Waits until everything queued before {@link #close()} has been sent (or sending failed). */
  public boolean awaitDrained(java.time.Duration timeout) throws InterruptedException {
    return drained.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Stops accepting frames; frames already queued are still sent. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      work.signalAll();
      room.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
