package dev.pinaivu.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.billing.InMemorySettlementRecords;
import dev.pinaivu.core.billing.Payments;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.LedgerTotals;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.receipt.Receipt;
import dev.pinaivu.core.receipt.ReceiptVerifier;
import dev.pinaivu.core.receipt.TrustedKeys;
import dev.pinaivu.core.receipt.Verification;
import dev.pinaivu.core.usage.StoredReceipt;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The money side of a request, end to end in the core: the coordinator signs, the ledger moves, the
 * receipt is stored, and they agree. Settlement runs synchronously here.
 */
class BillingTest extends ChatServiceFixture {
  // the scripted node sends its whole script before it sees the cancel, so it bills all it sent;
  // NodeCrashIT and NetworkIT show partial billing with a real node
  private Receipt onlyReceipt() {
    List<StoredReceipt> all = receipts.list("acct_1", 0, Long.MAX_VALUE);
    assertThat(all).hasSize(1);
    Verification<Receipt> verified =
        new ReceiptVerifier(new TrustedKeys(List.of(coordinator.identity()), true))
            .verify(Json.MAPPER.valueToTree(parse(all.get(0).signedReceipt())));
    assertThat(verified.valid()).as(verified.reason()).isTrue();
    return verified.value();
  }

  private static Object parse(String json) {
    try {
      return Json.parse(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private void assertBooksBalance() {
    LedgerTotals totals = ledger.totals();
    assertThat(totals.clientDebitsMicros())
        .isEqualTo(totals.nodeCreditsMicros() + totals.feesMicros());
    long charged =
        receipts.list("acct_1", 0, Long.MAX_VALUE).stream()
            .mapToLong(StoredReceipt::totalChargedMicros)
            .sum();
    assertThat(totals.clientDebitsMicros()).isEqualTo(charged);
  }

  @Test
  void completedStream_isChargedOnce_withAVerifiableReceipt() throws Exception {
    NodeId node = nodes.add(1_000_000, job -> answer(job, "one", " two"));

    call(STREAM);

    Receipt receipt = onlyReceipt();
    assertThat(receipt.requestId()).isEqualTo(sink.requestId);
    assertThat(receipt.nodeId()).isEqualTo(node);
    assertThat(receipt.billedUsage()).isEqualTo(Usage.of(5, 2));
    assertThat(receipt.charge().totalCharged()).isPositive();
    assertThat(ledger.balance(AccountId.parse(node.value())))
        .isEqualTo(receipt.charge().nodeAmount());
    assertThat(ledger.balance(AccountId.client("acct_1")))
        .isEqualTo(ledger.totals().topUpsMicros() - receipt.charge().totalCharged());
    assertBooksBalance();
  }

  @Test
  void nonStreamedResult_isBilledByItsUsage() throws Exception {
    ObjectNode result = Json.object().put("object", "chat.completion");
    result
        .putArray("choices")
        .addObject()
        .put("index", 0)
        .putObject("message")
        .put("content", "hi");
    result.set("usage", Usage.of(7, 3).toJson());
    nodes.add(1_000_000, job -> List.of(new Frame.Result(job, 0, result.deepCopy())));

    call(PLAIN);

    assertThat(onlyReceipt().billedUsage()).isEqualTo(Usage.of(7, 3));
    assertBooksBalance();
  }

  @Test
  void failover_paysOnlyTheNodeThatServed() throws Exception {
    NodeId failed =
        nodes.add(
            1, job -> List.of(new Frame.JobError(job, 0, "upstream_error", "down", true, 503)));
    NodeId served = nodes.add(2_000_000, job -> answer(job, "ok"));

    call(STREAM);

    assertThat(onlyReceipt().nodeId()).isEqualTo(served);
    assertThat(ledger.balance(AccountId.parse(failed.value()))).isZero();
    assertBooksBalance();
  }

  @Test
  void clientDisconnect_billsOnlyWhatWasDelivered_andTheReceiptSaysSo() throws Exception {
    nodes.add(1_000_000, job -> answer(job, "a", "b", "c", "d", "e", "f"));
    sink.goneAfterChunks = 3;

    call(STREAM);

    Receipt receipt = onlyReceipt();
    assertThat(receipt.outcome().wire()).isEqualTo("cancelled");
    assertThat(receipt.billedUsage().completionTokens()).isLessThanOrEqualTo(6);
    assertThat(receipt.note()).contains("client disconnected");
    assertBooksBalance();
  }

  @Test
  void receiptAskedForAsTheOutputArrives_waitsForTheSettlement() throws Exception {
    // Settlements wait until the request is over, so the lookup surely starts before one ends.
    List<Runnable> deferred = new java.util.ArrayList<>();
    settlements = deferred::add;
    service = serviceWith(3);
    nodes.add(1_000_000, job -> answer(job, "soon"));
    CompletableFuture<StoredReceipt> asked = new CompletableFuture<>();
    sink.onFirstOutput =
        () -> {
          String id = sink.requestId.value();
          Thread lookup =
              Thread.ofVirtual()
                  .start(() -> {
                    try {
                      asked.complete(settler.awaitPending(id, Duration.ofSeconds(5)));
                    } catch (InterruptedException e) {
                      asked.completeExceptionally(e);
                    }
                  });
          // until the lookup waits for a settlement, or has found that none is expected
          while (lookup.getState() != Thread.State.TIMED_WAITING && lookup.isAlive()) {
            Thread.onSpinWait();
          }
        };

    call(STREAM);
    deferred.forEach(Runnable::run);

    StoredReceipt receipt = asked.get(10, TimeUnit.SECONDS);
    assertThat(receipt).isNotNull();
    assertThat(receipt.requestId()).isEqualTo(sink.requestId);
  }

  @Test
  void requestThatNeverReachedANode_leavesNothingToWaitFor() throws Exception {
    // no node serves the model: 503 before any output
    assertThatThrownBy(() -> call(PLAIN)).isInstanceOf(ApiException.class);

    // an expectation left behind would hold this lookup for its whole timeout
    String id = sink.requestId.value();
    assertTimeoutPreemptively(
        Duration.ofSeconds(2),
        () -> assertThat(settler.awaitPending(id, Duration.ofSeconds(30))).isNull());
  }

  @Test
  void jobShorterThanTheWallClocksTick_isStillBilled() throws Exception {
    // The first output is timed with nanoTime, the rest with the wall clock: a job that starts
    // and ends within one millisecond tick must not look as if it ended before its first token.
    clock = Clock.fixed(Instant.ofEpochMilli(1_800_000_000_000L), ZoneOffset.UTC);
    service = serviceWith(3);
    nodes.frameDelay = Duration.ofMillis(2);
    nodes.add(1_000_000, job -> answer(job, "quick"));

    call(STREAM);

    Receipt receipt = onlyReceipt();
    assertThat(receipt.times().endedAtMs())
        .isGreaterThanOrEqualTo(receipt.times().firstTokenAtMs());
    assertBooksBalance();
  }

  @Test
  void nodeThatSendsNoProof_isNotPaid_andTheClientNotCharged() throws Exception {
    NodeId node = nodes.add(1_000_000, job -> answer(job, "free"));
    nodes.silent.add(node);

    call(STREAM);

    assertThat(sink.ended).isTrue();
    assertThat(receipts.list("acct_1", 0, Long.MAX_VALUE)).isEmpty();
    assertThat(ledger.totals().clientDebitsMicros()).isZero();
  }

  @Test
  void aRecordedSettlement_recordedAgain_movesTheMoneyOnce() throws Exception {
    nodes.add(1_000_000, job -> answer(job, "x", "y"));
    call(STREAM);
    StoredReceipt stored = receipts.list("acct_1", 0, Long.MAX_VALUE).get(0);
    long debited = ledger.totals().clientDebitsMicros();

    boolean again =
        new InMemorySettlementRecords(receipts, ledger, spend, owed)
            .record(stored, Payments.of(stored, onlyReceipt()));

    assertThat(again).isFalse();
    assertThat(ledger.totals().clientDebitsMicros()).isEqualTo(debited);
    assertBooksBalance();
  }
}
