package dev.pinaivu.functions.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.billing.SettleQueue;
import dev.pinaivu.core.billing.SettleQueueUnavailableException;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import java.io.IOException;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@link SettleQueue} on one standard SQS queue (ADR 36): a reminder is the message {@code
 * {"request_id":"req_..."}}, delivered after {@code delay} so that the request path, which settles
 * right after the answer, has normally finished by then and the settle function finds nothing owed.
 * Standard, not FIFO: a duplicate is harmless (completing is idempotent) and standard queues have
 * no throughput limit. The queue's redrive policy (5 receives, then the dead-letter queue) and its
 * visibility timeout are the deployment's (infra-cdk).
 */
public final class SqsSettleQueue implements SettleQueue {
  /** SQS's longest delay. */
  static final Duration MAX_DELAY = Duration.ofMinutes(15);

  private final SqsClient sqs;
  private final String queueUrl;
  private final int delaySeconds;

  public SqsSettleQueue(SqsClient sqs, String queueUrl, Duration delay) {
    if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
      throw new IllegalArgumentException("an SQS delay is 0 to 15 minutes, not " + delay);
    }
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.delaySeconds = Math.toIntExact(delay.toSeconds());
  }

  @Override
  public void remind(RequestId requestId) {
    try {
      sqs.sendMessage(
          b -> b.queueUrl(queueUrl).messageBody(body(requestId)).delaySeconds(delaySeconds));
    } catch (SdkException e) {
      throw new SettleQueueUnavailableException("cannot queue " + requestId, e);
    }
  }

  /** A reminder's message body. */
  public static String body(RequestId requestId) {
    return Json.object().put("request_id", requestId.value()).toString();
  }

  /**
   * The request a reminder's body names.
   *
   * @throws IllegalArgumentException when the body is not a reminder this queue wrote
   */
  public static RequestId requestId(String body) {
    JsonNode parsed;
    try {
      parsed = Json.parse(body == null ? "" : body);
    } catch (IOException e) {
      throw new IllegalArgumentException("a settle reminder is JSON", e);
    }
    JsonNode id = parsed.path("request_id");
    if (!id.isTextual()) {
      throw new IllegalArgumentException("a settle reminder names its request_id");
    }
    return RequestId.parse(id.asText());
  }
}
