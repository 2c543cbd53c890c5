package dev.pinaivu.functions.store;

import dev.pinaivu.core.ledger.Ledger;
import dev.pinaivu.core.ledger.LedgerContract;
import java.time.InstantSource;

/** The port's contract against the network table, through the transactions front. */
class DynamoDbLedgerIT extends LedgerContract {
  @Override
  protected Ledger newLedger(InstantSource clock) {
    return new DynamoDbLedger(FrontTables.DYNAMO, FrontTables.create("ledger"), clock);
  }
}
