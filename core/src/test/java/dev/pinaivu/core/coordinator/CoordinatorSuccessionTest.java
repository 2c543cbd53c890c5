package dev.pinaivu.core.coordinator;

import static dev.pinaivu.core.coordinator.CoordinatorLogTest.index;
import static dev.pinaivu.core.coordinator.CoordinatorLogTest.settle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.attestation.TestAttestations;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.ReceiptVerifier;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.TrustedKeys;
import dev.pinaivu.core.translog.Checkpoint;
import dev.pinaivu.core.translog.CheckpointVerifier;
import dev.pinaivu.core.translog.InMemoryLogStore;
import dev.pinaivu.core.translog.KeyAnnouncement;
import dev.pinaivu.core.translog.LogVerifier;
import dev.pinaivu.core.translog.NoteVerifier;
import dev.pinaivu.core.translog.ReceiptEvidence;
import dev.pinaivu.core.translog.TransparencyLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Who continues whose log: a coordinator that crashed before any checkpoint covered its key still
 * has its receipts logged by its successor, and an enclave continues only attested predecessors.
 */
class CoordinatorSuccessionTest {
  private static final CoordinatorOptions OPTIONS = CoordinatorOptions.withFees(FeePolicy.NONE);
  private static final String ORIGIN = OPTIONS.logOrigin();

  private final InMemoryLogStore store = new InMemoryLogStore();
  private final TransparencyLog log = new TransparencyLog(ORIGIN, store);
  private final List<SignedReceipt> receiptsTable = new ArrayList<>();

  private LogSync parentOf(CoordinatorService coordinator, CoordinatorService... known) {
    List<CoordinatorKey> keys = List.of(known).stream().map(CoordinatorService::identity).toList();
    return new LogSync(
        coordinator,
        log,
        from -> receiptsTable.stream().filter(r -> index(r) >= from).toList(),
        () -> keys);
  }

  private SignedReceipt settleAndStore(CoordinatorService coordinator) throws Exception {
    SignedReceipt receipt = settle(coordinator);
    receiptsTable.add(receipt);
    return receipt;
  }

  /** A coordinator whose key announcement the parent stored under a checkpoint. */
  private CoordinatorService synced(CoordinatorService coordinator) throws Exception {
    parentOf(coordinator).open();
    parentOf(coordinator).sync();
    return coordinator;
  }

  /** A coordinator that signed a receipt and died before any sync stored its announcement. */
  private CoordinatorService crashedBeforeItsFirstCheckpoint() throws Exception {
    CoordinatorService crashed = CoordinatorService.dev(OPTIONS);
    parentOf(crashed).open();
    settleAndStore(crashed);
    return crashed;
  }

  private Checkpoint head(CoordinatorService signer) {
    NoteVerifier key = new NoteVerifier(ORIGIN, signer.identity().publicKey());
    return new CheckpointVerifier(ORIGIN, key)
        .verify(log.latestCheckpoint().orElseThrow().format());
  }

  @Test
  void receiptsOfACoordinatorThatCrashedBeforeItsFirstCheckpoint_areLoggedAfterItsKey()
      throws Exception {
    CoordinatorService first = CoordinatorService.dev(OPTIONS);
    parentOf(first).open();
    settleAndStore(first);
    parentOf(first).sync(); // checkpoint of 2 leaves: first's key and receipt
    CoordinatorService crashed = CoordinatorService.dev(OPTIONS);
    parentOf(crashed).open(); // its announcement never reaches the store
    List<SignedReceipt> lost = List.of(settleAndStore(crashed), settleAndStore(crashed));

    CoordinatorService next = CoordinatorService.dev(OPTIONS);
    LogSync parent = parentOf(next, first, crashed);
    parent.open();
    parent.sync();

    assertThat(head(next).treeSize()).isEqualTo(6); // + next's key, crashed's key, its 2 receipts
    assertThat(KeyAnnouncement.parse(store.leafData(3)).orElseThrow().key())
        .isEqualTo(crashed.identity());
    ReceiptEvidence evidence = new ReceiptEvidence(log);
    LogVerifier verifier = new LogVerifier(List.of(next.identity()), ORIGIN);
    for (SignedReceipt receipt : lost) {
      assertThat(verifier.inclusion(receipt.logEntry(), evidence.attach(receipt).log()).accepted())
          .isTrue();
    }
  }

