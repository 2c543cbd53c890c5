package dev.pinaivu.core.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.translog.Checkpoint;
import dev.pinaivu.core.translog.CheckpointVerifier;
import dev.pinaivu.core.translog.Hash;
import dev.pinaivu.core.translog.InMemoryLogStore;
import dev.pinaivu.core.translog.KeyAnnouncement;
import dev.pinaivu.core.translog.LogVerifier;
import dev.pinaivu.core.translog.NoteSigner;
import dev.pinaivu.core.translog.NoteVerifier;
import dev.pinaivu.core.translog.ReceiptEvidence;
import dev.pinaivu.core.translog.SignedCheckpoint;
import dev.pinaivu.core.translog.TransparencyLog;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The coordinator's log and the parent's copy of it, with the real service in process. */
class CoordinatorLogTest {
  private static final CoordinatorOptions OPTIONS = CoordinatorOptions.withFees(FeePolicy.NONE);
  private static final String ORIGIN = OPTIONS.logOrigin();

  private final InMemoryLogStore store = new InMemoryLogStore();
  private final TransparencyLog log = new TransparencyLog(ORIGIN, store);

  static SignedReceipt settle(CoordinatorService service) throws Exception {
    CoordinatorJob job = new CoordinatorJob();
    return service.settle(job.settleRequest(service.dispatch(job.dispatchRequest()))).orElseThrow();
  }

  static long index(SignedReceipt receipt) {
    return receipt.log().get("index").longValue();
  }

  /** The parent of {@code coordinator}, which stored its key announcement and one receipt. */
  private LogSync storedWithOneReceipt(CoordinatorService coordinator) throws Exception {
    LogSync sync = new LogSync(coordinator, log);
    sync.open();
    settle(coordinator);
    sync.sync();
    return sync;
  }

  private static Checkpoint verifiedBy(CoordinatorService service, SignedCheckpoint checkpoint) {
    NoteVerifier key = new NoteVerifier(ORIGIN, service.identity().publicKey());
    return new CheckpointVerifier(ORIGIN, key).verify(checkpoint.format());
  }

  @Test
  void aNewLog_announcesTheKeyAsLeafZero_andLogsEachReceiptAtItsIndex() throws Exception {
    CoordinatorService service = CoordinatorService.dev(OPTIONS);
    LogSync sync = new LogSync(service, log);
    assertThat(sync.open()).isZero();

    SignedReceipt first = settle(service);
    SignedReceipt second = settle(service);
    sync.sync();

    assertThat(index(first)).isEqualTo(1);
    assertThat(index(second)).isEqualTo(2);
    assertThat(KeyAnnouncement.parse(store.leafData(0)).orElseThrow().key())
        .isEqualTo(service.identity());
    assertThat(store.leafData(2)).isEqualTo(second.logEntry());
    Checkpoint head = verifiedBy(service, log.latestCheckpoint().orElseThrow());
    assertThat(head.treeSize()).isEqualTo(3);
    assertThat(
            log.inclusionProof(1, 3)
                .verify(Hash.leaf(first.logEntry()), head.rootHash())
                .accepted())
        .isTrue();
  }

  @Test
  void settle_whenRetried_keepsOneLeaf() throws Exception {
    CoordinatorService service = OpenedLogs.dev(OPTIONS);
    CoordinatorJob job = new CoordinatorJob();
    Coordinator.SettleRequest request = job.settleRequest(service.dispatch(job.dispatchRequest()));

    SignedReceipt once = service.settle(request).orElseThrow();
    SignedReceipt again = service.settle(request).orElseThrow();
    new LogSync(service, log).sync();

    assertThat(again).isEqualTo(once);
    assertThat(index(again)).isEqualTo(index(once));
    assertThat(store.size()).isEqualTo(2);
  }

  @Test
  void aParentThatCrashedBeforeStoring_getsEveryEntryFromTheCoordinator() throws Exception {
    CoordinatorService service = CoordinatorService.dev(OPTIONS);
    new LogSync(service, log).open();
    settle(service);
    settle(service);

    TransparencyLog reopened = new TransparencyLog(ORIGIN, store); // a new gateway process
    new LogSync(service, reopened).sync();

    assertThat(reopened.size()).isEqualTo(3);
    assertThat(verifiedBy(service, reopened.latestCheckpoint().orElseThrow()).treeSize())
        .isEqualTo(3);
  }

