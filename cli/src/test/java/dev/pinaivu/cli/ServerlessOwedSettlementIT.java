package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.usage.StoredReceipt;
import dev.pinaivu.functions.api.SettleQueueHandler;
import dev.pinaivu.functions.api.SettleSweepHandler;
import dev.pinaivu.functions.queue.SqsSettleQueue;
import dev.pinaivu.functions.testsupport.ElasticMq;
import dev.pinaivu.functions.testsupport.SampleEvents;
import dev.pinaivu.functions.testsupport.SqsEventSourceStandIn;
import dev.pinaivu.functions.testsupport.SqsEventSourceStandIn.Poll;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An answer delivered while the coordinator cannot settle (an outage, or the chat invocation killed
 * between its owed settlement and the receipt): the client has its answer, nothing is billed yet,
 * and the owed settlement survives the invocation, with a reminder on the settle queue (ADR 36).
 * The settle function ({@link SettleQueueHandler}, fed by a stand-in of Lambda's SQS event source
 * mapping) or the scheduled sweep ({@link SettleSweepHandler}) then completes it: one receipt, the
 * client charged exactly it, whatever is delivered again.
 */
class ServerlessOwedSettlementIT {
  /** Longer than the test queue's visibility timeout: a failed reminder is visible again. */
  private static final Duration REDELIVERY = Duration.ofMillis(1_500);

  @TempDir Path dir;

  /** The schedule's event, as EventBridge delivers it (events/scheduled/settle-sweep.json). */
  private static ScheduledEvent scheduled() {
    return EventLoader.loadScheduledEvent(SampleEvents.path("scheduled/settle-sweep.json"));
  }

  private static ServerlessDeployment deployment(Path dir) throws Exception {
    return new ServerlessDeployment(dir, 5_000_000, "--price-in", "2", "--price-out", "4");
  }

  /** One whole answer through the OpenAI SDK; its request id. */
  private static String ask(ServerlessDeployment deployment, String text) throws Exception {
    OpenAIClient client =
        OpenAIOkHttpClient.builder()
            .baseUrl(deployment.baseUrl())
            .apiKey(deployment.key)
            .maxRetries(0)
            .build();
    try {
      ChatCompletion completion =
          client
              .chat()
              .completions()
              .create(
                  ChatCompletionCreateParams.builder()
                      .model("pinaivu-demo-echo")
                      .addUserMessage(text)
                      .build());
      assertThat(completion.choices().getFirst().message().content().orElseThrow()).contains(text);
      // the client has the whole answer before the invocation ends: it still tries to settle
      deployment.awaitInvocationsEnded();
      return completion._additionalProperties().get("request_id").asStringOrThrow();
    } finally {
      client.close();
    }
  }

  private static long balance(ServerlessDeployment deployment) {
    return deployment.ledger().balance(AccountId.client(ServerlessDeployment.ACCOUNT));
  }

  private static SqsEventSourceStandIn settleQueue(ServerlessDeployment deployment) {
    return new SqsEventSourceStandIn(ElasticMq.shared().client(), deployment.settleQueue);
  }

  @Test
  void anAnswerSettledWhileTheCoordinatorIsAway_isBilledOnceByTheSweep() throws Exception {
    try (ServerlessDeployment deployment = deployment(dir)) {
      long before = balance(deployment);
      deployment.coordinator.cutSettlements(true);

      String requestId = ask(deployment, "bill me later");
      assertThat(deployment.receipt(requestId)).as("not settled yet").isEmpty();
      assertThat(balance(deployment)).isEqualTo(before);
      deployment.coordinator.cutSettlements(false);
      SettleSweepHandler sweep = new SettleSweepHandler(deployment.chat, Duration.ZERO);
      assertThat(sweep.handleRequest(scheduled(), null)).isEqualTo(1);

      StoredReceipt receipt = deployment.receipt(requestId).orElseThrow();
      assertThat(before - balance(deployment))
          .as("charged exactly its receipt")
          .isEqualTo(receipt.totalChargedMicros())
          .isPositive();
      assertThat(sweep.handleRequest(scheduled(), null)).as("once").isZero();
      assertThat(before - balance(deployment)).isEqualTo(receipt.totalChargedMicros());
    }
  }

