package dev.pinaivu.core.billing;

import dev.pinaivu.core.id.RequestId;

/**
 * Port: a durable reminder to complete an owed settlement later, outside the process that kept it
 * (ADR 36). The serverless chat function queues one for every settlement it keeps, so that an
 * invocation that dies before it settles still gets its request billed by the settle function; the
 * reminder carries only the request id, and the owed item stays the truth. A reminder may arrive
 * more than once or after the settlement was completed: completing is idempotent by request id.
 */
public interface SettleQueue {
  /**
   * Queues a reminder for {@code requestId}.
   *
   * @throws SettleQueueUnavailableException when the queue did not take it (the sweep is then the
   *     only way the settlement is completed if this process dies)
   */
  void remind(RequestId requestId);
}
