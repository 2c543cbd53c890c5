package dev.pinaivu.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.Ledger;
import dev.pinaivu.core.ledger.LedgerContract;
import dev.pinaivu.core.ledger.LedgerTotals;
import dev.pinaivu.core.ledger.Settlement;
import dev.pinaivu.core.ledger.SettlementResult;
import dev.pinaivu.core.ledger.TopUp;
import dev.pinaivu.core.ledger.TopUpResult;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteLedgerTest extends LedgerContract {
  @TempDir Path dir;
  private SqliteDatabase db;

  @Override
  protected Ledger newLedger(InstantSource clock) {
    db = SqliteDatabase.open(dir.resolve("pinaivu.db"));
    return new SqliteLedger(db, clock);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void ledger_survivesReopeningTheFile() {
    ledger.credit(new TopUp(ALICE, 10_000, "pay_1"));
    Settlement s = settlement(RequestId.next(), ALICE, NODE_A, 900, 100);
    SettlementResult first = ledger.settle(s);
    db.close();

    db = SqliteDatabase.open(dir.resolve("pinaivu.db"));
    ledger = new SqliteLedger(db, clock);

    assertThat(ledger.settlement(s.requestId())).contains(s);
    assertThat(ledger.settle(s)).isEqualTo(alreadySettled(first));
    assertThat(ledger.credit(new TopUp(ALICE, 10_000, "pay_1")).status())
        .isEqualTo(TopUpResult.Status.ALREADY_CREDITED);
    assertThat(ledger.balance(ALICE)).isEqualTo(9_000);
    assertThat(ledger.totals()).isEqualTo(new LedgerTotals(10_000, 1_000, 900, 100));
    assertBooksBalance(List.of(ALICE), List.of(NODE_A));
  }

  @Test
  void settle_whenTheTransactionFailsMidway_appliesNothing_andARetryAppliesOnce() {
    ledger.credit(new TopUp(ALICE, 10_000, "pay_1"));
    Settlement s = settlement(RequestId.next(), ALICE, NODE_A, 900, 100);
    // Fails after the settlement row, the client's charge and its balance are written.
    execute(
        "CREATE TEMP TRIGGER fail_midway AFTER INSERT ON ledger_entries WHEN NEW.kind = 'EARNING'"
            + " BEGIN SELECT RAISE(ABORT, 'injected failure'); END");

    assertThatThrownBy(() -> ledger.settle(s))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("injected failure");

    assertThat(ledger.settlement(s.requestId())).isEmpty();
    assertThat(ledger.balance(ALICE)).isEqualTo(10_000);
    assertThat(ledger.entries(ALICE, Long.MIN_VALUE, Long.MAX_VALUE)).hasSize(1);
    assertThat(ledger.totals()).isEqualTo(new LedgerTotals(10_000, 0, 0, 0));
    assertBooksBalance(List.of(ALICE), List.of(NODE_A));

    execute("DROP TRIGGER fail_midway");
    assertThat(ledger.settle(s).status()).isEqualTo(SettlementResult.Status.APPLIED);
    assertThat(ledger.settle(s).status()).isEqualTo(SettlementResult.Status.ALREADY_SETTLED);
    assertThat(ledger.balance(ALICE)).isEqualTo(9_000);
    assertBooksBalance(List.of(ALICE), List.of(NODE_A));
  }

  @Test
  void credit_whenTheTransactionFailsMidway_appliesNothing_andARetryAppliesOnce() {
    execute(
        "CREATE TEMP TRIGGER fail_midway AFTER INSERT ON ledger_entries"
            + " WHEN NEW.account_id = 'external' BEGIN SELECT RAISE(ABORT, 'injected failure'); END");

    assertThatThrownBy(() -> ledger.credit(new TopUp(ALICE, 10_000, "pay_1")))
        .isInstanceOf(StoreException.class);
    assertThat(ledger.balance(ALICE)).isZero();
    assertThat(ledger.totals()).isEqualTo(LedgerTotals.ZERO);

    execute("DROP TRIGGER fail_midway");
    assertThat(ledger.credit(new TopUp(ALICE, 10_000, "pay_1")).status())
        .isEqualTo(TopUpResult.Status.APPLIED);
    assertThat(ledger.balance(ALICE)).isEqualTo(10_000);
    assertBooksBalance(List.of(ALICE), List.of());
  }

  @Test
  void settle_fromTwoConnectionsToOneFile_appliesEachRequestOnce() throws Exception {
    try (SqliteDatabase other = SqliteDatabase.open(dir.resolve("pinaivu.db"))) {
      List<Ledger> ledgers = List.of(ledger, new SqliteLedger(other, clock));
      List<Settlement> settlements = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        settlements.add(settlement(RequestId.next(), i % 2 == 0 ? ALICE : BOB, NODE_A, 90, 10));
      }
      Map<RequestId, List<SettlementResult.Status>> outcomes = new ConcurrentHashMap<>();
      List<Runnable> work = new ArrayList<>();
      for (Settlement s : settlements) {
        for (Ledger l : ledgers) {
          work.add(() ->
              outcomes
                  .computeIfAbsent(s.requestId(), k -> new CopyOnWriteArrayList<>())
                  .add(l.settle(s).status()));
        }
      }
      for (Ledger l : ledgers) {
        work.add(() -> l.credit(new TopUp(ALICE, 5_000, "pay_1")));
      }

      runConcurrently(work, 4);

      for (Settlement s : settlements) {
        assertThat(outcomes.get(s.requestId()))
            .containsExactlyInAnyOrder(
                SettlementResult.Status.APPLIED, SettlementResult.Status.ALREADY_SETTLED);
      }
      assertThat(ledger.totals()).isEqualTo(new LedgerTotals(5_000, 3_000, 2_700, 300));
      assertBooksBalance(List.of(ALICE, BOB), List.of(NODE_A));
      assertThat(ledger.balance(AccountId.FEE)).isEqualTo(300);
    }
  }

  private void execute(String sql) {
    db.transaction(c -> {
      try (Statement s = c.createStatement()) {
        s.execute(sql);
      }
      return null;
    });
  }

  private static SettlementResult alreadySettled(SettlementResult r) {
    return new SettlementResult(
        SettlementResult.Status.ALREADY_SETTLED, r.settlement(), r.settledAtMs());
  }
}