  @Test
  void anAnswerSettledWhileTheCoordinatorIsAway_isBilledOnceFromTheSettleQueue() throws Exception {
    try (ServerlessDeployment deployment = deployment(dir)) {
      SqsEventSourceStandIn queue = settleQueue(deployment);
      SettleQueueHandler settle = new SettleQueueHandler(deployment.chat);
      long before = balance(deployment);
      deployment.coordinator.cutSettlements(true);

      String requestId = ask(deployment, "remind me");
      assertThat(queue.poll(settle, Duration.ofSeconds(5)))
          .as("still owed: reported failed, so SQS delivers it again")
          .isEqualTo(new Poll(1, 1));
      assertThat(balance(deployment)).isEqualTo(before);

      deployment.coordinator.cutSettlements(false);
      Thread.sleep(REDELIVERY.toMillis());
      assertThat(queue.poll(settle, Duration.ofSeconds(5))).isEqualTo(new Poll(1, 0));
      StoredReceipt receipt = deployment.receipt(requestId).orElseThrow();
      assertThat(before - balance(deployment)).isEqualTo(receipt.totalChargedMicros()).isPositive();

      Thread.sleep(REDELIVERY.toMillis());
      assertThat(queue.poll(settle, Duration.ZERO))
          .as("deleted once done")
          .isEqualTo(new Poll(0, 0));
      ElasticMq.shared() // SQS delivers at least once: the same reminder again changes nothing
          .client()
          .sendMessage(b ->
              b.queueUrl(deployment.settleQueue)
                  .messageBody(SqsSettleQueue.body(RequestId.parse(requestId))));
      assertThat(queue.poll(settle, Duration.ofSeconds(5))).isEqualTo(new Poll(1, 0));
      assertThat(before - balance(deployment)).isEqualTo(receipt.totalChargedMicros());
      assertThat(
              new SettleSweepHandler(deployment.chat, Duration.ZERO)
                  .handleRequest(scheduled(), null))
          .isZero();
    }
  }

  @Test
  void aReminderNeverTaken_endsInTheDeadLetterQueue_andTheSweepStillBillsItOnce() throws Exception {
    try (ServerlessDeployment deployment = deployment(dir)) {
      SqsEventSourceStandIn queue = settleQueue(deployment);
      SettleQueueHandler settle = new SettleQueueHandler(deployment.chat);
      long before = balance(deployment);
      deployment.coordinator.cutSettlements(true);

      String requestId = ask(deployment, "a long outage");
      assertThat(queue.poll(settle, Duration.ofSeconds(5))).isEqualTo(new Poll(1, 1));
      Thread.sleep(REDELIVERY.toMillis());
      assertThat(queue.poll(settle, Duration.ofSeconds(5))).isEqualTo(new Poll(1, 1));
      Thread.sleep(REDELIVERY.toMillis());
      assertThat(queue.poll(settle, Duration.ofSeconds(1)))
          .as("moved on its third receive (maxReceiveCount 2)")
          .isEqualTo(new Poll(0, 0));
      assertThat(
              ElasticMq.shared()
                  .client()
                  .receiveMessage(b -> b.queueUrl(deployment.settleDeadLetters).waitTimeSeconds(2))
                  .messages())
          .singleElement()
          .satisfies(m -> assertThat(SqsSettleQueue.requestId(m.body())).hasToString(requestId));

      deployment.coordinator.cutSettlements(false);
      assertThat(
              new SettleSweepHandler(deployment.chat, Duration.ZERO)
                  .handleRequest(scheduled(), null))
          .isEqualTo(1);
      StoredReceipt receipt = deployment.receipt(requestId).orElseThrow();
      assertThat(before - balance(deployment)).isEqualTo(receipt.totalChargedMicros());
    }
  }

  @Test
  void aReminderForAnAnswerSettledInLine_findsNothingOwed_andAStrayMessageIsKeptForAPerson()
      throws Exception {
    try (ServerlessDeployment deployment = deployment(dir)) {
      SqsEventSourceStandIn queue = settleQueue(deployment);
      SettleQueueHandler settle = new SettleQueueHandler(deployment.chat);
      long before = balance(deployment);

      String requestId = ask(deployment, "settled at once");
      StoredReceipt receipt = deployment.receipt(requestId).orElseThrow();
      assertThat(queue.poll(settle, Duration.ofSeconds(5))).isEqualTo(new Poll(1, 0));
      assertThat(before - balance(deployment)).isEqualTo(receipt.totalChargedMicros());

      SQSEvent sample = EventLoader.loadSQSEvent(SampleEvents.path("sqs/settle-reminder.json"));
      assertThat(settle.handleRequest(sample, null).getBatchItemFailures())
          .as("a request owing nothing")
          .isEmpty();
      sample.getRecords().getFirst().setBody("hello");
      assertThat(settle.handleRequest(sample, null).getBatchItemFailures())
          .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
          .containsExactly(sample.getRecords().getFirst().getMessageId());
    }
  }
}
