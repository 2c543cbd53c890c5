package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.usage.StoredReceipt;
import dev.pinaivu.functions.api.SettleSweepHandler;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An answer delivered while the coordinator cannot settle (an outage, or the chat invocation killed
 * between its owed settlement and the receipt): the client has its answer, nothing is billed yet,
 * and the owed settlement survives the invocation; the scheduled sweep ({@link SettleSweepHandler})
 * then completes it: one receipt, the client charged exactly it; a second sweep changes nothing.
 */
class ServerlessOwedSettlementIT {
  @TempDir Path dir;

  /** The schedule's event, as EventBridge delivers it (events/scheduled/settle-sweep.json). */
  private static ScheduledEvent scheduled() {
    return com.amazonaws.services.lambda.runtime.tests.EventLoader.loadScheduledEvent(
        dev.pinaivu.functions.testsupport.SampleEvents.path("scheduled/settle-sweep.json"));
  }

  @Test
  void anAnswerSettledWhileTheCoordinatorIsAway_isBilledOnceByTheSweep() throws Exception {
    try (ServerlessDeployment deployment =
        new ServerlessDeployment(dir, 5_000_000, "--price-in", "2", "--price-out", "4")) {
      OpenAIClient client =
          OpenAIOkHttpClient.builder()
              .baseUrl(deployment.baseUrl())
              .apiKey(deployment.key)
              .maxRetries(0)
              .build();
      AccountId account = AccountId.client(ServerlessDeployment.ACCOUNT);
      long before = deployment.ledger().balance(account);
      deployment.coordinator.cutSettlements(true);

      ChatCompletion completion =
          client
              .chat()
              .completions()
              .create(
                  ChatCompletionCreateParams.builder()
                      .model("pinaivu-demo-echo")
                      .addUserMessage("bill me later")
                      .build());
      String requestId = completion._additionalProperties().get("request_id").asStringOrThrow();
      assertThat(completion.choices().getFirst().message().content().orElseThrow())
          .contains("bill me later");
      // the client has the whole answer before the invocation ends: it still tries to settle
      deployment.awaitInvocationsEnded();
      assertThat(deployment.receipt(requestId)).as("not settled yet").isEmpty();
      assertThat(deployment.ledger().balance(account)).isEqualTo(before);
      deployment.coordinator.cutSettlements(false);
      SettleSweepHandler sweep = new SettleSweepHandler(deployment.chat, Duration.ZERO);
      assertThat(sweep.handleRequest(scheduled(), null)).isEqualTo(1);

      StoredReceipt receipt = deployment.receipt(requestId).orElseThrow();
      assertThat(before - deployment.ledger().balance(account))
          .as("charged exactly its receipt")
          .isEqualTo(receipt.totalChargedMicros())
          .isPositive();
      assertThat(sweep.handleRequest(scheduled(), null)).as("once").isZero();
      assertThat(before - deployment.ledger().balance(account))
          .isEqualTo(receipt.totalChargedMicros());
      client.close();
    }
  }
}
