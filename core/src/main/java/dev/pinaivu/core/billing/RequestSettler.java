package dev.pinaivu.core.billing;

import dev.pinaivu.core.coordinator.AlreadySettledException;
import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.limits.Reservations;
import dev.pinaivu.core.receipt.AccountRef;
import dev.pinaivu.core.receipt.DispatchToken;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedProof;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.Verification;
import dev.pinaivu.core.usage.ReceiptStore;
import dev.pinaivu.core.usage.StoredReceipt;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Use case: settle a finished job. Waits for the node's signed proof, has the coordinator check it
 * and sign the receipt, then records the receipt, the money (debit the client, credit the node and
 * the fee), the key's spend and the end of the owed settlement in one atomic write keyed by the
 * request id ({@link SettlementRecords}), and only then gives back the money held for the request
 * ({@link Reservations}). Every step is idempotent, so a retry or a restart never charges twice. No
 * proof, or a proof the coordinator refuses: no receipt and no charge (the node is not paid
 * either).
 *
 * <p>From the moment the proof arrives until the record is written, the settlement is kept durably
 * ({@link PendingSettlements}): a gateway that crashes in between, or a coordinator that is
 * unreachable, only delays it; {@link #retryOwed} completes it later, and {@link #restoreHolds}
 * holds its money again after a restart.
 */
public final class RequestSettler {
  private static final Logger log = LoggerFactory.getLogger(RequestSettler.class);

  private final SettlingAttempts coordinator;
  private final ReceiptStore receipts;
  private final PendingSettlements owed;
  private final SettlementRecords records;
  private final LoggedReceipts logged;
  private final Reservations holds;
  private final Function<String, byte[]> accountSecrets;
  private final Executor executor;
  private final Duration proofWait;
  private final Clock clock;
  private final Map<String, CompletableFuture<StoredReceipt>> pending = new ConcurrentHashMap<>();
  private final List<SettlementListener> listeners = new CopyOnWriteArrayList<>();

  /** Told about every request settled now, after its record was written (the log's sync). */
  public interface SettlementListener {
    void settled(StoredReceipt receipt);
  }

  /**
   * Where settlement reads and writes: the stored receipts, the settlements owed from the node's
   * proof until the record is written, the atomic record itself, and the stored log (to recover a
   * receipt whose answer was lost).
   */
  public record Stores(
      ReceiptStore receipts,
      PendingSettlements owed,
      SettlementRecords records,
      LoggedReceipts logged) {}

  /**
   * @param holds the money held for requests in flight; released once their record is written
   * @param accountSecrets the secret behind each account's receipt reference (docs/receipts.md)
   * @param executor runs settlements, off the request path
   */
  public RequestSettler(
      Coordinator coordinator,
      Stores stores,
      Reservations holds,
      Function<String, byte[]> accountSecrets,
      Executor executor,
      Duration proofWait,
      Clock clock) {
    this.coordinator = new SettlingAttempts(coordinator);
    this.receipts = stores.receipts();
    this.owed = stores.owed();
    this.records = stores.records();
    this.logged = stores.logged();
    this.holds = holds;
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
   * Withdraws an {@link #expect}: the request ended with nothing to settle, so its hold goes back.
   */
  public void abandon(RequestId requestId) {
    holds.release(requestId);
    CompletableFuture<StoredReceipt> expected = pending.remove(requestId.value());
    if (expected != null) {
      expected.complete(null);
    }
  }

  /** Settles {@code job} in the background; its hold goes back once it is settled or refused. */
  public void submit(FinishedJob job) {
    inBackground(job.requestId(), () -> settle(job));
  }

  /**
   * Keeps {@code job}'s settlement durably now, before the last bytes of its answer reach the
   * client, so that a client never holds a whole answer whose bill a crash could still lose. Waits
   * up to {@code wait} for the node's proof, which an honest node sends right after its last
   * output; follow with {@link #submitKept}. Null when no proof came in time: the answer is written
   * anyway and {@link #submit} waits out the rest (a node that proves late risks its pay if this
   * process dies meanwhile, no one else's money).
   */
  public PendingSettlement keepBeforeLastWrite(FinishedJob job, Duration wait) {
    SignedProof proof = awaitProof(job, wait);
    if (proof == null) {
      return null;
    }
    PendingSettlement settlement = owed(job, proof);
    owed.keep(settlement);
    return settlement;
  }

  /** Completes a settlement {@link #keepBeforeLastWrite} kept, in the background. */
  public void submitKept(PendingSettlement kept) {
    inBackground(kept.requestId(), () -> complete(kept));
  }

  private void inBackground(RequestId requestId, Supplier<StoredReceipt> settlement) {
    CompletableFuture<StoredReceipt> done =
        pending.computeIfAbsent(requestId.value(), id -> new CompletableFuture<>());
    executor.execute(() -> {
      StoredReceipt stored = null;
      try {
        stored = settlement.get();
      } catch (RuntimeException e) {
        log.error("{} settlement failed", requestId, e);
      } finally {
        done.complete(stored);
        pending.remove(requestId.value(), done);
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
    SignedProof proof = awaitProof(job, proofWait);
    if (proof == null) {
      log.warn("{} node {} sent no proof; nothing billed", job.requestId(), job.nodeId());
      holds.release(job.requestId());
      return null;
    }
    PendingSettlement settlement = owed(job, proof);
    owed.keep(settlement); // from here a crash or an outage only delays the receipt
    return complete(settlement);
  }

  private PendingSettlement owed(FinishedJob job, SignedProof proof) {
    String accountRef =
        AccountRef.of(accountSecrets.apply(job.caller().accountId()), job.requestId());
    return new PendingSettlement(
        job.requestId(),
        job.caller().accountId(),
        job.caller().keyId(),
        new Coordinator.SettleRequest(
            job.token().wire(),
            job.offer(),
            proof,
            job.stream().nodePublicKey(),
            job.delivery(),
            accountRef),
        clock.millis());
  }

  /**
   * After a restart: holds again the money of every settlement still owed, from its token's most
   * possible charge, before any new request is admitted.
   */
  public void restoreHolds() {
    for (PendingSettlement settlement : owed.keptUntil(Long.MAX_VALUE)) {
      Optional<DispatchToken> token =
          SignedDispatchToken.payload(settlement.request().dispatchToken());
      long micros;
      try {
        micros = token.map(DispatchToken::maxChargeMicros).orElse(0L);
      } catch (ArithmeticException e) {
        micros = 0;
      }
      holds.restore(settlement.requestId(), settlement.accountId(), settlement.keyId(), micros);
    }
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

  /** What {@link #completeOwed} found and did. */
  public enum Owed {
    /** Nothing is owed under the id: completed or refused before, or never kept. */
    NOTHING,
    /** Completed now: the receipt is stored and the money moved. */
    SETTLED,
    /** Still owed: the coordinator is unreachable, or its log entry is not stored yet. */
    STILL_OWED
  }

  /**
   * Completes the settlement owed under {@code requestId}, if one is: what a reminder from the
   * settle queue asks for (ADR 36). Idempotent: a second call, or one after the request path
   * completed it, finds nothing owed.
   */
  public Owed completeOwed(RequestId requestId) {
    Optional<PendingSettlement> kept = owed.find(requestId);
    if (kept.isEmpty()) {
      return Owed.NOTHING;
    }
    if (complete(kept.get()) != null) {
      return Owed.SETTLED;
    }
    return owed.find(requestId).isPresent() ? Owed.STILL_OWED : Owed.NOTHING;
  }

  /**
   * Has the coordinator sign the receipt (unless one is stored already) and records it. Null when
   * the coordinator is unreachable (the settlement stays kept) or refuses the evidence (it is
   * forgotten: nothing is billed).
   */
  private StoredReceipt complete(PendingSettlement settlement) {
    Optional<StoredReceipt> earlier = receipts.find(settlement.requestId());
    if (earlier.isPresent()) { // recorded just before a crash: never signed a second time
      forget(settlement.requestId());
      return earlier.get();
    }
    Verification<SignedReceipt> signed;
    try {
      signed = coordinator.settle(settlement.request());
    } catch (AlreadySettledException e) {
      return fromLog(settlement, e.logIndex());
    }
    if (signed == null) {
      return null;
    }
    if (!signed.valid()) {
      log.warn(
          "{} the coordinator refused the proof: {}; nothing billed",
          settlement.requestId(),
          signed.reason());
      forget(settlement.requestId());
      return null;
    }
    return record(settlement, signed.value());
  }

  /** The receipt signed before, whose answer was lost: it is in the stored log. */
  private StoredReceipt fromLog(PendingSettlement settlement, long index) {
    Optional<SignedReceipt> receipt =
        logged.at(index).filter(r -> r.receipt().requestId().equals(settlement.requestId()));
    if (receipt.isEmpty()) {
      log.warn(
          "{} was settled as log entry {}, not stored here yet; retried later",
          settlement.requestId(),
          index);
      return null;
    }
    return record(settlement, receipt.get());
  }

  private StoredReceipt record(PendingSettlement settlement, SignedReceipt signed) {
    StoredReceipt stored = StoredReceipt.of(settlement.accountId(), settlement.keyId(), signed);
    boolean first = records.record(stored, Payments.of(stored, signed.receipt()));
    holds.release(settlement.requestId());
    if (!first) { // raced by another completion of the same request: its receipt stands
      return receipts.find(settlement.requestId()).orElse(stored);
    }
    for (SettlementListener l : listeners) {
      l.settled(stored);
    }
    return stored;
  }

  private void forget(RequestId requestId) {
    owed.forget(requestId);
    holds.release(requestId);
  }

  private static SignedProof awaitProof(FinishedJob job, Duration wait) {
    try {
      return job.stream().proof().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | TimeoutException e) {
      return null;
    }
  }
}
