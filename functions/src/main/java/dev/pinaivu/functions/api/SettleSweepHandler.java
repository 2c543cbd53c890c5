package dev.pinaivu.functions.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.pinaivu.core.billing.RequestSettler;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sweep of owed settlements (ADR 7, 27), run every minute by an EventBridge schedule: a chat
 * invocation keeps a settlement durably ({@code OWED}) before the client's last bytes and settles
 * it before it ends; one that died in between (killed, timed out, the coordinator unreachable)
 * leaves it owed, and this completes it, as the local gateway's retries do. Every step is
 * idempotent by request id, so a settlement the request path also finishes is billed once.
 */
public final class SettleSweepHandler implements RequestHandler<ScheduledEvent, Integer> {
  /**
   * Owed for longer than this: the request path has given up on it (it waits 30 s for the node's
   * proof and retries the coordinator three times), and so, normally, has the settle queue's first
   * redeliveries (ADR 36): the sweep is the backstop for a reminder lost or dead-lettered.
   */
  static final Duration AGE = Duration.ofMinutes(10);

  private static final Logger log = LoggerFactory.getLogger(SettleSweepHandler.class);

  private final RequestSettler settler;
  private final Duration age;

  /** What the runtime calls, once per execution environment: settlements, not the chat. */
  public SettleSweepHandler() {
    this(ServerlessChat.sharedSettler(), AGE);
  }

  /** A sweep of {@code network}'s settlements owed for at least {@code age}. */
  public SettleSweepHandler(ServerlessChat network, Duration age) {
    this(network.settler(), age);
  }

  SettleSweepHandler(RequestSettler settler, Duration age) {
    this.settler = settler;
    this.age = age;
  }

  /**
   * @return how many owed settlements were completed
   */
  @Override
  public Integer handleRequest(ScheduledEvent event, Context context) {
    int completed = settler.retryOwed(age);
    if (completed > 0) {
      log.info("{} owed settlement(s) completed", completed);
    }
    return completed;
  }
}