  @Test
  void afterALostKeyWasLoggedAgain_theNextRestartResumesFromTheKeyThatSigned() throws Exception {
    synced(CoordinatorService.dev(OPTIONS));
    CoordinatorService crashed = crashedBeforeItsFirstCheckpoint();
    CoordinatorService second = CoordinatorService.dev(OPTIONS);
    LogSync secondsParent = parentOf(second, crashed);
    secondsParent.open();
    secondsParent.sync(); // the last announcement in the store is crashed's, re-logged

    CoordinatorService third = CoordinatorService.dev(OPTIONS);
    Coordinator.LogState state = parentOf(third).state();
    assertThat(KeyAnnouncement.parse(state.keyEntry()).orElseThrow().key())
        .isEqualTo(second.identity());
    synced(third);

    assertThat(head(third).treeSize()).isEqualTo(5);
  }

  @Test
  void aPredecessorsToken_isBilledByItsSuccessor_inAReceiptOfTheSuccessorsKey() throws Exception {
    CoordinatorService first = synced(CoordinatorService.dev(OPTIONS));
    CoordinatorJob owed = new CoordinatorJob(); // its proof came after first died
    SignedDispatchToken token = first.dispatch(owed.dispatchRequest());

    CoordinatorService next = CoordinatorService.dev(OPTIONS);
    parentOf(next).open();
    SignedReceipt billed = next.settle(owed.settleRequest(token)).orElseThrow();

    assertThat(billed.keyId()).isEqualTo(next.identity().keyId());
    assertThat(billed.receipt().coordinatorKeyId()).isEqualTo(next.identity().keyId());
    TrustedKeys published = new TrustedKeys(List.of(first.identity(), next.identity()), true);
    assertThat(new ReceiptVerifier(published).verify(billed).valid()).isTrue();
  }

  /** Crashed before a checkpoint covered its key, with jobs running but no receipt stored. */
  @Test
  void aCrashedKeyWithNoReceiptStored_isAnnouncedAgainAlone_andItsTokensSettle() throws Exception {
    CoordinatorService first = synced(CoordinatorService.dev(OPTIONS));
    CoordinatorService crashed = CoordinatorService.dev(OPTIONS);
    parentOf(crashed).open(); // its announcement never reaches the store
    CoordinatorJob owed = new CoordinatorJob(); // served, but its proof came after the crash
    SignedDispatchToken token = crashed.dispatch(owed.dispatchRequest());

    CoordinatorService next = CoordinatorService.dev(OPTIONS);
    LogSync parent = parentOf(next, first, crashed);
    parent.open();
    parent.sync();

    assertThat(KeyAnnouncement.parse(store.leafData(2)).orElseThrow().key())
        .isEqualTo(crashed.identity());
    assertThat(head(next).treeSize()).isEqualTo(3); // first's key, next's key, crashed's key
    SignedReceipt billed = next.settle(owed.settleRequest(token)).orElseThrow();
    assertThat(billed.receipt().requestId()).isEqualTo(owed.requestId());
  }

  @Test
  void aLostReceiptOfAPredecessorsToken_isLoggedAgain_afterThatPredecessorsKey() throws Exception {
    CoordinatorService first = synced(CoordinatorService.dev(OPTIONS));
    CoordinatorJob job = new CoordinatorJob();
    SignedDispatchToken token = first.dispatch(job.dispatchRequest());
    CoordinatorService second = synced(CoordinatorService.dev(OPTIONS)); // trusts first's tokens
    SignedReceipt lost = second.settle(job.settleRequest(token)).orElseThrow();
    receiptsTable.add(lost); // stored by the parent; second dies before the next sync

    CoordinatorService third = CoordinatorService.dev(OPTIONS);
    LogSync parent = parentOf(third, first, second);
    parent.open();
    parent.sync();

    LogVerifier verifier =
        new LogVerifier(List.of(first.identity(), second.identity(), third.identity()), ORIGIN);
    assertThat(
            verifier
                .inclusion(lost.logEntry(), new ReceiptEvidence(log).attach(lost).log())
                .accepted())
        .isTrue();
  }

