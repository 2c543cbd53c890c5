package dev.pinaivu.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FrameOutboxTest {
  private static final String JOB = "req_01j9z4kxm8vwqe3t5p6n7r2y0c";

  private static Frame chunk(int seq) {
    return new Frame.Chunk(JOB, seq, Json.object().put("n", seq));
  }

  private static List<Long> seqs(List<String> messages) throws ProtocolException {
    List<Long> out = new ArrayList<>();
    for (String m : messages) {
      for (Frame f : FrameCodec.decodeMessage(m)) {
        out.add(((Frame.Chunk) f).seq());
      }
    }
    return out;
  }

  @Test
  void frames_arriveInOrder_andPileUpsGoOutAsOneMessage() throws Exception {
    List<String> messages = new CopyOnWriteArrayList<>();
    CountDownLatch firstSendStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    FrameOutbox outbox =
        new FrameOutbox(
            text -> {
              firstSendStarted.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                throw new IOException(e);
              }
              messages.add(text);
            },
            e -> {});

    Thread writer = Thread.ofVirtual().start(() -> sendQuietly(outbox, chunk(0)));
    firstSendStarted.await();
    for (int i = 1; i < 100; i++) {
      outbox.send(chunk(i)); // returns at once: the first caller is still writing
    }
    release.countDown();
    writer.join();

    assertThat(seqs(messages)).hasSize(100).isSorted();
    assertThat(messages).hasSize(2);
  }

  @Test
  void idleOutbox_sendsOnTheCallersThread() throws Exception {
    List<String> threads = new CopyOnWriteArrayList<>();
    FrameOutbox outbox =
        new FrameOutbox(text -> threads.add(Thread.currentThread().getName()), e -> {});

    outbox.send(chunk(0));

    assertThat(threads).containsExactly(Thread.currentThread().getName());
  }

  @Test
  void post_neverSendsOnTheCallersThread_andKeepsTheOrder() throws Exception {
    List<String> messages = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    FrameOutbox outbox =
        new FrameOutbox(
            text -> {
              threads.add(Thread.currentThread().getName());
              try {
                release.await();
              } catch (InterruptedException e) {
                throw new IOException(e);
              }
              messages.add(text);
            },
            e -> {});

    outbox.post(chunk(0)); // returns although the send blocks
    Thread later = Thread.ofVirtual().start(() -> sendQuietly(outbox, chunk(1)));
    release.countDown();
    later.join();
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (seqs(messages).size() < 2 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }

    assertThat(seqs(messages)).containsExactly(0L, 1L);
    assertThat(threads).doesNotContain(Thread.currentThread().getName());
  }

  private static void sendQuietly(FrameOutbox outbox, Frame frame) {
    try {
      outbox.send(frame);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void failedSend_isReportedOnce_andLaterSendsAreRefused() throws Exception {
    AtomicInteger failures = new AtomicInteger();
    FrameOutbox outbox =
        new FrameOutbox(
            text -> {
              throw new IOException("broken pipe");
            },
            e -> failures.incrementAndGet());

    outbox.send(chunk(0));

    assertThat(failures).hasValue(1);
    assertThatThrownBy(() -> outbox.send(chunk(1))).isInstanceOf(IOException.class);
  }

  @Test
  void decodeMessage_readsOneOrManyFrames() throws Exception {
    String two = FrameCodec.encode(chunk(0)) + "\n" + FrameCodec.encode(chunk(1));

    assertThat(FrameCodec.decodeMessage(two)).hasSize(2);
    assertThat(FrameCodec.decodeMessage(FrameCodec.encode(chunk(5)))).containsExactly(chunk(5));
    assertThatThrownBy(() -> FrameCodec.decodeMessage("\n\n"))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> FrameCodec.decodeMessage(FrameCodec.encode(chunk(0)) + "\n{bad"))
        .isInstanceOf(ProtocolException.class);
  }

  /** A transport that records each message and the thread it was sent on. */
  private record Recorded(List<String> messages, List<Thread> threads)
      implements FrameOutbox.Transport {
    Recorded() {
      this(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
    }

    @Override
    public void sendText(String text) {
      messages.add(text);
      threads.add(Thread.currentThread());
    }

    void await(int count) throws InterruptedException {
      long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      while (messages.size() < count && System.nanoTime() < end) {
        Thread.sleep(5);
      }
    }
  }

  @Test
  void withALinger_framesSentTogetherGoAsOneMessage_andTheCallerNeverSends() throws Exception {
    Recorded sent = new Recorded();
    FrameOutbox outbox =
        new FrameOutbox(
            sent, e -> {}, new FrameOutbox.Batching(16 * 1024, java.time.Duration.ofSeconds(30)));
    for (int i = 0; i < 10; i++) {
      outbox.send(chunk(i)); // none goes before the linger ends, or the batch fills, or a close
    }
    assertThat(sent.messages()).isEmpty();

    outbox.closeAndFlush(java.time.Duration.ofSeconds(10)); // a close sends what lingers, at once

    assertThat(sent.messages()).singleElement();
    assertThat(seqs(sent.messages())).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(sent.threads()).doesNotContain(Thread.currentThread());
  }

  @Test
  void withALinger_aFullBatchGoesAtOnce_withinTheMessageSize() throws Exception {
    Recorded sent = new Recorded();
    int max = 2_000;
    FrameOutbox outbox =
        new FrameOutbox(
            sent, e -> {}, new FrameOutbox.Batching(max, java.time.Duration.ofSeconds(30)));
    int frames = 0;
    int chars = 0;
    while (chars < 3 * max) {
      Frame frame = chunk(frames++);
      chars += FrameCodec.encode(frame).length() + 1;
      outbox.send(frame);
    }

    sent.await(2); // two full batches, long before the 30 s linger

    assertThat(sent.messages()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(sent.messages()).allSatisfy(m -> assertThat(m.length()).isLessThanOrEqualTo(max));
    outbox.closeAndFlush(java.time.Duration.ofSeconds(10));
    assertThat(seqs(sent.messages())).hasSize(frames).isSorted();
  }

  @Test
  void withALinger_aFrameSentNow_endsTheLinger_forItAndWhatWaitsWithIt() throws Exception {
    Recorded sent = new Recorded();
    FrameOutbox outbox =
        new FrameOutbox(
            sent, e -> {}, new FrameOutbox.Batching(16 * 1024, java.time.Duration.ofSeconds(30)));
    outbox.send(chunk(0));
    outbox.send(chunk(1));
    outbox.sendTextNow(FrameCodec.encode(chunk(2))); // e.g. a job's end: nobody waits 30 s

    sent.await(1);

    assertThat(seqs(sent.messages())).containsExactly(0L, 1L, 2L);
    outbox.close();
  }
}
