package dev.pinaivu.functions.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.dispatch.JobQueue;
import dev.pinaivu.core.dispatch.JobQueueContract;
import dev.pinaivu.core.dispatch.QueuedJob;
import dev.pinaivu.functions.testsupport.ElasticMq;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** The job queue's contract on SQS's protocol, against ElasticMQ embedded on loopback. */
class SqsJobQueueIT extends JobQueueContract {
  @Override
  protected JobQueue newQueue() {
    return new SqsJobQueue(
        ElasticMq.shared().client(), "t" + UUID.randomUUID().toString().substring(0, 8) + "-");
  }

  @Test
  void eachNodesJobs_liveInTheirOwnFifoQueue() {
    String prefix = "own-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    SqsJobQueue queue = new SqsJobQueue(ElasticMq.shared().client(), prefix);
    queue.put(NODE, new QueuedJob("req_own", "{}", System.currentTimeMillis() + 60_000));

    assertThat(ElasticMq.shared().client().listQueues(b -> b.queueNamePrefix(prefix)).queueUrls())
        .singleElement()
        .asString()
        .endsWith(prefix + NODE.value() + ".fifo");
  }

  @Test
  void aMessageThisQueueDidNotPut_isDeleted_andTheJobsBesideItAreTaken() {
    String prefix = "poison-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    SqsJobQueue queue = new SqsJobQueue(ElasticMq.shared().client(), prefix);
    queue.put(NODE, new QueuedJob("req_real", "{}", System.currentTimeMillis() + 60_000));
    String url =
        ElasticMq.shared()
            .client()
            .getQueueUrl(b -> b.queueName(prefix + NODE.value() + ".fifo"))
            .queueUrl();
    for (String stray : new String[] {"no-attributes", "bad-expiry"}) {
      ElasticMq.shared()
          .client()
          .sendMessage(b -> {
            b.queueUrl(url).messageBody(stray).messageGroupId(stray).messageDeduplicationId(stray);
            if (stray.equals("bad-expiry")) {
              b.messageAttributes(
                  java.util.Map.of("job_id", text("req_bad"), "expires_at_ms", text("tomorrow")));
            }
          });
    }

    Duration lease = Duration.ofSeconds(1);
    assertThat(queue.take(NODE, 10, Duration.ofSeconds(1), lease))
        .extracting(l -> l.job().jobId())
        .containsExactly("req_real");
    java.util.Map<String, String> counts =
        ElasticMq.shared()
            .client()
            .getQueueAttributes(b ->
                b.queueUrl(url)
                    .attributeNamesWithStrings(
                        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
            .attributesAsStrings();
    assertThat(counts)
        .as("the strays were deleted, not left to come back; the job is leased")
        .containsEntry("ApproximateNumberOfMessages", "0")
        .containsEntry("ApproximateNumberOfMessagesNotVisible", "1");
  }

  private static MessageAttributeValue text(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }
}
