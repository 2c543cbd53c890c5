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
 *
 * <p>Through API Gateway's WebSocket API every message costs an invocation of the receiving
 * function, so there a connection batches by time as well ({@link Batching#WEBSOCKET_API}): the
 * first frame waits up to the linger for others (a writer thread waits, never the caller), and a
 * batch goes at once when it is full (ADR 27).
 */
public final class FrameOutbox implements AutoCloseable {
  /** Sends one text message and returns once it has been written. */
  @FunctionalInterface
  public interface Transport {
    void sendText(String text) throws IOException;
  }

  static final int MAX_QUEUED_CHARS = 8 * 1024 * 1024;

  /**
   * How frames are gathered into messages.
   *
   * @param maxChars a message holds at most this many characters (a single larger frame goes alone)
   * @param linger how long the first frame of a message waits for more (zero: not at all)
   */
  public record Batching(int maxChars, java.time.Duration linger) {
    /** The local gateway: whatever piled up during the previous send, up to 1 M characters. */
    public static final Batching LOCAL = new Batching(1024 * 1024, java.time.Duration.ZERO);

    /**
     * API Gateway's WebSocket API: every 25 ms or 16 K characters, well inside its 128 KB message
     * limit (ADR 27).
     */
    public static final Batching WEBSOCKET_API =
        new Batching(16 * 1024, java.time.Duration.ofMillis(25));
  }

  private final Transport transport;
  private final Consumer<IOException> onFailure;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  private final Condition more = lock.newCondition();
  private final Batching batching;
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private int queuedChars;
  private boolean writing;
  private boolean closed;
  private boolean failed;
  private boolean urgent; // a frame someone waits on is queued: no linger

  /**
   * @param onFailure told once when a send fails; the connection is then unusable
   */
  public FrameOutbox(Transport transport, Consumer<IOException> onFailure) {
    this(transport, onFailure, Batching.LOCAL);
  }

  public FrameOutbox(Transport transport, Consumer<IOException> onFailure, Batching batching) {
    this.transport = transport;
    this.onFailure = onFailure;
    this.batching = batching;
  }

  private boolean lingers() {
    return !batching.linger().isZero();
  }

  public void send(Frame frame) throws IOException {
    sendText(FrameCodec.encode(frame));
  }

  /** Sends a frame already encoded (one line, no line feed). */
  public void sendText(String text) throws IOException {
    sendText(text, false);
  }

  /**
   * As {@link #sendText(String)}, and ends a linger: this frame and what waits with it go now (for
   * the frames someone waits on: a job's accept, its first output, its end, its proof).
   */
  public void sendTextNow(String text) throws IOException {
    sendText(text, true);
  }

  private void sendText(String text, boolean now) throws IOException {
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
      urgent |= now;
      if (writing) {
        if (urgent || queuedChars >= batching.maxChars()) {
          more.signalAll(); // a lingering writer sends now
        }
        return; // the current writer will send it
      }
      writing = true;
    } finally {
      lock.unlock();
    }
    if (lingers()) {
      Thread.ofVirtual().name("frame-writer").start(this::writeQueued); // the caller never waits
    } else {
      writeQueued();
    }
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
        if (queuedChars >= batching.maxChars()) {
          more.signalAll();
        }
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
        linger();
        urgent = false;
        batch.setLength(0);
        while (!queue.isEmpty()
            && (batch.isEmpty() || batch.length() + queue.peek().length() < batching.maxChars())) {
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

  /** Waits, holding no frame back past the linger, for a fuller batch; the lock is held. */
  private void linger() {
    long left = batching.linger().toNanos();
    while (left > 0 && !closed && !urgent && queuedChars < batching.maxChars()) {
      try {
        left = more.awaitNanos(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
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
      more.signalAll(); // what lingers goes now
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
      more.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
