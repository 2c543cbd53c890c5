package dev.pinaivu.functions.queue;

import dev.pinaivu.core.dispatch.JobQueue;
import dev.pinaivu.core.dispatch.JobQueueContract;
import dev.pinaivu.functions.testsupport.LocalStack;
import java.util.UUID;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The job queue's contract on LocalStack's SQS; skipped where there is no Docker. */
@Testcontainers(disabledWithoutDocker = true)
class SqsJobQueueLocalStackIT extends JobQueueContract {
  private static SqsClient sqs;

  @Override
  protected JobQueue newQueue() {
    synchronized (SqsJobQueueLocalStackIT.class) {
      if (sqs == null) {
        sqs = LocalStack.shared().sqsClient();
      }
    }
    return new SqsJobQueue(sqs, "t" + UUID.randomUUID().toString().substring(0, 8) + "-");
  }
}
