package dev.pinaivu.core.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.billing.PendingSettlement;
import dev.pinaivu.core.billing.QueuedPendingSettlements;
import dev.pinaivu.core.billing.RequestSettler;
import dev.pinaivu.core.billing.SettleQueueUnavailableException;
import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.SettlingOutage;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.usage.StoredReceipt;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A served request is billed even when the gateway crashes, or the coordinator is unreachable,
 * between the node's proof and the stored receipt; and never twice.
 */
class OwedSettlementTest extends ChatServiceFixture {
  private long clientBalance() {
    return ledger.balance(AccountId.client("acct_1"));
  }

  private static String clientResponseSha256(StoredReceipt stored) throws Exception {
    return Json.MAPPER
        .readTree(stored.signedReceipt())
        .path("receipt")
        .path("client_response_sha256")
        .asText();
  }

  private List<StoredReceipt> stored() {
    return receipts.list("acct_1", 0, Long.MAX_VALUE);
  }

  /** A request served while the coordinator could not settle it. */
  private SettlingOutage servedDuringAnOutage() throws Exception {
    SettlingOutage outage = new SettlingOutage(coordinator);
    settling = outage;
    service = serviceWith(3);
    nodes.add(1_000_000, job -> answer(job, "one", " two"));
    call(STREAM);
    return outage;
  }

