package dev.pinaivu.core.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.receipt.Outcome;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.TestReceipt;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ReceiptStore} adapter must do. An adapter's test extends this class and
 * supplies a new, empty store; the same assertions then run against memory, SQLite and DynamoDB.
 */
public abstract class ReceiptStoreContract {
  protected static final String ALICE = "acct_alice";
  protected static final String BOB = "acct_bob";
  protected static final long T0 = 1_800_000_000_000L;

  protected ReceiptStore store;

  /** A new store holding no receipts. */
  protected abstract ReceiptStore newStore();

  /**
   * The same data seen through a fresh store, as after a restart: SQLite closes and reopens its
   * file; a fake that has nothing to reopen returns itself.
   */
  protected abstract ReceiptStore reopen();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  protected static StoredReceipt receipt(RequestId id, String account, long issuedAtMs) {
    return new StoredReceipt(
        id,
        account,
        "key_1",
        "llama3.2:3b",
        "node_prq8czx2ycxfwrpnttrp8bgp44",
        "completed",
        issuedAtMs,
        12,
        7,
        8,
        "{\"request_id\":\"" + id + "\"}");
  }

  @Test
  void save_newReceipt_returnsTrue_andFindReturnsEveryFieldUnchanged() {
    StoredReceipt r =
        new StoredReceipt(
            RequestId.next(),
            ALICE,
            "key_01",
            "qwen/ünïcode-model",
            "node_prq8czx2ycxfwrpnttrp8bgp44",
            "cancelled",
            T0,
            Long.MAX_VALUE / 2,
            0,
            (1L << 53) - 1,
            "{\"alg\":\"Ed25519\",\"note\":\"émoji 🧾\"}");

    assertThat(store.save(r)).isTrue();

    assertThat(store.find(r.requestId())).contains(r);
  }

  @Test
  void find_unknownRequestId_isEmpty() {
    store.save(receipt(RequestId.next(), ALICE, T0));

    assertThat(store.find(RequestId.next())).isEmpty();
  }

  @Test
  void save_sameRequestIdAgain_returnsFalse_andKeepsTheFirstEvenWithOtherContent() {
    RequestId id = RequestId.next();
    StoredReceipt first = receipt(id, ALICE, T0);
    StoredReceipt other =
        new StoredReceipt(
            id, BOB, "key_2", "other", "node_x", "failed", T0 + 5, 1, 2, 3, "{\"forged\":true}");

    assertThat(store.save(first)).isTrue();
    assertThat(store.save(other)).isFalse();
    assertThat(store.save(first)).isFalse();

    assertThat(store.find(id)).contains(first);
    assertThat(store.list(BOB, 0, Long.MAX_VALUE)).isEmpty();
    assertThat(store.list(ALICE, 0, Long.MAX_VALUE)).containsExactly(first);
  }

  @Test
  void list_holdsTheRangeStart_butNotItsEnd_oldestFirst() {
    StoredReceipt before = receipt(RequestId.next(), ALICE, T0 - 1);
    StoredReceipt atStart = receipt(RequestId.next(), ALICE, T0);
    StoredReceipt middle = receipt(RequestId.next(), ALICE, T0 + 500);
    StoredReceipt lastIn = receipt(RequestId.next(), ALICE, T0 + 999);
    StoredReceipt atEnd = receipt(RequestId.next(), ALICE, T0 + 1000);
    for (StoredReceipt r : List.of(atEnd, middle, before, lastIn, atStart)) {
      store.save(r);
    }

    assertThat(store.list(ALICE, T0, T0 + 1000)).containsExactly(atStart, middle, lastIn);
  }

  @Test
  void list_receiptsIssuedInTheSameMillisecond_areOrderedByRequestId() {
    List<RequestId> ids = new ArrayList<>(List.of(RequestId.next(), RequestId.next()));
    ids.sort((a, b) -> a.value().compareTo(b.value()));
    store.save(receipt(ids.get(1), ALICE, T0));
    store.save(receipt(ids.get(0), ALICE, T0));

    assertThat(store.list(ALICE, T0, T0 + 1))
        .extracting(StoredReceipt::requestId)
        .containsExactlyElementsOf(ids);
  }

  @Test
  void figures_areTheListedReceiptsFigures_inTheSameOrder() {
    List<StoredReceipt> saved = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      StoredReceipt r =
          new StoredReceipt(
              RequestId.next(),
              ALICE,
              "key_" + (i % 2),
              i % 2 == 0 ? "llama3.2:3b" : "qwen/ünïcode-model",
              "node_prq8czx2ycxfwrpnttrp8bgp44",
              "completed",
              T0 + 1_000 - 100L * i,
              10L + i,
              20L * i,
              300L + i,
              "{\"i\":" + i + "}");
      saved.add(r);
      store.save(r);
    }
    store.save(receipt(RequestId.next(), BOB, T0));

