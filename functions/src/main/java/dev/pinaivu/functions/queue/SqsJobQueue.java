package dev.pinaivu.functions.queue;

import dev.pinaivu.core.dispatch.JobLease;
import dev.pinaivu.core.dispatch.JobQueue;
import dev.pinaivu.core.dispatch.JobQueueUnavailableException;
import dev.pinaivu.core.dispatch.QueuedJob;
import dev.pinaivu.core.node.NodeId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;

/**
 * {@link JobQueue} on SQS (ADR 35): one FIFO queue per node, {@code <prefix><node id>.fifo}, made
 * on the first job for it. Each job is its own message group, so a job in flight never holds back
 * the next (a node runs several at once), and its id is the deduplication id, so a retried put
 * within SQS's five-minute window is one message (jobs expire sooner than that). The expiry travels
 * as a message attribute; an expired job taken is deleted, never returned. The lease is the
 * receive's visibility timeout and the deliveries its {@code ApproximateReceiveCount}. SDK
 * exceptions stay here: they become {@link JobQueueUnavailableException}.
 */
public final class SqsJobQueue implements JobQueue {
  /** SQS's longest long poll. */
  private static final Logger log = LoggerFactory.getLogger(SqsJobQueue.class);

  private static final int MAX_WAIT_SECONDS = 20;

  private static final String EXPIRES = "expires_at_ms";
  private static final String JOB_ID = "job_id";

  /** Messages outlive no job: an hour is well past any job's expiry. */
  private static final String RETENTION_SECONDS = "3600";

  private final SqsClient sqs;
  private final String prefix;
  private final Map<NodeId, String> urls = new ConcurrentHashMap<>();

  /** {@code prefix}: letters, digits, dashes or underscores, at most 44 characters. */
  public SqsJobQueue(SqsClient sqs, String prefix) {
    if (!prefix.matches("[A-Za-z0-9_-]{0,44}")) {
      throw new IllegalArgumentException("a queue prefix is up to 44 of [A-Za-z0-9_-]: " + prefix);
    }
    this.sqs = sqs;
    this.prefix = prefix;
  }

  /** The queue that holds {@code node}'s jobs. */
  public String queueName(NodeId node) {
    return prefix + node.value() + ".fifo";
  }

  @Override
  public void put(NodeId node, QueuedJob job) {
    try {
      sqs.sendMessage(b ->
          b.queueUrl(url(node))
              .messageBody(job.frame())
              .messageGroupId(job.jobId())
              .messageDeduplicationId(job.jobId())
              .messageAttributes(
                  Map.of(EXPIRES, number(job.expiresAtMs()), JOB_ID, text(job.jobId()))));
    } catch (SdkException e) {
      throw unavailable("cannot queue job " + job.jobId() + " for " + node, e);
    }
  }

  @Override
  public List<JobLease> take(NodeId node, int max, Duration wait, Duration lease) {
    JobQueue.requireBatch(max);
    int visibility = Math.toIntExact(ceilSeconds(lease));
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      String url = url(node);
      while (true) {
        long leftSeconds = ceilSeconds(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        int waitSeconds = (int) Math.min(MAX_WAIT_SECONDS, leftSeconds);
        List<Message> messages =
            sqs.receiveMessage(b ->
                    b.queueUrl(url)
                        .maxNumberOfMessages(max)
                        .waitTimeSeconds(waitSeconds)
                        .visibilityTimeout(visibility)
                        .messageSystemAttributeNames(
                            MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
                        .messageAttributeNames(EXPIRES, JOB_ID))
                .messages();
        List<JobLease> out = leases(url, node, messages);
        if (!out.isEmpty() || System.nanoTime() >= deadline) {
          return out;
        }
      }
    } catch (SdkException e) {
      throw unavailable("cannot take jobs for " + node, e);
    }
  }

  private List<JobLease> leases(String url, NodeId node, List<Message> messages) {
    long now = System.currentTimeMillis();
    List<JobLease> out = new ArrayList<>();
    for (Message m : messages) {
      QueuedJob job = job(m);
      if (job == null) {
        // not put by this queue (no job id or expiry): no node may start it, and left alone it
        // would come back on every take
        log.warn("deleting message {} from {}: not a job this queue put", m.messageId(), url);
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
        continue;
      }
      if (now >= job.expiresAtMs()) {
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
        continue; // its dispatch token has expired: no node may start it
      }
      int deliveries =
          Integer.parseInt(
              m.attributes()
                  .getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"));
      out.add(new JobLease(job, node.value() + " " + m.receiptHandle(), deliveries));
    }
    return out;
  }

  /** The job a message carries; null when it is not one this queue put. */
  private static QueuedJob job(Message m) {
    MessageAttributeValue id = m.messageAttributes().get(JOB_ID);
    MessageAttributeValue expires = m.messageAttributes().get(EXPIRES);
    if (id == null || expires == null) {
      return null;
    }
    try {
      return new QueuedJob(id.stringValue(), m.body(), Long.parseLong(expires.stringValue()));
    } catch (RuntimeException e) { // a number that is not one, an id or body the job refuses
      return null;
    }
  }

  @Override
  public void done(JobLease lease) {
    int space = lease.handle().indexOf(' ');
    NodeId node = NodeId.parse(lease.handle().substring(0, space));
    String receipt = lease.handle().substring(space + 1);
    try {
      sqs.deleteMessage(b -> b.queueUrl(url(node)).receiptHandle(receipt));
    } catch (ReceiptHandleIsInvalidException e) {
      // already deleted, or the handle is no longer the latest: nothing left to finish
    } catch (SdkException e) {
      throw unavailable("cannot finish job " + lease.job().jobId(), e);
    }
  }

  /** The node's queue URL, the queue made first when it does not exist (same attributes: no-op). */
  private String url(NodeId node) {
    return urls.computeIfAbsent(
        node,
        n ->
            sqs.createQueue(b ->
                    b.queueName(queueName(n))
                        .attributes(
                            Map.of(
                                QueueAttributeName.FIFO_QUEUE,
                                "true",
                                QueueAttributeName.MESSAGE_RETENTION_PERIOD,
                                RETENTION_SECONDS)))
                .queueUrl());
  }

  private static long ceilSeconds(Duration d) {
    return (d.toMillis() + 999) / 1000;
  }

  private static MessageAttributeValue number(long value) {
    return MessageAttributeValue.builder()
        .dataType("Number")
        .stringValue(Long.toString(value))
        .build();
  }

  private static MessageAttributeValue text(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  private static JobQueueUnavailableException unavailable(String what, SdkException e) {
    return new JobQueueUnavailableException(what + ": " + e.getMessage(), e);
  }
}
