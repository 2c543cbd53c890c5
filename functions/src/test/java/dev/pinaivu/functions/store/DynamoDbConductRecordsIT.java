package dev.pinaivu.functions.store;

import dev.pinaivu.core.reputation.ConductRecords;
import dev.pinaivu.core.reputation.ConductRecordsContract;

/**
 * The conduct records' contract on the network table (dynalite, through the transactions front).
 */
class DynamoDbConductRecordsIT extends ConductRecordsContract {
  @Override
  protected ConductRecords newRecords() {
    return new DynamoDbConductRecords(FrontTables.DYNAMO, FrontTables.create("conduct"));
  }
}