  @Test
  void aStreamedAnswer_endsAtTheClient_onlyOnceItsBillIsKept() throws Exception {
    List<PendingSettlement> keptAtLastWrite = new java.util.ArrayList<>();
    sink.atLastWrite = () -> keptAtLastWrite.addAll(owed.keptUntil(Long.MAX_VALUE));
    nodes.add(1_000_000, job -> answer(job, "one", " two"));

    call(STREAM_USAGE);

    assertThat(sink.ended).isTrue();
    assertThat(keptAtLastWrite) // a crash from here on delays the bill, never loses it
        .singleElement()
        .satisfies(kept -> assertThat(kept.requestId()).isEqualTo(sink.requestId));
    assertThat(stored())
        .singleElement()
        .satisfies(r -> assertThat(clientResponseSha256(r)).isEqualTo(sink.sentSha256()));
    assertThat(owed.keptUntil(Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void aWholeAnswer_isWrittenOnlyOnceItsBillIsKept() throws Exception {
    List<PendingSettlement> keptAtLastWrite = new java.util.ArrayList<>();
    sink.atLastWrite = () -> keptAtLastWrite.addAll(owed.keptUntil(Long.MAX_VALUE));
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

    assertThat(sink.completion).isNotNull();
    assertThat(keptAtLastWrite).singleElement();
    assertThat(stored())
        .singleElement()
        .satisfies(r -> assertThat(clientResponseSha256(r)).isEqualTo(sink.sentSha256()));
  }

  @Test
  void aNodeThatSendsNoProof_stillHasItsAnswerWritten_andNothingIsKeptOrBilled() throws Exception {
    List<PendingSettlement> keptAtLastWrite = new java.util.ArrayList<>();
    sink.atLastWrite = () -> keptAtLastWrite.addAll(owed.keptUntil(Long.MAX_VALUE));
    nodes.silent.add(nodes.add(1_000_000, job -> answer(job, "one", " two")));

    call(STREAM);

    assertThat(sink.ended).isTrue();
    assertThat(keptAtLastWrite).isEmpty();
    assertThat(stored()).isEmpty();
  }

  @Test
  void aSettlementTheCoordinatorCouldNotTake_isKept_andCompletedOnceItIsBack() throws Exception {
    long before = clientBalance();
    SettlingOutage outage = servedDuringAnOutage();

    assertThat(stored()).isEmpty();
    assertThat(clientBalance()).isEqualTo(before);
    assertThat(owed.keptUntil(Long.MAX_VALUE)).hasSize(1);

    outage.end();
    assertThat(settler.retryOwed(Duration.ZERO)).isEqualTo(1);
    assertThat(settler.retryOwed(Duration.ZERO)).isZero();

    assertThat(stored())
        .singleElement()
        .satisfies(r -> {
          assertThat(r.requestId()).isEqualTo(sink.requestId);
          assertThat(clientBalance()).isEqualTo(before - r.totalChargedMicros());
        });
    assertThat(owed.keptUntil(Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void aGatewayThatCrashedBeforeTheReceipt_billsTheRequestWhenItRestarts() throws Exception {
    long before = clientBalance();
    servedDuringAnOutage(); // stands for the crash: the settlement never got past the proof

    settling = coordinator; // the restarted gateway: a new settler over the same stores
    service = serviceWith(3);
    settler.retryOwed(Duration.ZERO);

    assertThat(stored())
        .singleElement()
        .satisfies(r -> assertThat(clientBalance()).isEqualTo(before - r.totalChargedMicros()));
  }

  @Test
  void aSettlementWhoseReceiptWasStoredBeforeTheCrash_isNotSignedOrChargedAgain() throws Exception {
    nodes.add(1_000_000, job -> answer(job, "one", " two"));
    call(STREAM);
    StoredReceipt receipt = stored().getFirst();
    long charged = clientBalance();
    PendingSettlement unforgotten = // the crash came between storing the receipt and forgetting
        new PendingSettlement(
            receipt.requestId(), "acct_1", "key_1", anySettleRequest(), clock.millis());
    owed.keep(unforgotten);
    settling = new SettlingOutage(coordinator); // so any attempt to sign again would fail
    service = serviceWith(3);

    assertThat(settler.retryOwed(Duration.ZERO)).isEqualTo(1);

    assertThat(stored()).containsExactly(receipt);
    assertThat(clientBalance()).isEqualTo(charged);
    assertThat(owed.keptUntil(Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void aSettlementTheCoordinatorRefuses_isForgotten_andNothingIsCharged() throws Exception {
    long before = clientBalance();
    SettlingOutage outage = servedDuringAnOutage();
    PendingSettlement kept = owed.keptUntil(Long.MAX_VALUE).getFirst();
    owed.forget(kept.requestId());
    Coordinator.SettleRequest r = kept.request();
    owed.keep( // kept with another node's key: the proof does not verify, the coordinator refuses
        new PendingSettlement(
            kept.requestId(),
            kept.accountId(),
            kept.keyId(),
            new Coordinator.SettleRequest(
                r.dispatchToken(),
                r.offer(),
                r.proof(),
                NodeKey.generate().publicKey(),
                r.delivery(),
                r.accountRef()),
            kept.keptAtMs()));
    outage.end();

    assertThat(settler.retryOwed(Duration.ZERO)).isZero();

    assertThat(stored()).isEmpty();
    assertThat(clientBalance()).isEqualTo(before);
    assertThat(owed.keptUntil(Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void aReminderFromTheSettleQueue_completesTheOwedSettlementOnce() throws Exception {
    List<RequestId> reminded = new java.util.concurrent.CopyOnWriteArrayList<>();
    keptIn = new QueuedPendingSettlements(owed, reminded::add);
    long before = clientBalance();
    SettlingOutage outage = servedDuringAnOutage();
    RequestId id = sink.requestId;

    assertThat(reminded).containsExactly(id); // queued once the settlement was durable
    assertThat(settler.completeOwed(id)).isEqualTo(RequestSettler.Owed.STILL_OWED);
    assertThat(stored()).isEmpty();

    outage.end();
    assertThat(settler.completeOwed(id)).isEqualTo(RequestSettler.Owed.SETTLED);
    assertThat(settler.completeOwed(id)).isEqualTo(RequestSettler.Owed.NOTHING); // redelivered
    assertThat(settler.retryOwed(Duration.ZERO)).isZero();

    assertThat(stored())
        .singleElement()
        .satisfies(r -> assertThat(clientBalance()).isEqualTo(before - r.totalChargedMicros()));
  }

  @Test
  void aSettleQueueThatRefusesTheReminder_losesNeitherTheAnswerNorTheBill() throws Exception {
    keptIn =
        new QueuedPendingSettlements(
            owed,
            id -> {
              throw new SettleQueueUnavailableException("queue down", null);
            });
    servedDuringAnOutage();

    assertThat(sink.ended).isTrue();
    assertThat(owed.keptUntil(Long.MAX_VALUE)).hasSize(1); // the sweep's to complete
  }

  @Test
  void aReminderForARequestTheCoordinatorRefused_findsNothingOwed() throws Exception {
    SettlingOutage outage = servedDuringAnOutage();
    PendingSettlement kept = owed.keptUntil(Long.MAX_VALUE).getFirst();
    owed.forget(kept.requestId());
    Coordinator.SettleRequest r = kept.request();
    owed.keep(
        new PendingSettlement(
            kept.requestId(),
            kept.accountId(),
            kept.keyId(),
            new Coordinator.SettleRequest(
                r.dispatchToken(),
                r.offer(),
                r.proof(),
                NodeKey.generate().publicKey(), // not the node's: the proof fails
                r.delivery(),
                r.accountRef()),
            kept.keptAtMs()));
    outage.end();

    assertThat(settler.completeOwed(kept.requestId())).isEqualTo(RequestSettler.Owed.NOTHING);
    assertThat(stored()).isEmpty();
  }

  /** Any well-formed settle request: the path under test must not use it. */
  private Coordinator.SettleRequest anySettleRequest() throws Exception {
    SettlingOutage outage = servedDuringAnOutage();
    outage.end();
    PendingSettlement other = owed.keptUntil(Long.MAX_VALUE).getFirst();
    owed.forget(other.requestId());
    return other.request();
  }
}