  @Test
  void aKeyWhoseAnnouncementIsStored_isNotAnnouncedAgain() throws Exception {
    CoordinatorService first = synced(CoordinatorService.dev(OPTIONS));
    CoordinatorService second = synced(CoordinatorService.dev(OPTIONS));

    CoordinatorService third = CoordinatorService.dev(OPTIONS);
    LogSync parent = parentOf(third, first, second);
    parent.open();
    parent.sync();

    assertThat(head(third).treeSize()).isEqualTo(3); // each key once
  }

  @Test
  void receiptsOfAnUnknownKey_areLeftOut_andTheLogGoesOn() throws Exception {
    synced(CoordinatorService.dev(OPTIONS));
    crashedBeforeItsFirstCheckpoint();

    CoordinatorService next = CoordinatorService.dev(OPTIONS);
    LogSync parent = parentOf(next); // this parent never learnt crashed's key
    parent.open();
    parent.sync();

    assertThat(head(next).treeSize()).isEqualTo(2);
  }

  @Test
  void relog_ofTheCoordinatorsOwnKey_orOfAnotherLogsKey_isRefused() throws Exception {
    synced(CoordinatorService.dev(OPTIONS));
    CoordinatorService next = CoordinatorService.dev(OPTIONS);
    next.openLog(parentOf(next).state());
    CoordinatorKey stranger = CoordinatorService.dev(OPTIONS).identity();

    assertThatThrownBy(
            () -> next.relog(List.of(new KeyAnnouncement(ORIGIN, next.identity()).entry())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("announced already");
    assertThatThrownBy(
            () -> next.relog(List.of(new KeyAnnouncement("other.example/log", stranger).entry())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other.example/log");
  }

  /** Enclave coordinators booted on images measured as {@code pcr0}, attested by a test CA. */
  private static final class Enclaves {
    final TestAttestations ca = TestAttestations.around(Instant.parse("2026-11-20T10:00:00Z"));
    final CoordinatorOptions options =
        OPTIONS.withSuccession(new AttestedSuccession(ca.verifier(), Set.of()));

    CoordinatorService boot(String pcr0) {
      return CoordinatorService.boot(
          publicKey -> CoordinatorKey.nitro(publicKey, ca.document(pcr0, publicKey)), options);
    }
  }

  @Test
  void anEnclave_resumesTheLogOfTheSameImage() throws Exception {
    Enclaves enclaves = new Enclaves();
    CoordinatorService first = enclaves.boot(TestAttestations.pcr0(1));
    parentOf(first).open();
    settleAndStore(first);
    parentOf(first).sync();

    CoordinatorService next = enclaves.boot(TestAttestations.pcr0(1));
    assertThat(parentOf(next).open()).isEqualTo(2);
  }

  @Test
  void anEnclave_refusesTheLogOfAnotherImage() throws Exception {
    Enclaves enclaves = new Enclaves();
    synced(enclaves.boot(TestAttestations.pcr0(1)));

    CoordinatorService other = enclaves.boot(TestAttestations.pcr0(2));
    assertThatThrownBy(() -> parentOf(other).open())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another enclave image");
  }

  @Test
  void anEnclave_refusesToLogAgainWhatAnotherImageSigned() throws Exception {
    Enclaves enclaves = new Enclaves();
    synced(enclaves.boot(TestAttestations.pcr0(1)));
    CoordinatorService impostor = enclaves.boot(TestAttestations.pcr0(9));
    SignedReceipt planted = settle(OpenedLogs.open(impostor));

    CoordinatorService next = enclaves.boot(TestAttestations.pcr0(1));
    next.openLog(parentOf(next).state());
    List<byte[]> batch =
        List.of(new KeyAnnouncement(ORIGIN, impostor.identity()).entry(), planted.logEntry());

    assertThatThrownBy(() -> next.relog(batch))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another enclave image");
    assertThat(next.logCheckpoint(log.size(), log.size()).entries()).hasSize(1); // its key only
  }
}
