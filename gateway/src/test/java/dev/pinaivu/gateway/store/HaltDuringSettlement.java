package dev.pinaivu.gateway.store;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.Settlement;
import java.nio.file.Path;
import java.sql.Statement;
import org.sqlite.Function;

/**
 * Run by {@link SqliteLedgerCrashIT} in a JVM of its own: settles {@code committed}, then starts
 * settling {@code doomed} and halts the JVM in the middle of that transaction, as kill -9 would.
 *
 * <p>Arguments: database file, client account, node account, committed request id, doomed request
 * id. Each settlement is 900 to the node plus a fee of 100.
 */
public final class HaltDuringSettlement {
  static final int HALTED = 42;

  private HaltDuringSettlement() {}

  public static void main(String[] args) {
    SqliteDatabase db = SqliteDatabase.open(Path.of(args[0]));
    AccountId client = AccountId.client(args[1]);
    AccountId node = AccountId.parse(args[2]);
    RequestId committed = RequestId.parse(args[3]);
    RequestId doomed = RequestId.parse(args[4]);
    db.transaction(c -> {
      Function.create(
          c,
          "halt_jvm",
          new Function() {
            @Override
            protected void xFunc() {
              Runtime.getRuntime().halt(HALTED);
            }
          });
      try (Statement s = c.createStatement()) {
        // After the settlement row, the client's charge and its balance, before the node's share.
        s.execute(
            "CREATE TEMP TRIGGER halt_midway AFTER INSERT ON ledger_entries"
                + " WHEN NEW.kind = 'EARNING' AND NEW.reference = '"
                + doomed.value()
                + "' BEGIN SELECT halt_jvm(); END");
      }
      return null;
    });
    SqliteLedger ledger = new SqliteLedger(db);
    ledger.settle(new Settlement(committed, client, node, 1_000, 900, 100));
    ledger.settle(new Settlement(doomed, client, node, 1_000, 900, 100));
    System.exit(1); // not reached: the JVM halts inside the second settlement
  }
}