  @Test
  void aRestartedCoordinator_resumesTheLog_andAnnouncesItsNewKey() throws Exception {
    CoordinatorService before = CoordinatorService.dev(OPTIONS);
    new LogSync(before, log).open();
    SignedReceipt old = settle(before);
    new LogSync(before, log).sync();
    Checkpoint first = verifiedBy(before, log.latestCheckpoint().orElseThrow());

    CoordinatorService after = CoordinatorService.dev(OPTIONS);
    LogSync sync = new LogSync(after, log);
    assertThat(sync.open()).isEqualTo(2);
    settle(after);
    sync.sync();

    Checkpoint second = verifiedBy(after, log.latestCheckpoint().orElseThrow());
    assertThat(second.treeSize()).isEqualTo(4);
    assertThat(KeyAnnouncement.parse(store.leafData(2)).orElseThrow().key())
        .isEqualTo(after.identity());
    assertThat(
            log.consistencyProof(first.treeSize(), second.treeSize())
                .verify(first.rootHash(), second.rootHash())
                .accepted())
        .isTrue();
    assertThat(store.leafData(index(old))).isEqualTo(old.logEntry());
  }

  @Test
  void receiptsACrashedCoordinatorTookWithIt_areLoggedAgainByItsSuccessor() throws Exception {
    CoordinatorService crashed = CoordinatorService.dev(OPTIONS);
    new LogSync(crashed, log).open();
    SignedReceipt stored = settle(crashed);
    new LogSync(crashed, log).sync();
    List<SignedReceipt> kept = List.of(stored, settle(crashed), settle(crashed)); // not yet synced

    CoordinatorService next = CoordinatorService.dev(OPTIONS);
    LogSync sync =
        new LogSync(
            next,
            log,
            from -> kept.stream().filter(r -> index(r) >= from).toList()); // the receipts table
    sync.open();
    sync.sync();

    ReceiptEvidence evidence = new ReceiptEvidence(log);
    Checkpoint head = verifiedBy(next, log.latestCheckpoint().orElseThrow());
    assertThat(head.treeSize()).isEqualTo(5); // key, receipt, key, the two lost receipts
    for (SignedReceipt receipt : kept) {
      SignedReceipt proven = evidence.attach(receipt);
      assertThat(
              new LogVerifier(List.of(next.identity()), ORIGIN)
                  .inclusion(receipt.logEntry(), proven.log())
                  .accepted())
          .isTrue();
    }
    assertThat(evidence.attach(kept.get(1)).log().get("index").asLong()).isEqualTo(3);
  }

  /** Boots with {@code key} as an enclave would: a new attestation document at every boot. */
  private static CoordinatorService bootSealed(Ed25519.PrivateKey key) {
    byte[] document = Ed25519.PrivateKey.generate().publicKey(); // unique per boot
    return CoordinatorService.boot(
        publicKey -> CoordinatorKey.nitro(publicKey, document), OPTIONS, key);
  }

  @Test
  void aCoordinatorRestartedWithItsSealedKey_announcesItAgain_andLogsWhatItLost() throws Exception {
    Ed25519.PrivateKey sealed = Ed25519.PrivateKey.generate();
    CoordinatorService crashed = bootSealed(sealed);
    new LogSync(crashed, log).open();
    SignedReceipt stored = settle(crashed);
    new LogSync(crashed, log).sync();
    List<SignedReceipt> kept = List.of(stored, settle(crashed), settle(crashed)); // not yet synced

    CoordinatorService next = bootSealed(sealed);
    LogSync sync =
        new LogSync(next, log, from -> kept.stream().filter(r -> index(r) >= from).toList());
    assertThat(sync.open()).isEqualTo(2);
    sync.sync();

    assertThat(next.identity().keyId()).isEqualTo(crashed.identity().keyId());
    assertThat(KeyAnnouncement.parse(store.leafData(2)).orElseThrow().key())
        .isEqualTo(next.identity());
    assertThat(verifiedBy(next, log.latestCheckpoint().orElseThrow()).treeSize())
        .isEqualTo(5); // key, receipt, the same key again, the two lost receipts
    assertThat(store.leafData(3)).isEqualTo(kept.get(1).logEntry());
    assertThat(store.leafData(4)).isEqualTo(kept.get(2).logEntry());
  }

