package dev.pinaivu.core.billing;

import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.Ledger;
import dev.pinaivu.core.ledger.Settlement;
import dev.pinaivu.core.receipt.AccountRef;
import dev.pinaivu.core.receipt.Receipt;
import dev.pinaivu.core.receipt.SignedProof;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.Verification;
import dev.pinaivu.core.usage.ReceiptStore;
import dev.pinaivu.core.usage.StoredReceipt;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Use case: settle a finished job. Waits for the node's signed proof, has the coordinator check it
 * and sign the receipt, stores the receipt, then moves the money (debit the client, credit the node
 * and the fee) in one idempotent ledger step keyed by the request id. The receipt is stored before
 * the money moves, and both steps are idempotent, so a retry or a restart that replays a stored
 * receipt ({@link #apply(StoredReceipt, Receipt)}) never charges twice. No proof, or a proof the
 * coordinator refuses: no receipt and no charge (the node is not paid either).
 *
 * <p>From the moment the proof arrives until the receipt is stored, the settlement is kept durably
 * ({@link PendingSettlements}): a gateway that crashes in between, or a coordinator that is
 * unreachable, only delays it; {@link #retryOwed} completes it later.
 */
public final class RequestSettler {
  private static final Logger log = LoggerFactory.getLogger(RequestSettler.class);

  private final SettlingAttempts coordinator;
  private final Ledger ledger;
  private final ReceiptStore receipts;
  private final PendingSettlements owed;
  private final StoreTransaction transaction;
  private final Function<String, byte[]> accountSecrets;
  private final Executor executor;
  private final Duration proofWait;
  private final Clock clock;
  private final Map<String, CompletableFuture<StoredReceipt>> pending = new ConcurrentHashMap<>();
  private final java.util.List<SettlementListener> listeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Told about every settled request, after the money moved (key spend, the log's sync). */
  public interface SettlementListener {
    void settled(StoredReceipt receipt);
  }

  /**
   * Where settlement writes: the ledger, the receipts, the settlements owed from the node's proof
   * until the receipt is stored, and the transaction that commits the last three steps together.
   */
  public record Stores(
      Ledger ledger,
      ReceiptStore receipts,
      PendingSettlements owed,
      StoreTransaction transaction) {}

  /**
   * @param accountSecrets the secret behind each account's receipt reference (docs/receipts.md)
   * @param executor runs settlements, off the request path
   */
  public RequestSettler(
      Coordinator coordinator,
      Stores stores,
      Function<String, byte[]> accountSecrets,
      Executor executor,
      Duration proofWait,
      Clock clock) {
    this.coordinator = new SettlingAttempts(coordinator);
    this.ledger = stores.ledger();
    this.receipts = stores.receipts();
    this.owed = stores.owed();
    this.transaction = stores.transaction();
    this.accountSecrets = accountSecrets;
    this.executor = executor;
    this.proofWait = proofWait;
    this.clock = clock;
  }

  public void addListener(SettlementListener listener) {
    listeners.add(listener);
  }

  /**
   * Announces that {@code requestId} may soon be settled, before any of its response can reach the
   * client, so that a receipt asked for the moment the response ends waits for its settlement
   * instead of finding nothing. Follow with {@link #submit} or {@link #abandon}.
   */
  public void expect(RequestId requestId) {
    pending.putIfAbsent(requestId.value(), new CompletableFuture<>());
  }

  /**
   * Withdraws an {@link #expect}: the request ended without output, so there is nothing to bill.
   */
  public void abandon(RequestId requestId) {
    CompletableFuture<StoredReceipt> expected = pending.remove(requestId.value());
    if (expected != null) {
      expected.complete(null);
    }
  }

  /** Settles {@code job} in the background. */
  public void submit(FinishedJob job) {
    CompletableFuture<StoredReceipt> done =
        pending.computeIfAbsent(job.requestId().value(), id -> new CompletableFuture<>());
    executor.execute(() -> {
      StoredReceipt stored = null;
      try {
        stored = settle(job);
      } catch (RuntimeException e) {
        log.error("{} settlement failed", job.requestId(), e);
      } finally {
        done.complete(stored);
        pending.remove(job.requestId().value(), done);
      }
    });
  }

  /**
   * The receipt of a request being settled right now, waited for up to {@code timeout}; null when
   * nothing is being settled under that id or it yields no receipt.
   */
  public StoredReceipt awaitPending(String requestId, Duration timeout)
      throws InterruptedException {
    CompletableFuture<StoredReceipt> f = pending.get(requestId);
    if (f == null) {
      return null;
    }
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return null;
    }
  }

  StoredReceipt settle(FinishedJob job) {
    SignedProof proof = awaitProof(job);
    if (proof == null) {
      log.warn("{} node {} sent no proof; nothing billed", job.requestId(), job.nodeId());
      return null;
    }
    String accountRef =
        AccountRef.of(accountSecrets.apply(job.caller().accountId()), job.requestId());
    PendingSettlement settlement =
        new PendingSettlement(
            job.requestId(),
            job.caller().accountId(),
            job.caller().keyId(),
            new Coordinator.SettleRequest(
                job.dispatchToken(),
                proof,
                job.stream().nodePublicKey(),
                job.delivery(),
                accountRef),
            clock.millis());
    owed.keep(settlement); // from here a crash or an outage only delays the receipt
    return complete(settlement);
  }

  /**
   * Completes the settlements kept at least {@code age} ago and not completed since: after a
   * restart, or once the coordinator is back. Safe beside the request path, since every step is
   * idempotent by request id.
   *
   * @return how many were completed (receipt stored and money moved)
   */
  public int retryOwed(Duration age) {
    int completed = 0;
    for (PendingSettlement settlement : owed.keptUntil(clock.millis() - age.toMillis())) {
      try {
        if (complete(settlement) != null) {
          completed++;
          log.info("{} settled after a restart or an outage", settlement.requestId());
        }
      } catch (RuntimeException e) {
        log.error("{} settlement failed again", settlement.requestId(), e);
      }
    }
    return completed;
  }

  /**
   * Has the coordinator sign the receipt (unless one is stored already), stores it, moves the money
   * and forgets the settlement. Null when the coordinator is unreachable (the settlement stays
   * kept) or refuses the evidence (it is forgotten: nothing is billed).
   */
  private StoredReceipt complete(PendingSettlement settlement) {
    Optional<StoredReceipt> earlier = receipts.find(settlement.requestId());
    if (earlier.isPresent()) { // stored just before a crash: never signed a second time
      replay(List.of(earlier.get()));
      owed.forget(settlement.requestId());
      return earlier.get();
    }
    Verification<SignedReceipt> signed = coordinator.settle(settlement.request());
    if (signed == null) {
      return null;
    }
    if (!signed.valid()) {
      log.warn(
          "{} the coordinator refused the proof: {}; nothing billed",
          settlement.requestId(),
          signed.reason());
      owed.forget(settlement.requestId());
      return null;
    }
    StoredReceipt signedNow =
        StoredReceipt.of(settlement.accountId(), settlement.keyId(), signed.value());
    boolean saved =
        transaction.inOne(() -> { // receipt, money and forgetting: one commit, all or nothing
          boolean first = receipts.save(signedNow);
          if (first) {
            apply(signedNow, signed.value().receipt());
          }
          owed.forget(settlement.requestId());
          return first;
        });
    StoredReceipt stored = signedNow;
    if (!saved) { // raced by another completion of the same request: its receipt stands
      stored = receipts.find(settlement.requestId()).orElse(signedNow);
      replay(List.of(stored));
      return stored;
    }
    return notified(stored);
  }

  private StoredReceipt notified(StoredReceipt stored) {
    for (SettlementListener l : listeners) {
      l.settled(stored);
    }
    return stored;
  }

  /** Moves the money of a stored receipt; idempotent, so replaying a receipt is safe. */
  public void apply(StoredReceipt stored, Receipt receipt) {
    ledger.settle(
        new Settlement(
            stored.requestId(),
            AccountId.client(stored.accountId()),
            AccountId.parse(stored.nodeId()),
            receipt.charge().totalCharged(),
            receipt.charge().nodeAmount(),
            receipt.charge().fee()));
  }

  /**
   * Moves the money of receipts stored just before a crash, whose ledger step did not happen; a
   * receipt that cannot be read is logged and left for an operator.
   */
  public void replay(List<StoredReceipt> unsettled) {
    for (StoredReceipt stored : unsettled) {
      try {
        SignedReceipt signed = Json.MAPPER.readValue(stored.signedReceipt(), SignedReceipt.class);
        apply(stored, signed.receipt());
        notified(stored); // the key's spend, too, is idempotent by request id
        log.info("{} settled from its stored receipt after a restart", stored.requestId());
      } catch (IOException | RuntimeException e) {
        log.error("{} cannot be replayed: {}", stored.requestId(), e.getMessage());
      }
    }
  }

  private SignedProof awaitProof(FinishedJob job) {
    try {
      return job.stream().proof().get(proofWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | TimeoutException e) {
      return null;
    }
  }
}
