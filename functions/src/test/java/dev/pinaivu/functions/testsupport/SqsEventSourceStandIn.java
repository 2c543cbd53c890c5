package dev.pinaivu.functions.testsupport;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Test code: what Lambda's SQS event source mapping does with {@code ReportBatchItemFailures}, one
 * poll at a time, against a queue on ElasticMQ. It receives a batch, hands it to the handler as an
 * {@link SQSEvent}, deletes the messages the handler did not report as failed and leaves the failed
 * ones to come back after their visibility timeout (the queue's redrive policy then moves them to
 * its dead-letter queue). Not the AWS service: no scaling, no retries of its own.
 */
public final class SqsEventSourceStandIn {
  private final SqsClient sqs;
  private final String queueUrl;
  private final String queueArn;

  public SqsEventSourceStandIn(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.queueArn =
        sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
            .attributesAsStrings()
            .get("QueueArn");
  }

  /** What one poll did: the messages handed over and those the handler reported failed. */
  public record Poll(int delivered, int failed) {}

  /** Waits up to {@code wait} for a batch of up to 10 and delivers it; an empty poll is (0, 0). */
  public Poll poll(RequestHandler<SQSEvent, SQSBatchResponse> handler, Duration wait) {
    List<Message> messages =
        sqs.receiveMessage(b ->
                b.queueUrl(queueUrl)
                    .maxNumberOfMessages(10)
                    .waitTimeSeconds((int) Math.max(0, wait.toSeconds()))
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
            .messages();
    if (messages.isEmpty()) {
      return new Poll(0, 0);
    }
    SQSEvent event = new SQSEvent();
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    for (Message m : messages) {
      records.add(record(m));
    }
    event.setRecords(records);
    SQSBatchResponse response = handler.handleRequest(event, null);
    Set<String> failed = new HashSet<>();
    for (SQSBatchResponse.BatchItemFailure f : response.getBatchItemFailures()) {
      failed.add(f.getItemIdentifier());
    }
    for (Message m : messages) {
      if (!failed.contains(m.messageId())) {
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
      }
    }
    return new Poll(messages.size(), failed.size());
  }

  private SQSEvent.SQSMessage record(Message m) {
    SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
    r.setMessageId(m.messageId());
    r.setReceiptHandle(m.receiptHandle());
    r.setBody(m.body());
    r.setMd5OfBody(m.md5OfBody());
    Map<String, String> attributes = new java.util.HashMap<>();
    m.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
    r.setAttributes(attributes);
    r.setMessageAttributes(Map.of());
    r.setEventSource("aws:sqs");
    r.setEventSourceArn(queueArn);
    r.setAwsRegion("us-east-1");
    return r;
  }
}
