package dev.pinaivu.functions.store;

import dev.pinaivu.core.usage.ReceiptStore;
import dev.pinaivu.core.usage.ReceiptStoreContract;

/**
 * The port's contract against the network table, through the transactions front; reopening is a new
 * store on the same table, as another process would read it.
 */
class DynamoDbReceiptStoreIT extends ReceiptStoreContract {
  private String table;

  @Override
  protected ReceiptStore newStore() {
    table = FrontTables.create("receipts");
    return new DynamoDbReceiptStore(FrontTables.DYNAMO, table);
  }

  @Override
  protected ReceiptStore reopen() {
    return new DynamoDbReceiptStore(FrontTables.DYNAMO, table);
  }
}
