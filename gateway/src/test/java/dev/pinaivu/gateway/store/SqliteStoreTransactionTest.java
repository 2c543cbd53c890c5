package dev.pinaivu.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.ledger.AccountId;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes of several SQLite adapters inside one unit commit together, or not at all. */
class SqliteStoreTransactionTest {
  @TempDir Path dir;
  private SqliteDatabase db;
  private SqliteLedger ledger;
  private SqliteKeySpend spend;
  private SqliteStoreTransaction transaction;

  @BeforeEach
  void open() {
    db = SqliteDatabase.open(dir.resolve("store.db"));
    ledger = new SqliteLedger(db);
    spend = new SqliteKeySpend(db);
    transaction = new SqliteStoreTransaction(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void aUnitThatFailsHalfway_leavesNoneOfItsWrites() {
    RequestId request = RequestId.next();

    assertThatThrownBy(() ->
            transaction.inOne(() -> {
              ledger.credit("acct_1", 5, "pay_1");
              spend.recordSpend("key_1", request, 5);
              throw new IllegalStateException("crash between two writes");
            }))
        .hasMessageContaining("crash between two writes");

    assertThat(ledger.balance(AccountId.client("acct_1"))).isZero();
    assertThat(spend.spentMicros("key_1")).isZero();
  }

  @Test
  void aUnitThatSucceeds_commitsEveryWrite() {
    RequestId request = RequestId.next();

    transaction.inOne(() -> {
      ledger.credit("acct_1", 5, "pay_1");
      spend.recordSpend("key_1", request, 5);
      return null;
    });

    assertThat(ledger.balance(AccountId.client("acct_1"))).isEqualTo(5);
    assertThat(spend.spentMicros("key_1")).isEqualTo(5);
  }
}
