package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.translog.Checkpoint;
import dev.pinaivu.core.translog.CheckpointVerifier;
import dev.pinaivu.core.translog.Hash;
import dev.pinaivu.core.translog.InvalidNoteException;
import dev.pinaivu.core.translog.KeyAnnouncement;
import dev.pinaivu.core.translog.LogIntegrityException;
import dev.pinaivu.core.translog.NoteVerifier;
import dev.pinaivu.core.translog.SignedCheckpoint;
import dev.pinaivu.core.translog.TransparencyLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Use case on the parent (gateway) side of the log: keeps the stored copy of the coordinator's log
 * up to date. {@link #open} hands a (re)started coordinator the latest stored state to resume from;
 * {@link #sync} fetches the coordinator's signed checkpoint with the entries the store lacks,
 * checks that they lead the stored tree to the signed root, and stores entries and checkpoint in
 * one step, then tells the coordinator what it holds. The coordinator keeps every entry until then,
 * so a parent that crashes between a settlement and the next sync loses nothing.
 */
public final class LogSync {
  /** Pages fetched in one sync at most; a log that outruns them is caught up at the next tick. */
  static final int MAX_PAGES = 128;

  private static final Logger LOG = LoggerFactory.getLogger(LogSync.class);

  /** The parent's stored receipts whose coordinator-given log index is at least {@code index}. */
  @FunctionalInterface
  public interface StoredReceipts {
    List<SignedReceipt> loggedFrom(long index);
  }

  /** The coordinator keys the parent has worked with (remembered as it connected to each). */
  @FunctionalInterface
  public interface KnownKeys {
    List<CoordinatorKey> all();
  }

  private final Coordinator coordinator;
  private final TransparencyLog log;
  private final StoredReceipts receipts;
  private final KnownKeys keys;
  private final AtomicBoolean grew = new AtomicBoolean(true);
  private volatile CoordinatorKey recoveredFor;

  public LogSync(Coordinator coordinator, TransparencyLog log) {
    this(coordinator, log, index -> List.of(), List::of);
  }

  /** Re-logs what the predecessor lost; knows no other key. */
  public LogSync(Coordinator coordinator, TransparencyLog log, StoredReceipts receipts) {
    this(coordinator, log, receipts, List::of);
  }

  /**
   * @param receipts where to find receipts whose leaves a crashed coordinator took with it
   * @param keys the keys of coordinators that may have crashed before a checkpoint covered their
   *     announcement, so that their receipts can be logged again as well
   */
  public LogSync(
      Coordinator coordinator, TransparencyLog log, StoredReceipts receipts, KnownKeys keys) {
    this.coordinator = coordinator;
    this.log = log;
    this.receipts = receipts;
    this.keys = keys;
  }

  /** What a coordinator resumes from: the latest stored checkpoint, or an empty log. */
  public Coordinator.LogState state() {
    Optional<SignedCheckpoint> latest = log.latestCheckpoint();
    if (latest.isEmpty()) {
      return Coordinator.LogState.EMPTY;
    }
    long size = latest.get().checkpoint().treeSize();
    long keyIndex = lastAnnouncementBelow(size, latest.get().format());
    return new Coordinator.LogState(
        latest.get().format(),
        log.frontier(size).subtrees(),
        keyIndex,
        log.entry(keyIndex),
        log.inclusionProof(keyIndex, size).path());
  }

  /**
   * Opens the coordinator's log from {@link #state()}; the coordinator then announces its key.
   *
   * @throws IllegalArgumentException when the coordinator refuses the stored state
   */
  public long open() throws CoordinatorUnavailableException {
    return openOn(coordinator);
  }

  /**
   * {@link #open} through {@code connected}, the coordinator on a connection that is being started
   * ({@code TcpCoordinator.openLogOnConnect}): the log is resumed and what crashed coordinators
   * lost is logged again before any other call reaches it, so it settles their tokens from its
   * first call on.
   */
  public long openOn(Coordinator connected) throws CoordinatorUnavailableException {
    Coordinator.LogState state = state();
    long index = connected.openLog(state);
    if (!connected.identity().equals(recoveredFor)) { // not when a connection to it was reopened
      relogLost(connected, state);
    }
    grew.set(true);
    return index;
  }

  /**
   * After a coordinator restart: the receipts its predecessor signed past the latest stored
   * checkpoint died with its memory; the new coordinator checks and appends them again. So do the
   * receipts of any coordinator that crashed before a checkpoint covered its key announcement
   * (within one sync of its start), each group after that announcement, when this parent knows the
   * key; and such a key is announced again even when no receipt of it is stored, so that its
   * successor settles the tokens it signed ({@link RelogBatches}).
   */
  private void relogLost(Coordinator coordinator, Coordinator.LogState state)
      throws CoordinatorUnavailableException {
    CoordinatorKey current = coordinator.identity();
    if (state.checkpoint() == null) {
      recoveredFor = current;
      return;
    }
    CoordinatorKey announced = KeyAnnouncement.parse(state.keyEntry()).orElseThrow().key();
    if (announced.equals(current)) {
      // the same boot (a key with a sealed identity comes back with a new attestation document):
      // it still keeps what the store lacks
      recoveredFor = current;
      return;
    }
    long signedSize = SignedCheckpoint.parseUnverified(state.checkpoint()).checkpoint().treeSize();
    List<SignedReceipt> lost = new ArrayList<>();
    for (SignedReceipt receipt : receipts.loggedFrom(signedSize)) {
      boolean currentsOwn =
          receipt.keyId().equals(current.keyId()) && !current.keyId().equals(announced.keyId());
      if (!currentsOwn && log.indexOf(Hash.leaf(receipt.logEntry())).isEmpty()) {
        lost.add(receipt);
      }
    }
    RelogBatches batches = new RelogBatches(log.origin(), current, announced, keys.all());
    for (RelogBatches.Batch batch : batches.of(lost, this::unlogged)) {
      relog(
          coordinator,
          batch.entries(),
          batch.signer().equals(announced.keyId())
              ? "the previous coordinator"
              : "coordinator " + batch.signer() + ", which crashed before its first checkpoint,");
    }
    recoveredFor = current; // only once all went through: an outage half-way retries it all
  }

  /** Whether the stored log lacks {@code key}'s announcement: it crashed before it was stored. */
  private boolean unlogged(CoordinatorKey key) {
    return log.indexOf(Hash.leaf(new KeyAnnouncement(log.origin(), key).entry())).isEmpty();
  }

  private void relog(Coordinator coordinator, List<byte[]> entries, String signer)
      throws CoordinatorUnavailableException {
    try {
      coordinator.relog(entries);
      grew.set(true);
      LOG.warn("entries lost with {} were logged again: {}", signer, entries.size());
    } catch (IllegalArgumentException e) {
      LOG.error("the coordinator refused to log again what {} signed: {}", signer, e.getMessage());
    }
  }

  /** Marks that the coordinator's log grew (a receipt was signed), so the next tick syncs. */
  public void grew() {
    grew.set(true);
  }

  /** {@link #sync} if the log grew since the last one; else nothing. */
  public long syncIfGrew() throws CoordinatorUnavailableException {
    if (!grew.getAndSet(false)) {
      return 0;
    }
    try {
      return sync();
    } catch (CoordinatorUnavailableException | RuntimeException e) {
      grew.set(true);
      throw e;
    }
  }

  /**
   * Brings the store up to the coordinator's latest checkpoint.
   *
   * @return the number of leaves stored
   * @throws LogIntegrityException when the coordinator's checkpoint does not extend the store
   */
  public synchronized long sync() throws CoordinatorUnavailableException {
    if (!coordinator.identity().equals(recoveredFor)) {
      relogLost(coordinator, state()); // a restart behind a client that did not open its log
    }
    long stored = 0;
    long held = log.size();
    List<byte[]> fetched = new ArrayList<>();
    for (int page = 0; page < MAX_PAGES; page++) {
      Coordinator.LogHead head = coordinator.logCheckpoint(held, held + fetched.size());
      if (head.first() != held + fetched.size()) {
        throw new LogIntegrityException("the coordinator sent entries from the wrong index");
      }
      fetched.addAll(head.entries());
      SignedCheckpoint checkpoint = verified(head.checkpoint());
      long size = checkpoint.checkpoint().treeSize();
      if (held + fetched.size() == size) {
        if (fetched.isEmpty() && storedSize() == size) {
          return stored; // the coordinator now knows everything is stored, and forgets it
        }
        stored += log.extend(held, fetched, checkpoint);
        held = log.size();
        fetched = new ArrayList<>();
      } else if (head.entries().isEmpty() || held + fetched.size() > size) {
        throw new LogIntegrityException(
            "the coordinator's checkpoint of " + size + " leaves does not match its entries");
      }
    }
    grew.set(true);
    return stored;
  }

  private long storedSize() {
    return log.latestCheckpoint().map(c -> c.checkpoint().treeSize()).orElse(-1L);
  }

  /** The note, checked against the coordinator's current key, as the log's clients will. */
  private SignedCheckpoint verified(String note) throws CoordinatorUnavailableException {
    CoordinatorKey key = coordinator.identity();
    NoteVerifier verifier = new NoteVerifier(log.origin(), key.publicKey());
    Checkpoint checkpoint = new CheckpointVerifier(log.origin(), verifier).verify(note);
    return new SignedCheckpoint(checkpoint, SignedCheckpoint.parseUnverified(note).note());
  }

  /**
   * The announcement of the key that signed the checkpoint of {@code size}: the last one below it
   * under whose key the checkpoint verifies (a re-logged announcement of a crashed coordinator may
   * follow it).
   */
  private long lastAnnouncementBelow(long size, String note) {
    for (long i = size - 1; i >= 0; i--) {
      byte[] entry = log.entry(i);
      Optional<KeyAnnouncement> announced = KeyAnnouncement.parse(entry);
      if (announced.isPresent() && signs(announced.get(), note)) {
        return i;
      }
    }
    throw new LogIntegrityException("the stored log announces no key that signed its checkpoint");
  }

  private boolean signs(KeyAnnouncement announced, String note) {
    try {
      new CheckpointVerifier(log.origin(), announced.noteVerifier()).verify(note);
      return true;
    } catch (InvalidNoteException e) {
      return false;
    }
  }
}
