package dev.pinaivu.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.node.NodeId;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Ledger} adapter must do. An adapter's test extends this class and supplies a
 * new, empty ledger reading time from the given clock; the same assertions then run against memory,
 * SQLite and DynamoDB.
 */
public abstract class LedgerContract {
  protected static final AccountId ALICE = AccountId.client("acct_alice");
  protected static final AccountId BOB = AccountId.client("acct_bob");
  protected static final AccountId NODE_A = node('a');
  protected static final AccountId NODE_B = node('b');
  protected static final long START_MS = 1_800_000_000_000L;

  /** Time the test moves by hand. */
  protected final AtomicLong now = new AtomicLong(START_MS);

  protected final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
  protected Ledger ledger;

  /** A new ledger holding no entries, reading time from {@code clock}. */
  protected abstract Ledger newLedger(InstantSource clock);

  @BeforeEach
  void createLedger() {
    ledger = newLedger(clock);
  }

  protected static AccountId node(char digit) {
    return AccountId.node(new NodeId("node_" + String.valueOf(digit).repeat(26)));
  }

  protected static Settlement settlement(
      RequestId id, AccountId client, AccountId node, long nodeMicros, long feeMicros) {
    return new Settlement(id, client, node, nodeMicros + feeMicros, nodeMicros, feeMicros);
  }

  /** See {@link LedgerAudit#assertBooksBalance}. */
  protected void assertBooksBalance(List<AccountId> clients, List<AccountId> nodes) {
    LedgerAudit.assertBooksBalance(ledger, clients, nodes);
  }

  // --- top-ups

  @Test
  void credit_addsToTheClientBalance_andRecordsABalancedTransaction() {
    TopUpResult result = ledger.credit("acct_alice", 5_000_000, "pay_1");

    assertThat(result.status()).isEqualTo(TopUpResult.Status.APPLIED);
    assertThat(result.creditedAtMs()).isEqualTo(START_MS);
    assertThat(ledger.balance(ALICE)).isEqualTo(5_000_000);
    assertThat(ledger.balance(AccountId.EXTERNAL)).isEqualTo(-5_000_000);
    assertThat(ledger.entries(ALICE, START_MS, START_MS + 1))
        .containsExactly(new JournalEntry(ALICE, 5_000_000, EntryKind.TOP_UP, "pay_1", START_MS));
    assertThat(ledger.totals()).isEqualTo(new LedgerTotals(5_000_000, 0, 0, 0));
    assertBooksBalance(List.of(ALICE), List.of());
  }

  @Test
  void credit_whenRetried_creditsOnce_andReturnsTheOriginalResult() {
    TopUpResult first = ledger.credit(new TopUp(ALICE, 700, "pay_1"));
    now.addAndGet(60_000);

    TopUpResult again = ledger.credit(new TopUp(ALICE, 700, "pay_1"));

    assertThat(again.status()).isEqualTo(TopUpResult.Status.ALREADY_CREDITED);
    assertThat(again.topUp()).isEqualTo(first.topUp());
    assertThat(again.creditedAtMs()).isEqualTo(first.creditedAtMs());
    assertThat(ledger.balance(ALICE)).isEqualTo(700);
    assertThat(ledger.totals().topUpsMicros()).isEqualTo(700);
  }

  @Test
  void credit_sameReferenceWithAnotherAmountOrAccount_isRefusedAsAConflict() {
    ledger.credit(new TopUp(ALICE, 700, "pay_1"));

    assertThatThrownBy(() -> ledger.credit(new TopUp(ALICE, 701, "pay_1")))
        .isInstanceOf(LedgerConflictException.class)
        .hasMessageContaining("pay_1")
        .hasMessageContaining("nothing was applied");
    assertThatThrownBy(() -> ledger.credit(new TopUp(BOB, 700, "pay_1")))
        .isInstanceOf(LedgerConflictException.class);

    assertThat(ledger.balance(ALICE)).isEqualTo(700);
    assertThat(ledger.balance(BOB)).isZero();
    assertBooksBalance(List.of(ALICE, BOB), List.of());
  }

