package dev.pinaivu.core.ledger;

import dev.pinaivu.core.id.RequestId;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The one in-memory fake of {@link Ledger}, for use-case tests; held to the same contract. */
public final class InMemoryLedger implements Ledger {
  private static final Comparator<JournalEntry> STATEMENT_ORDER =
      Comparator.comparingLong(JournalEntry::atMs)
          .thenComparing(JournalEntry::reference)
          .thenComparing(e -> e.kind().name());

  private final InstantSource clock;
  private final Map<String, TopUpResult> topUps = new HashMap<>();
  private final Map<RequestId, SettlementResult> settlements = new HashMap<>();
  private final List<JournalEntry> journal = new ArrayList<>();
  private final Map<AccountId, Long> balances = new HashMap<>();

  public InMemoryLedger() {
    this(InstantSource.system());
  }

  public InMemoryLedger(InstantSource clock) {
    this.clock = clock;
  }

  @Override
  public synchronized TopUpResult credit(TopUp topUp) {
    TopUpResult recorded = topUps.get(topUp.reference());
    if (recorded != null) {
      if (!recorded.topUp().equals(topUp)) {
        throw LedgerConflictException.of(recorded.topUp(), topUp);
      }
      return new TopUpResult(
          TopUpResult.Status.ALREADY_CREDITED, recorded.topUp(), recorded.creditedAtMs());
    }
    long now = clock.millis();
    post(topUp.entries(now));
    TopUpResult result = new TopUpResult(TopUpResult.Status.APPLIED, topUp, now);
    topUps.put(topUp.reference(), result);
    return result;
  }

  @Override
  public synchronized SettlementResult settle(Settlement settlement) {
    SettlementResult recorded = settlements.get(settlement.requestId());
    if (recorded != null) {
      if (!recorded.settlement().equals(settlement)) {
        throw LedgerConflictException.of(recorded.settlement(), settlement);
      }
      return new SettlementResult(
          SettlementResult.Status.ALREADY_SETTLED, recorded.settlement(), recorded.settledAtMs());
    }
    long now = clock.millis();
    post(settlement.entries(now));
    SettlementResult result =
        new SettlementResult(SettlementResult.Status.APPLIED, settlement, now);
    settlements.put(settlement.requestId(), result);
    return result;
  }

  /** Applies balanced entries all together, or none if any balance would overflow. */
  private void post(List<JournalEntry> entries) {
    Map<AccountId, Long> after = new HashMap<>();
    for (JournalEntry e : entries) {
      long before = after.getOrDefault(e.account(), balance(e.account()));
      after.put(e.account(), e.applyTo(before));
    }
    journal.addAll(entries);
    balances.putAll(after);
  }

  @Override
  public synchronized long balance(AccountId account) {
    return balances.getOrDefault(account, 0L);
  }

  @Override
  public synchronized Optional<Settlement> settlement(RequestId requestId) {
    return Optional.ofNullable(settlements.get(requestId)).map(SettlementResult::settlement);
  }

  @Override
  public synchronized List<JournalEntry> entries(AccountId account, long fromMs, long toMs) {
    if (fromMs > toMs) {
      throw new IllegalArgumentException("fromMs " + fromMs + " is after toMs " + toMs);
    }
    return journal.stream()
        .filter(e -> e.account().equals(account) && e.atMs() >= fromMs && e.atMs() < toMs)
        .sorted(STATEMENT_ORDER)
        .toList();
  }

  @Override
  public synchronized LedgerTotals totals() {
    return LedgerTotals.of(journal);
  }
}
