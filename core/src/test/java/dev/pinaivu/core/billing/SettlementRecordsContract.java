package dev.pinaivu.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.coordinator.CoordinatorJob;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.Ledger;
import dev.pinaivu.core.ledger.LedgerConflictException;
import dev.pinaivu.core.ledger.Settlement;
import dev.pinaivu.core.limits.KeySpend;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.receipt.Outcome;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.TestReceipt;
import dev.pinaivu.core.usage.ReceiptStore;
import dev.pinaivu.core.usage.StoredReceipt;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SettlementRecords} adapter must do: the receipt, the money, the key's spend and
 * the end of the owed settlement, all together, once per request; none of them when any part is
 * refused. An adapter's test extends this class and supplies empty stores that the records write.
 */
public abstract class SettlementRecordsContract {
  /** The adapter under test and the stores it writes, all empty. */
  public record Stores(
      SettlementRecords records,
      ReceiptStore receipts,
      Ledger ledger,
      KeySpend spend,
      PendingSettlements owed) {}

  private static final CoordinatorService COORDINATOR =
      CoordinatorService.dev(CoordinatorOptions.withFees(FeePolicy.NONE));

  private Stores stores;

  protected abstract Stores newStores();

  @BeforeEach
  void createStores() {
    stores = newStores();
    stores.ledger().credit("acct_1", 1_000_000, "pay_1");
  }

  private static StoredReceipt receipt(RequestId id) {
    SignedReceipt signed =
        TestReceipt.signed(id, Outcome.COMPLETED, Usage.of(1200, 700), 700, 1_800_000_000_000L);
    return StoredReceipt.of("acct_1", "key_1", signed);
  }

  private static Settlement payment(StoredReceipt stored) {
    try {
      SignedReceipt signed = Json.MAPPER.readValue(stored.signedReceipt(), SignedReceipt.class);
      return Payments.of(stored, signed.receipt());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void owe(RequestId id) {
    CoordinatorJob job = new CoordinatorJob();
    SignedDispatchToken token = COORDINATOR.dispatch(job.dispatchRequest());
    stores.owed().keep(new PendingSettlement(id, "acct_1", "key_1", job.settleRequest(token), 1));
  }

  @Test
  void record_storesTheReceipt_movesTheMoney_countsTheSpend_andForgetsWhatWasOwed() {
    RequestId id = RequestId.next();
    StoredReceipt stored = receipt(id);
    owe(id);

    assertThat(stores.records().record(stored, payment(stored))).isTrue();

    assertThat(stores.receipts().find(id)).isPresent();
    assertThat(stores.ledger().settlement(id)).contains(payment(stored));
    assertThat(stores.ledger().balance(AccountId.client("acct_1")))
        .isEqualTo(1_000_000 - stored.totalChargedMicros());
    assertThat(stores.spend().spentMicros("key_1")).isEqualTo(stored.totalChargedMicros());
    assertThat(stores.owed().keptUntil(Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void record_ofARequestRecordedBefore_changesNothing() {
    RequestId id = RequestId.next();
    StoredReceipt stored = receipt(id);
    stores.records().record(stored, payment(stored));

    assertThat(stores.records().record(stored, payment(stored))).isFalse();

    assertThat(stores.ledger().balance(AccountId.client("acct_1")))
        .isEqualTo(1_000_000 - stored.totalChargedMicros());
    assertThat(stores.spend().spentMicros("key_1")).isEqualTo(stored.totalChargedMicros());
  }

  @Test
  void record_thatTheLedgerRefuses_writesNothingAtAll() {
    RequestId id = RequestId.next();
    StoredReceipt stored = receipt(id);
    Settlement other =
        new Settlement(id, AccountId.client("acct_1"), AccountId.parse(stored.nodeId()), 3, 2, 1);
    stores.ledger().settle(other); // the same request settled with other amounts already
    owe(id);

    assertThatThrownBy(() -> stores.records().record(stored, payment(stored)))
        .isInstanceOf(LedgerConflictException.class);

    assertThat(stores.receipts().find(id)).isEmpty();
    assertThat(stores.spend().spentMicros("key_1")).isZero();
    assertThat(stores.owed().keptUntil(Long.MAX_VALUE)).hasSize(1);
  }

  @Test
  void record_withAPaymentOfAnotherRequest_isRefused() {
    StoredReceipt stored = receipt(RequestId.next());
    StoredReceipt other = receipt(RequestId.next());

    assertThatThrownBy(() -> stores.records().record(stored, payment(other)))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(stores.receipts().find(stored.requestId())).isEmpty();
  }
}
