package dev.pinaivu.functions.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.pinaivu.core.billing.RequestSettler;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.functions.queue.SqsSettleQueue;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settle function (ADR 36): reminders from the settle queue, each completing the settlement
 * owed under its request id if one still is. The request path normally completed it already, and
 * then nothing happens beyond one read. A reminder whose settlement is still owed (the coordinator
 * unreachable) or that fails is reported back as a batch item failure, so SQS delivers it again
 * after the visibility timeout and, after the queue's fifth receive, moves it to the dead-letter
 * queue, whose depth raises the alarm; the sweep keeps completing what is owed meanwhile. A body
 * that is no reminder goes the same way: a message that cannot be understood is kept for a person,
 * not dropped.
 */
public final class SettleQueueHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private static final Logger log = LoggerFactory.getLogger(SettleQueueHandler.class);

  private final RequestSettler settler;

  /** What the runtime calls, once per execution environment: settlements, not the chat. */
  public SettleQueueHandler() {
    this(ServerlessChat.sharedSettler());
  }

  public SettleQueueHandler(ServerlessChat network) {
    this(network.settler());
  }

  SettleQueueHandler(RequestSettler settler) {
    this.settler = settler;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    List<SQSEvent.SQSMessage> records = event.getRecords() == null ? List.of() : event.getRecords();
    for (SQSEvent.SQSMessage message : records) {
      if (!completed(message)) {
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
      }
    }
    return new SQSBatchResponse(failures);
  }

  /** False when the reminder must come again. */
  private boolean completed(SQSEvent.SQSMessage message) {
    RequestId requestId;
    try {
      requestId = SqsSettleQueue.requestId(message.getBody());
    } catch (IllegalArgumentException e) {
      log.error("message {} is not a settle reminder: {}", message.getMessageId(), e.getMessage());
      return false;
    }
    try {
      RequestSettler.Owed outcome = settler.completeOwed(requestId);
      if (outcome == RequestSettler.Owed.SETTLED) {
        log.info("{} settled from the settle queue", requestId);
      }
      return outcome != RequestSettler.Owed.STILL_OWED;
    } catch (RuntimeException e) {
      log.error("{} settlement from the settle queue failed", requestId, e);
      return false;
    }
  }
}
