package dev.pinaivu.functions.store;

import dev.pinaivu.core.auth.ApiKeyStore;
import dev.pinaivu.core.auth.ApiKeyStoreContract;

/** The port's contract against the network table, through the transactions front. */
class DynamoDbApiKeyStoreIT extends ApiKeyStoreContract {
  @Override
  protected ApiKeyStore newStore() {
    return new DynamoDbApiKeyStore(FrontTables.DYNAMO, FrontTables.create("keys"));
  }
}
