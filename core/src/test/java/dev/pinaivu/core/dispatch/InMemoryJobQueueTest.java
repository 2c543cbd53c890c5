package dev.pinaivu.core.dispatch;

import java.time.InstantSource;

class InMemoryJobQueueTest extends JobQueueContract {
  @Override
  protected JobQueue newQueue() {
    return new InMemoryJobQueue(InstantSource.system());
  }
}
