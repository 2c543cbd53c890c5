package dev.pinaivu.testkit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The most recent requests (bounded, so a long benchmark does not fill the heap) and counters. */
final class RequestLog {

  private final int limit;
  private final Deque<RecordedRequest> recent = new ArrayDeque<>();
  private final AtomicInteger activeChats = new AtomicInteger();
  private final AtomicLong chats = new AtomicLong();
  private final AtomicLong clientDisconnects = new AtomicLong();

  RequestLog(int limit) {
    this.limit = limit;
  }

  void started(RecordedRequest request) {
    if (limit > 0) {
      synchronized (recent) {
        recent.addLast(request);
        if (recent.size() > limit) {
          recent.removeFirst();
        }
      }
    }
    if (request.isChatCompletion()) {
      chats.incrementAndGet();
      activeChats.incrementAndGet();
    }
  }

  /** Counters first, then the outcome, so whoever awaits the outcome sees updated counters. */
  void finished(RecordedRequest request, RequestOutcome outcome) {
    if (request.isChatCompletion()) {
      activeChats.decrementAndGet();
    }
    if (outcome == RequestOutcome.CLIENT_DISCONNECTED) {
      clientDisconnects.incrementAndGet();
    }
    request.finish(outcome);
  }

  List<RecordedRequest> recent() {
    synchronized (recent) {
      return List.copyOf(recent);
    }
  }

  void clear() {
    synchronized (recent) {
      recent.clear();
    }
  }

  int activeChats() {
    return activeChats.get();
  }

  long chats() {
    return chats.get();
  }

  long clientDisconnects() {
    return clientDisconnects.get();
  }
}
