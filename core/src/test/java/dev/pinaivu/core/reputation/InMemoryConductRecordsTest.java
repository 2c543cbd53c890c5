package dev.pinaivu.core.reputation;

class InMemoryConductRecordsTest extends ConductRecordsContract {
  @Override
  protected ConductRecords newRecords() {
    return new InMemoryConductRecords();
  }
}
