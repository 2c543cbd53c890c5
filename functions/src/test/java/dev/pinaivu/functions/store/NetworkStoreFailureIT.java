package dev.pinaivu.functions.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.auth.ApiKey;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.functions.store.NetworkStores.Billed;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

/**
 * A failure that is none of a port's outcomes (here: the table does not exist) leaves an adapter as
 * a {@link NetworkStoreException} naming the operation, never as an SDK exception; plain calls and
 * transactions alike.
 */
class NetworkStoreFailureIT {
  private static final String MISSING = "no-such-network-table";

  @Test
  void aPlainRead_ofAMissingTable_failsNamingTheOperation() {
    DynamoDbLedger ledger = new DynamoDbLedger(FrontTables.DYNAMO, MISSING, InstantSource.system());

    assertThatThrownBy(() -> ledger.balance(AccountId.client("acct_1")))
        .isExactlyInstanceOf(NetworkStoreException.class)
        .hasMessageContaining("read the balance of acct_1");
    assertThatThrownBy(() ->
            new DynamoDbApiKeyStore(FrontTables.DYNAMO, MISSING)
                .findByHash(ApiKey.generate().hash()))
        .isExactlyInstanceOf(NetworkStoreException.class)
        .hasMessageContaining("read a key");
  }

  @Test
  void aTransaction_onAMissingTable_failsNamingTheOperation() {
    RequestId id = RequestId.next();
    Billed billed = Billed.of(id);
    NetworkStores stores = NetworkStores.on(FrontTables.DYNAMO, MISSING);

    assertThatThrownBy(() -> stores.ledger().credit("acct_1", 5, "pay_1"))
        .isExactlyInstanceOf(NetworkStoreException.class)
        .hasMessageContaining("credit top-up pay_1");
    assertThatThrownBy(() -> stores.records().record(billed.receipt(), billed.payment()))
        .isExactlyInstanceOf(NetworkStoreException.class)
        .hasMessageContaining(id.value());
  }
}
