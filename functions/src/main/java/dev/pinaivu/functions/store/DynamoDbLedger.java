package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.Attributes.number;
import static dev.pinaivu.functions.store.Attributes.s;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.JournalEntry;
import dev.pinaivu.core.ledger.Ledger;
import dev.pinaivu.core.ledger.LedgerConflictException;
import dev.pinaivu.core.ledger.LedgerTotals;
import dev.pinaivu.core.ledger.Settlement;
import dev.pinaivu.core.ledger.SettlementResult;
import dev.pinaivu.core.ledger.TopUp;
import dev.pinaivu.core.ledger.TopUpResult;
import java.math.BigInteger;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * {@link Ledger} on the network table. Each top-up and each settlement is one TransactWriteItems:
 * its record ({@code TOPUP#<reference>} or {@code REQ#<id>/SETTLED}, on condition that it does not
 * exist: the idempotency key, kept forever), its journal entries and an {@code ADD} on every
 * balance it moves, each on condition that the balance stays in range. When the record exists, the
 * item DynamoDB hands back with the cancellation tells a retry (same content: the original result)
 * from a conflict. The fee account is credited on one of 32 shards per settlement, so that it is
 * not one hot item; its balance and the ledger's totals are sums over the shards.
 */
public final class DynamoDbLedger implements Ledger {
  private static final int MAX_ATTEMPTS = 10;
  private static final Comparator<JournalEntry> JOURNAL_ORDER =
      Comparator.comparingLong(JournalEntry::atMs)
          .thenComparing(JournalEntry::reference)
          .thenComparing(e -> e.kind().name());

  private final NetworkTable table;
  private final InstantSource clock;

  public DynamoDbLedger(DynamoDbClient dynamo, String table, InstantSource clock) {
    this.table = new NetworkTable(dynamo, table);
    this.clock = clock;
  }

  @Override
  public TopUpResult credit(TopUp topUp) {
    for (int attempt = 1; ; attempt++) {
      long now = clock.millis();
      Transaction tx = table.transaction();
      LedgerWrites.credit(tx, topUp, now);
      Cancellation refused = table.transact("credit top-up " + topUp.reference(), tx);
      if (refused == null) {
        return new TopUpResult(TopUpResult.Status.APPLIED, topUp, now);
      }
      if (refused.failed(LedgerWrites.TOP_UP)) {
        TopUpResult recorded =
            LedgerItems.recordedTopUp(topUp.reference(), refused.item(LedgerWrites.TOP_UP));
        if (!recorded.topUp().equals(topUp)) {
          throw LedgerConflictException.of(recorded.topUp(), topUp);
        }
        return recorded;
      }
      LedgerWrites.refuseOverflow(refused, topUp.entries(now), 0);
      giveUpAfter(attempt, "credit top-up " + topUp.reference());
    }
  }

  @Override
  public SettlementResult settle(Settlement settlement) {
    for (int attempt = 1; ; attempt++) {
      long now = clock.millis();
      Transaction tx = table.transaction();
      LedgerWrites.settle(tx, settlement, now);
      Cancellation refused = table.transact("settle " + settlement.requestId(), tx);
      if (refused == null) {
        return new SettlementResult(SettlementResult.Status.APPLIED, settlement, now);
      }
      if (refused.failed(LedgerWrites.SETTLED)) {
        SettlementResult recorded =
            LedgerItems.recordedSettlement(
                settlement.requestId(), refused.item(LedgerWrites.SETTLED));
        if (!recorded.settlement().equals(settlement)) {
          throw LedgerConflictException.of(recorded.settlement(), settlement);
        }
        return recorded;
      }
      LedgerWrites.refuseOverflow(
          refused, settlement.entries(now), NetworkKeys.feeShard(settlement.requestId()));
      giveUpAfter(attempt, "settle " + settlement.requestId());
    }
  }

  @Override
  public long balance(AccountId account) {
    BigInteger sum = BigInteger.ZERO;
    for (Map<String, AttributeValue> shard : balances(account)) {
      sum = sum.add(number(shard, LedgerItems.MICROS));
    }
    return sum.longValueExact();
  }

  @Override
  public Optional<Settlement> settlement(RequestId requestId) {
    return Optional.ofNullable(table.get("read a settlement", NetworkKeys.settled(requestId)))
        .map(item -> LedgerItems.settlement(requestId, item));
  }

  @Override
  public List<JournalEntry> entries(AccountId account, long fromMs, long toMs) {
    Optional<SortableTime.Range> range = SortableTime.range(fromMs, toMs);
    if (range.isEmpty()) {
      return List.of();
    }
    int shards = account.kind() == AccountId.Kind.FEE ? NetworkKeys.FEE_SHARDS : 1;
    List<JournalEntry> entries = new ArrayList<>();
    for (int shard = 0; shard < shards; shard++) {
      QueryRequest query =
          QueryRequest.builder()
              .keyConditionExpression("#pk = :pk AND #sk BETWEEN :low AND :high")
              .expressionAttributeNames(Map.of("#pk", NetworkTable.PK, "#sk", NetworkTable.SK))
              .expressionAttributeValues(
                  Map.of(
                      ":pk", s(NetworkKeys.journalPartition(account, shard)),
                      ":low", s(range.get().low()),
                      ":high", s(range.get().high())))
              .consistentRead(true)
              .build();
      table.query("read the journal of " + account, query).stream()
          .map(LedgerItems::entry)
          .forEach(entries::add);
    }
    entries.sort(JOURNAL_ORDER);
    return entries;
  }

  /**
   * Top-ups are what the external account gave; charges, node credits and fees are the sums the fee
   * shards keep, since every settlement moves exactly one of them.
   */
  @Override
  public LedgerTotals totals() {
    BigInteger charged = BigInteger.ZERO;
    BigInteger earned = BigInteger.ZERO;
    BigInteger fees = BigInteger.ZERO;
    for (Map<String, AttributeValue> shard : balances(AccountId.FEE)) {
      charged = charged.add(number(shard, LedgerItems.CHARGED));
      earned = earned.add(number(shard, LedgerItems.EARNED));
      fees = fees.add(number(shard, LedgerItems.MICROS));
    }
    return new LedgerTotals(
        Math.negateExact(balance(AccountId.EXTERNAL)),
        charged.longValueExact(),
        earned.longValueExact(),
        fees.longValueExact());
  }

  private List<Map<String, AttributeValue>> balances(AccountId account) {
    QueryRequest query =
        QueryRequest.builder()
            .keyConditionExpression("#pk = :pk")
            .expressionAttributeNames(Map.of("#pk", NetworkTable.PK))
            .expressionAttributeValues(Map.of(":pk", s(NetworkKeys.balancePartition(account))))
            .consistentRead(true)
            .build();
    return table.query("read the balance of " + account, query);
  }

  /** A balance refused a movement, then changed before it could be read: try again, a few times. */
  static void giveUpAfter(int attempt, String operation) {
    if (attempt >= MAX_ATTEMPTS) {
      throw new NetworkStoreException(
          operation, "a balance refused the movement " + attempt + " times, then allowed it");
    }
  }
}