  @Test
  void theSameBoot_openedAgainByARestartedParent_logsNothingTwice() throws Exception {
    CoordinatorService service = bootSealed(Ed25519.PrivateKey.generate());
    new LogSync(service, log).open();
    settle(service);
    new LogSync(service, log).sync();
    List<SignedReceipt> unsynced = List.of(settle(service));

    LogSync reopened =
        new LogSync(service, log, from -> unsynced.stream().filter(r -> index(r) >= from).toList());
    reopened.open();
    reopened.sync();

    assertThat(log.latestCheckpoint().orElseThrow().checkpoint().treeSize()).isEqualTo(3);
    assertThat(store.leafData(2)).isEqualTo(unsynced.get(0).logEntry());
  }

  @Test
  void relog_ofAnEntryTheLogStillKeeps_returnsItsIndex_andAppendsNothing() throws Exception {
    Ed25519.PrivateKey sealed = Ed25519.PrivateKey.generate();
    CoordinatorService first = bootSealed(sealed);
    LogSync sync = storedWithOneReceipt(first);
    CoordinatorService next = bootSealed(sealed);
    next.openLog(sync.state());
    SignedReceipt own = settle(next); // same key id as the predecessor: it verifies as one of its

    assertThat(next.relog(List.of(own.logEntry()))).containsExactly(index(own));
    assertThat(next.logCheckpoint(log.size(), log.size()).entries()).hasSize(2);
  }

