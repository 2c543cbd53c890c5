package dev.pinaivu.core.protocol;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The sending side of one node connection, for many threads at once. A caller that finds nobody
 * writing becomes the writer and sends its frame at once, on its own thread (no hand-off). Callers
 * that arrive while a send is in progress only enqueue and return; the writer then sends everything
 * that piled up as one WebSocket message, frames separated by a line feed (see
 * docs/node-protocol.md). So an idle connection costs one send per frame, and a busy one turns
 * hundreds of small sends into a few large ones. Callers block only while more than {@value
 * #MAX_QUEUED_CHARS} characters are waiting.
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
  private final Condition idle = lock.newCondition();
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private int queuedChars;
  private boolean writing;
  private boolean closed;
  private boolean failed;

  /**
   * @param onFailure told once when a send fails; the connection is then unusable
   */
  public FrameOutbox(Transport transport, Consumer<IOException> onFailure) {
    this.transport = transport;
    this.onFailure = onFailure;
  }

  public void send(Frame frame) throws IOException {
    sendText(FrameCodec.encode(frame));
  }

  /** Sends a frame already encoded (one line, no line feed). */
  public void sendText(String text) throws IOException {
    lock.lock();
    try {
      while (!closed && writing && queuedChars > MAX_QUEUED_CHARS) {
        idle.awaitUninterruptibly();
      }
      if (closed) {
        throw new IOException("connection closed");
      }
      queue.add(text);
      queuedChars += text.length();
      if (writing) {
        return; // the current writer will send it
      }
      writing = true;
    } finally {
      lock.unlock();
    }
    writeQueued();
  }

  /**
   * Queues a frame and returns without ever sending on the caller's thread (a virtual thread
   * becomes the writer when nobody is writing), for a caller that must not wait on a slow peer. A
   * frame sent after this returns goes out after it.
   */
  public void post(Frame frame) throws IOException {
    String text = FrameCodec.encode(frame);
    lock.lock();
    try {
      if (closed) {
        throw new IOException("connection closed");
      }
      queue.add(text);
      queuedChars += text.length();
      if (writing) {
        return;
      }
      writing = true;
    } finally {
      lock.unlock();
    }
    Thread.ofVirtual().name("frame-writer").start(this::writeQueued);
  }

  /** Runs on the thread that became the writer, until the queue is empty. */
  private void writeQueued() {
    StringBuilder batch = new StringBuilder();
    while (true) {
      lock.lock();
      try {
        if (queue.isEmpty() || failed) {
          writing = false;
          idle.signalAll();
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
        idle.signalAll();
      } finally {
        lock.unlock();
      }
      try {
        transport.sendText(batch.toString());
      } catch (IOException e) {
        fail(e);
      }
    }
  }

  private void fail(IOException e) {
    lock.lock();
    try {
      if (failed) {
        return;
      }
      failed = true;
      closed = true;
      queue.clear();
      queuedChars = 0;
    } finally {
      lock.unlock();
    }
    onFailure.accept(e);
  }

  /**
   * Stops accepting frames and waits (up to {@code timeout}) until what was queued has been sent.
   */
  public void closeAndFlush(java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      closed = true;
      while (writing && System.nanoTime() < deadline) {
        idle.awaitNanos(deadline - System.nanoTime());
      }
    } finally {
      lock.unlock();
    }
  }

  /** Stops accepting frames; a send in progress finishes what is queued. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      idle.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