  @Test
  void credit_refusesAmountsThatAreNotPositive_withAClearMessage() {
    assertThatThrownBy(() -> ledger.credit("acct_alice", 0, "pay_0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> ledger.credit("acct_alice", -5, "pay_neg"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-5");
    assertThat(ledger.totals()).isEqualTo(LedgerTotals.ZERO);
  }

  @Test
  void credit_refusesAccountsThatAreNotClients_andBadReferences() {
    assertThatThrownBy(() -> ledger.credit("fee", 1, "pay_1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("acct_");
    assertThatThrownBy(() -> ledger.credit(NODE_A.value(), 1, "pay_1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ledger.credit("alice", 1, "pay_1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a ledger account");
    assertThatThrownBy(() -> ledger.credit("acct_alice", 1, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reference");
    assertThatThrownBy(() -> ledger.credit("acct_alice", 1, "x".repeat(129)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ledger.credit("acct_alice", 1, "pay\n1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ledger.credit("acct_alice", 1, " pay_1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ledger.totals()).isEqualTo(LedgerTotals.ZERO);
  }

  @Test
  void credit_thatWouldOverflowTheBalance_isRefusedWhole() {
    ledger.credit(new TopUp(ALICE, Long.MAX_VALUE, "pay_big"));

    assertThatThrownBy(() -> ledger.credit(new TopUp(ALICE, 1, "pay_more")))
        .isInstanceOf(BalanceOverflowException.class)
        .hasMessageContaining("acct_alice")
        .hasMessageContaining("nothing was applied");
    // The external account is already at -(2^63 - 1): any further top-up is refused there.
    assertThatThrownBy(() -> ledger.credit(new TopUp(BOB, 1, "pay_bob")))
        .isInstanceOf(BalanceOverflowException.class)
        .hasMessageContaining("external");

    assertThat(ledger.balance(ALICE)).isEqualTo(Long.MAX_VALUE);
    assertThat(ledger.balance(BOB)).isZero();
    assertThat(ledger.totals().topUpsMicros()).isEqualTo(Long.MAX_VALUE);
    assertBooksBalance(List.of(ALICE, BOB), List.of());
    // Refused references were not consumed: they can still be used once the books allow.
    assertThat(ledger.entries(BOB, Long.MIN_VALUE, Long.MAX_VALUE)).isEmpty();
  }

  // --- settlements

  @Test
  void settle_debitsTheClient_andCreditsTheNodeAndTheFee() {
    ledger.credit(new TopUp(ALICE, 1_000_000, "pay_1"));
    RequestId id = RequestId.next();
    now.addAndGet(10);

    SettlementResult result = ledger.settle(settlement(id, ALICE, NODE_A, 900, 100));

    assertThat(result.status()).isEqualTo(SettlementResult.Status.APPLIED);
    assertThat(result.settledAtMs()).isEqualTo(START_MS + 10);
    assertThat(ledger.balance(ALICE)).isEqualTo(1_000_000 - 1_000);
    assertThat(ledger.balance(NODE_A)).isEqualTo(900);
    assertThat(ledger.balance(AccountId.FEE)).isEqualTo(100);
    assertThat(ledger.settlement(id)).contains(result.settlement());
    assertThat(ledger.entries(NODE_A, START_MS, START_MS + 11))
        .containsExactly(
            new JournalEntry(NODE_A, 900, EntryKind.EARNING, id.value(), START_MS + 10));
    assertThat(ledger.entries(AccountId.FEE, START_MS, START_MS + 11))
        .containsExactly(
            new JournalEntry(AccountId.FEE, 100, EntryKind.FEE, id.value(), START_MS + 10));
    assertThat(ledger.totals()).isEqualTo(new LedgerTotals(1_000_000, 1_000, 900, 100));
    assertBooksBalance(List.of(ALICE), List.of(NODE_A));
  }

  @Test
  void settle_whenRetried_chargesOnce_andReturnsTheOriginalResult() {
    Settlement s = settlement(RequestId.next(), ALICE, NODE_A, 900, 100);
    SettlementResult first = ledger.settle(s);
    now.addAndGet(30_000);

    SettlementResult again = ledger.settle(s);
    SettlementResult andAgain = ledger.settle(s);

    assertThat(again.status()).isEqualTo(SettlementResult.Status.ALREADY_SETTLED);
    assertThat(again.settlement()).isEqualTo(s);
    assertThat(again.settledAtMs()).isEqualTo(first.settledAtMs());
    assertThat(andAgain).isEqualTo(again);
    assertThat(ledger.balance(ALICE)).isEqualTo(-1_000);
    assertThat(ledger.entries(ALICE, Long.MIN_VALUE, Long.MAX_VALUE)).hasSize(1);
    assertThat(ledger.totals()).isEqualTo(new LedgerTotals(0, 1_000, 900, 100));
  }

  @Test
  void settle_sameRequestWithOtherContent_isRefusedAsAConflict_andChangesNothing() {
    RequestId id = RequestId.next();
    Settlement recorded = settlement(id, ALICE, NODE_A, 900, 100);
    ledger.settle(recorded);

    List<Settlement> variants =
        List.of(
            settlement(id, ALICE, NODE_A, 901, 100),
            settlement(id, ALICE, NODE_A, 900, 101),
            settlement(id, ALICE, NODE_A, 1_000, 0),
            settlement(id, ALICE, NODE_B, 900, 100),
            settlement(id, BOB, NODE_A, 900, 100));
    for (Settlement variant : variants) {
      assertThatThrownBy(() -> ledger.settle(variant))
          .as("%s", variant)
          .isInstanceOf(LedgerConflictException.class)
          .hasMessageContaining(id.value())
          .hasMessageContaining("nothing was applied");
    }

    assertThat(ledger.settlement(id)).contains(recorded);
    assertThat(ledger.balance(ALICE)).isEqualTo(-1_000);
    assertThat(ledger.balance(BOB)).isZero();
    assertThat(ledger.balance(NODE_A)).isEqualTo(900);
    assertThat(ledger.balance(NODE_B)).isZero();
    assertThat(ledger.totals()).isEqualTo(new LedgerTotals(0, 1_000, 900, 100));
    assertBooksBalance(List.of(ALICE, BOB), List.of(NODE_A, NODE_B));
  }

  @Test
  void settle_mayTakeTheClientBalanceNegative() {
    ledger.credit(new TopUp(ALICE, 500, "pay_1"));

    ledger.settle(settlement(RequestId.next(), ALICE, NODE_A, 900, 100));

    assertThat(ledger.balance(ALICE)).isEqualTo(-500);
    assertBooksBalance(List.of(ALICE), List.of(NODE_A));
  }

  @Test
  void settle_ofAFreeRequest_isRecordedOnce_withZeroEntries() {
    RequestId id = RequestId.next();
    Settlement free = settlement(id, ALICE, NODE_A, 0, 0);

    assertThat(ledger.settle(free).status()).isEqualTo(SettlementResult.Status.APPLIED);
    assertThat(ledger.settle(free).status()).isEqualTo(SettlementResult.Status.ALREADY_SETTLED);

    assertThat(ledger.settlement(id)).contains(free);
    assertThat(ledger.entries(ALICE, Long.MIN_VALUE, Long.MAX_VALUE))
        .extracting(JournalEntry::amountMicros)
        .containsExactly(0L);
    assertThat(ledger.totals()).isEqualTo(LedgerTotals.ZERO);
  }

  @Test
  void settlement_refusesATotalOtherThanNodePlusFee_withAClearMessage() {
    RequestId id = RequestId.next();

    assertThatThrownBy(() -> ledger.settle(new Settlement(id, ALICE, NODE_A, 1_000, 900, 99)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("total 1000 must equal node 900 + fee 99");
    assertThat(ledger.settlement(id)).isEmpty();
  }

  @Test
  void settle_thatWouldOverflowABalance_isRefusedWhole_andLeavesTheRequestUnsettled() {
    ledger.settle(settlement(RequestId.next(), ALICE, NODE_A, Long.MAX_VALUE, 0));
    RequestId second = RequestId.next();

    assertThatThrownBy(() -> ledger.settle(settlement(second, ALICE, NODE_B, 1, 0)))
        .isInstanceOf(BalanceOverflowException.class)
        .hasMessageContaining("acct_alice");
    assertThatThrownBy(() -> ledger.settle(settlement(second, BOB, NODE_A, 1, 0)))
        .isInstanceOf(BalanceOverflowException.class)
        .hasMessageContaining(NODE_A.value());

    assertThat(ledger.settlement(second)).isEmpty();
    assertThat(ledger.balance(NODE_B)).isZero();
    assertThat(ledger.balance(BOB)).isZero();
    assertBooksBalance(List.of(ALICE, BOB), List.of(NODE_A, NODE_B));
    // The id was not consumed: a settlement that fits can still use it.
    assertThat(ledger.settle(settlement(second, BOB, NODE_B, 1, 0)).status())
        .isEqualTo(SettlementResult.Status.APPLIED);
  }

  // --- reads

  @Test
  void reads_ofUnknownAccountsAndRequests_areZeroAndEmpty() {
    assertThat(ledger.balance(ALICE)).isZero();
    assertThat(ledger.balance(NODE_A)).isZero();
    assertThat(ledger.balance(AccountId.FEE)).isZero();
    assertThat(ledger.balance(AccountId.EXTERNAL)).isZero();
    assertThat(ledger.entries(ALICE, Long.MIN_VALUE, Long.MAX_VALUE)).isEmpty();
    assertThat(ledger.settlement(RequestId.next())).isEmpty();
    assertThat(ledger.totals()).isEqualTo(LedgerTotals.ZERO);
  }

  @Test
  void settle_forAnAccountNeverCredited_chargesIt() {
    ledger.settle(settlement(RequestId.next(), BOB, NODE_B, 40, 2));

    assertThat(ledger.balance(BOB)).isEqualTo(-42);
    assertBooksBalance(List.of(BOB), List.of(NODE_B));
  }

  @Test
  void entries_areTheAccountsJournalInAHalfOpenWindow_inTimeOrder() {
    ledger.credit(new TopUp(ALICE, 10_000, "pay_1"));
    now.set(START_MS + 1_000);
    RequestId early = RequestId.next();
    ledger.settle(settlement(early, ALICE, NODE_A, 90, 10));
    now.set(START_MS + 2_000);
    RequestId late = RequestId.next();
    ledger.settle(settlement(late, ALICE, NODE_B, 180, 20));
    ledger.settle(settlement(RequestId.next(), BOB, NODE_A, 1, 1));

    assertThat(ledger.entries(ALICE, START_MS, START_MS + 2_001))
        .extracting(JournalEntry::reference, JournalEntry::kind, JournalEntry::amountMicros)
        .containsExactly(
            tuple("pay_1", EntryKind.TOP_UP, 10_000L),
            tuple(early.value(), EntryKind.CHARGE, -100L),
            tuple(late.value(), EntryKind.CHARGE, -200L));
    assertThat(ledger.entries(ALICE, START_MS + 1_000, START_MS + 2_000))
        .extracting(JournalEntry::reference)
        .containsExactly(early.value());
    assertThat(ledger.entries(ALICE, START_MS + 2_001, Long.MAX_VALUE)).isEmpty();
    assertThat(ledger.entries(ALICE, START_MS + 5, START_MS + 5)).isEmpty();
    assertThatThrownBy(() -> ledger.entries(ALICE, 10, 9))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void totals_sumTheWholeJournal() {
    ledger.credit(new TopUp(ALICE, 10_000, "pay_1"));
    ledger.credit(new TopUp(BOB, 3_000, "pay_2"));
    ledger.settle(settlement(RequestId.next(), ALICE, NODE_A, 90, 10));
    ledger.settle(settlement(RequestId.next(), BOB, NODE_A, 45, 5));
    ledger.settle(settlement(RequestId.next(), BOB, NODE_B, 4_500, 500));

    assertThat(ledger.totals()).isEqualTo(new LedgerTotals(13_000, 5_150, 4_635, 515));
    assertBooksBalance(List.of(ALICE, BOB), List.of(NODE_A, NODE_B));
  }

  // --- concurrency

  @Test
  void settle_concurrentlyWithDuplicatesAndRetries_appliesEachRequestOnce() throws Exception {
    List<AccountId> clients = List.of(ALICE, BOB, AccountId.client("acct_carol"));
    List<AccountId> nodes = List.of(NODE_A, NODE_B, node('c'));
    Random random = new Random(42);
    List<Settlement> settlements = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      long nodeMicros = random.nextInt(1_000_000);
      settlements.add(
          settlement(
              RequestId.next(),
              clients.get(i % clients.size()),
              nodes.get(random.nextInt(nodes.size())),
              nodeMicros,
              nodeMicros / 10));
    }
    List<Runnable> work = new ArrayList<>();
    Map<RequestId, List<SettlementResult.Status>> outcomes = new ConcurrentHashMap<>();
    for (Settlement s : settlements) {
      for (int copy = 0; copy < 3; copy++) {
        work.add(() -> {
          SettlementResult first = ledger.settle(s);
          // The caller lost the answer and retries: the retry must change nothing.
          SettlementResult retry = ledger.settle(s);
          assertThat(retry.status()).isEqualTo(SettlementResult.Status.ALREADY_SETTLED);
          assertThat(retry.settledAtMs()).isEqualTo(first.settledAtMs());
          outcomes
              .computeIfAbsent(s.requestId(), k -> new CopyOnWriteArrayList<>())
              .add(first.status());
        });
      }
    }
    for (int i = 0; i < 20; i++) {
      TopUp topUp = new TopUp(clients.get(i % clients.size()), 1_000 + i, "pay_" + i);
      work.add(() -> ledger.credit(topUp));
      work.add(() -> ledger.credit(topUp));
    }
    Collections.shuffle(work, random);

    runConcurrently(work, 8);

    for (Settlement s : settlements) {
      assertThat(outcomes.get(s.requestId()))
          .as("outcomes of %s", s.requestId())
          .containsExactlyInAnyOrder(
              SettlementResult.Status.APPLIED,
              SettlementResult.Status.ALREADY_SETTLED,
              SettlementResult.Status.ALREADY_SETTLED);
      assertThat(ledger.settlement(s.requestId())).contains(s);
    }
    long charged = settlements.stream().mapToLong(Settlement::totalMicros).sum();
    long earned = settlements.stream().mapToLong(Settlement::nodeMicros).sum();
    long fees = settlements.stream().mapToLong(Settlement::feeMicros).sum();
    long toppedUp = 0;
    for (int i = 0; i < 20; i++) {
      toppedUp += 1_000 + i;
    }
    assertThat(ledger.totals()).isEqualTo(new LedgerTotals(toppedUp, charged, earned, fees));
    assertBooksBalance(clients, nodes);
  }

  /** Runs every task on {@code threads} threads, all released at once; rethrows any failure. */
  protected static void runConcurrently(List<Runnable> work, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (Runnable task : work) {
        futures.add(
            pool.submit(() -> {
              start.await();
              task.run();
              return null;
            }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