  @Test
  void relog_ofAReceiptNotSignedByThePredecessor_isRefused() throws Exception {
    CoordinatorService first = CoordinatorService.dev(OPTIONS);
    LogSync sync = storedWithOneReceipt(first);
    CoordinatorService next = CoordinatorService.dev(OPTIONS);
    next.openLog(sync.state());
    SignedReceipt foreign = settle(OpenedLogs.dev(OPTIONS));

    assertThatThrownBy(() -> next.relog(List.of(foreign.logEntry())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a receipt of key " + first.identity().keyId());
    assertThatThrownBy(
            () -> next.relog(List.of(new KeyAnnouncement(ORIGIN, next.identity()).entry())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRollback_isDetected_byWhoeverHoldsANewerCheckpoint() throws Exception {
    CoordinatorService first = CoordinatorService.dev(OPTIONS);
    LogSync sync = storedWithOneReceipt(first);
    SignedCheckpoint older = log.latestCheckpoint().orElseThrow();
    InMemoryLogStore rolledBack = copyOf(store, older);
    settle(first);
    settle(first);
    sync.sync();
    Checkpoint newer = verifiedBy(first, log.latestCheckpoint().orElseThrow()); // a client kept it

    // the parent restarts the coordinator from the older state and lets the log grow past it
    TransparencyLog forked = new TransparencyLog(ORIGIN, rolledBack);
    CoordinatorService second = CoordinatorService.dev(OPTIONS);
    LogSync forkedSync = new LogSync(second, forked);
    forkedSync.open();
    settle(second);
    settle(second);
    forkedSync.sync();
    Checkpoint head = verifiedBy(second, forked.latestCheckpoint().orElseThrow());

    assertThat(head.treeSize()).isGreaterThan(newer.treeSize());
    assertThat(
            forked
                .consistencyProof(newer.treeSize(), head.treeSize())
                .verify(newer.rootHash(), head.rootHash())
                .accepted())
        .isFalse();
  }

  @Test
  void resume_fromAFrontierThatIsNotTheCheckpointsTree_isRefused() throws Exception {
    CoordinatorService first = CoordinatorService.dev(OPTIONS);
    LogSync sync = storedWithOneReceipt(first);
    Coordinator.LogState honest = sync.state();
    Coordinator.LogState forged =
        new Coordinator.LogState(
            honest.checkpoint(),
            List.of(Hash.leaf(new byte[] {1})),
            honest.keyEntryIndex(),
            honest.keyEntry(),
            honest.keyEntryPath());

    assertThatThrownBy(() -> CoordinatorService.dev(OPTIONS).openLog(forged))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("frontier does not fold");
  }

  @Test
  void resume_fromACheckpointSignedByAKeyTheLogNeverAnnounced_isRefused() throws Exception {
    CoordinatorService first = CoordinatorService.dev(OPTIONS);
    LogSync sync = storedWithOneReceipt(first);
    Coordinator.LogState honest = sync.state();
    CoordinatorService stranger = CoordinatorService.dev(OPTIONS);
    byte[] strangerEntry = new KeyAnnouncement(ORIGIN, stranger.identity()).entry();
    Coordinator.LogState unannounced =
        new Coordinator.LogState(
            honest.checkpoint(), honest.frontier(), 0, strangerEntry, honest.keyEntryPath());

    assertThatThrownBy(() -> CoordinatorService.dev(OPTIONS).openLog(unannounced))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("checkpoint:");
  }

  @Test
  void settle_whenTheParentStoredNothingForTooLong_isRefusedNotForgotten() throws Exception {
    CoordinatorService service = OpenedLogs.dev(OPTIONS.withLogCapacity(3));
    settle(service); // leaf 0 is the key announcement
    settle(service);

    assertThatThrownBy(() -> settle(service))
        .isInstanceOf(CoordinatorUnavailableException.class)
        .hasMessageContaining("must fetch a checkpoint");
    new LogSync(service, log).sync();
    assertThat(index(settle(service))).isEqualTo(3);
  }

  @Test
  void checkpoint_pagesEntries_andForgetsOnlyWhatTheParentStored() throws Exception {
    CoordinatorService service = CoordinatorService.dev(OPTIONS);
    CoordinatorLog small =
        new CoordinatorLog(
            ORIGIN,
            new NoteSigner(ORIGIN, Ed25519.PrivateKey.generate()),
            service.identity(),
            100,
            10,
            Succession.NO_DEV_AFTER_NITRO);
    small.open(Coordinator.LogState.EMPTY); // leaf 0, the key announcement, is above a page
    for (int i = 0; i < 4; i++) {
      small.append(new byte[] {(byte) i, 0, 0, 0, 0, 0, 0});
    }

    Coordinator.LogHead page = small.checkpoint(0, 1);
    assertThat(page.first()).isEqualTo(1);
    assertThat(page.entries()).hasSize(1);
    assertThat(small.checkpoint(0, 4).entries()).hasSize(1);
    small.checkpoint(3, 3);
    assertThatThrownBy(() -> small.checkpoint(2, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not within the entries kept");
  }

  @Test
  void checkpoint_beforeTheParentOpensTheLog_isRefused_andTheParentStillResumesItsLog()
      throws Exception {
    storedWithOneReceipt(CoordinatorService.dev(OPTIONS));
    CoordinatorService restarted = CoordinatorService.dev(OPTIONS);

    assertThatThrownBy(() -> restarted.logCheckpoint(0, 0)) // anyone's early message
        .isInstanceOf(CoordinatorUnavailableException.class)
        .hasMessage("the log is not open: the parent must send log_open first");
    LogSync parent = new LogSync(restarted, log);

    assertThat(parent.open()).as("its key follows the stored leaves").isEqualTo(2);
    settle(restarted);
    parent.sync();
    assertThat(verifiedBy(restarted, log.latestCheckpoint().orElseThrow()).treeSize()).isEqualTo(4);
  }

  @Test
  void settle_beforeTheParentOpensTheLog_isRefused_andTheParentStillResumesItsLog()
      throws Exception {
    storedWithOneReceipt(CoordinatorService.dev(OPTIONS));
    CoordinatorService restarted = CoordinatorService.dev(OPTIONS);

    assertThatThrownBy(() -> settle(restarted))
        .isInstanceOf(CoordinatorUnavailableException.class)
        .hasMessageContaining("the parent must send log_open first");

    assertThat(new LogSync(restarted, log).open()).isEqualTo(2);
  }

  @Test
  void relog_beforeTheParentOpensTheLog_isRefusedAsUnavailable() {
    CoordinatorService restarted = CoordinatorService.dev(OPTIONS);

    assertThatThrownBy(() -> restarted.relog(List.of(new byte[] {1})))
        .isInstanceOf(CoordinatorUnavailableException.class)
        .hasMessageContaining("the parent must send log_open first");
  }

  private static InMemoryLogStore copyOf(InMemoryLogStore from, SignedCheckpoint checkpoint) {
    InMemoryLogStore copy = new InMemoryLogStore();
    for (long i = 0; i < checkpoint.checkpoint().treeSize(); i++) {
      copy.append(from.leafData(i));
    }
    copy.saveCheckpoint(checkpoint);
    return copy;
  }
}
