package dev.pinaivu.functions.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.dispatch.JobQueue;
import dev.pinaivu.core.dispatch.JobQueueContract;
import dev.pinaivu.core.dispatch.QueuedJob;
import dev.pinaivu.functions.testsupport.ElasticMq;
import java.util.UUID;
import org.junit.jupiter.api.Test;

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
}