    List<ReceiptFigures> figures = store.figures(ALICE, T0, T0 + 1_000);

    assertThat(figures)
        .containsExactlyElementsOf(
            store.list(ALICE, T0, T0 + 1_000).stream().map(ReceiptFigures::of).toList())
        .hasSize(4)
        .first()
        .isEqualTo(ReceiptFigures.of(saved.get(4)));
    assertThat(store.figures(ALICE, T0, T0)).isEmpty();
    assertThatThrownBy(() -> store.figures(ALICE, T0 + 1, T0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void list_showsOnlyTheAccountsOwnReceipts() {
    StoredReceipt alice = receipt(RequestId.next(), ALICE, T0);
    StoredReceipt bob = receipt(RequestId.next(), BOB, T0);
    store.save(alice);
    store.save(bob);

    assertThat(store.list(ALICE, 0, Long.MAX_VALUE)).containsExactly(alice);
    assertThat(store.list(BOB, 0, Long.MAX_VALUE)).containsExactly(bob);
    assertThat(store.list("acct_carol", 0, Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void list_emptyRange_isEmpty_andAnInvertedRangeIsRefused() {
    store.save(receipt(RequestId.next(), ALICE, T0));

    assertThat(store.list(ALICE, T0, T0)).isEmpty();
    assertThatThrownBy(() -> store.list(ALICE, T0 + 1, T0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void receipts_surviveReopening() {
    StoredReceipt r = receipt(RequestId.next(), ALICE, T0);
    store.save(r);

    store = reopen();

    assertThat(store.find(r.requestId())).contains(r);
    assertThat(store.list(ALICE, T0, T0 + 1)).containsExactly(r);
    assertThat(store.save(r)).isFalse();
  }

  @Test
  void save_concurrentlyWithOneRequestId_exactlyOneWins_andItsContentIsKept() throws Exception {
    RequestId id = RequestId.next();
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> saved = new ArrayList<>();
      List<StoredReceipt> versions = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        StoredReceipt version = receipt(id, ALICE, T0 + i);
        versions.add(version);
        saved.add(
            pool.submit(() -> {
              start.await();
              return store.save(version);
            }));
      }
      start.countDown();
      List<StoredReceipt> winners = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        if (saved.get(i).get()) {
          winners.add(versions.get(i));
        }
      }

      assertThat(winners).hasSize(1);
      assertThat(store.find(id)).contains(winners.get(0));
      assertThat(store.list(ALICE, 0, Long.MAX_VALUE)).containsExactly(winners.get(0));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void loggedFrom_listsTheReceiptsLoggedAtOrPastTheIndex_byIndex_andNeverOneWithoutAnIndex() {
    SignedReceipt atFive = logged(5);
    SignedReceipt atTwo = logged(2);
    SignedReceipt atZero = logged(0);
    store.save(StoredReceipt.of(ALICE, "key_1", atFive));
    store.save(StoredReceipt.of(BOB, "key_2", atTwo));
    store.save(StoredReceipt.of(ALICE, "key_1", atZero));
    store.save(receipt(RequestId.next(), ALICE, T0)); // no log member at all
    store.save(
        StoredReceipt.of(
            ALICE,
            "key_1",
            TestReceipt.signed(
                RequestId.next(), Outcome.COMPLETED, Usage.of(3, 4), 4, T0))); // never logged

    assertThat(read(store.loggedFrom(0))).containsExactly(as(atZero), as(atTwo), as(atFive));
    assertThat(read(store.loggedFrom(2))).containsExactly(as(atTwo), as(atFive));
    assertThat(read(store.loggedFrom(3))).containsExactly(as(atFive));
    assertThat(store.loggedFrom(6)).isEmpty();
    store = reopen();
    assertThat(read(store.loggedFrom(1))).containsExactly(as(atTwo), as(atFive));
  }

  /** What a stored envelope must keep: its log entry (the signed part) and its log index. */
  private static String as(SignedReceipt r) {
    return Base64.getEncoder().encodeToString(r.logEntry()) + "@" + r.log().get("index").asLong();
  }

  private static List<String> read(List<SignedReceipt> receipts) {
    return receipts.stream().map(ReceiptStoreContract::as).toList();
  }

  private static SignedReceipt logged(long index) {
    ObjectNode log = Json.object();
    log.put("index", index);
    log.put("checkpoint", "a checkpoint");
    return TestReceipt.signed(RequestId.next(), Outcome.COMPLETED, Usage.of(12, 7), 7, T0 + index)
        .withLog(log);
  }
}
