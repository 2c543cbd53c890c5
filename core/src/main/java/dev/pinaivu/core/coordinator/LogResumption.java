package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.translog.Checkpoint;
import dev.pinaivu.core.translog.CheckpointVerifier;
import dev.pinaivu.core.translog.Frontier;
import dev.pinaivu.core.translog.Hash;
import dev.pinaivu.core.translog.InclusionProof;
import dev.pinaivu.core.translog.InvalidNoteException;
import dev.pinaivu.core.translog.KeyAnnouncement;
import dev.pinaivu.core.translog.Verdict;

/**
 * What a restarted coordinator checks before it continues a log from the state its parent hands
 * over: the checkpoint is signed by a key the log itself announced (the announcement is a leaf
 * included under that very checkpoint), and the frontier folds to the checkpoint's root. Only then
 * does it append to that frontier, so it never signs a root over a history it was not shown to
 * extend.
 */
final class LogResumption {
  /** The verified frontier to continue from, and the key that signed the checkpoint. */
  record Resumed(Frontier frontier, CoordinatorKey predecessor) {}

  private LogResumption() {}

  /**
   * The verified frontier to continue from, with the predecessor's key.
   *
   * @param own the resuming coordinator's key
   * @param succession whether {@code own} may continue what the checkpoint's key signed
   * @throws IllegalArgumentException saying what does not hold
   */
  static Resumed verify(
      String origin, Coordinator.LogState state, CoordinatorKey own, Succession succession) {
    KeyAnnouncement signer =
        KeyAnnouncement.parse(state.keyEntry())
            .orElseThrow(() ->
                new IllegalArgumentException("key_entry is not a coordinator key announcement"));
    if (!signer.origin().equals(origin)) {
      throw new IllegalArgumentException(
          "key_entry announces a key of log \"" + signer.origin() + "\", not \"" + origin + "\"");
    }
    if (!signer.key().keyId().equals(own.keyId())) {
      succession.check(own, signer.key()); // a sealed identity follows itself
    }
    Checkpoint checkpoint;
    try {
      checkpoint = new CheckpointVerifier(origin, signer.noteVerifier()).verify(state.checkpoint());
    } catch (InvalidNoteException e) {
      throw new IllegalArgumentException("checkpoint: " + e.getMessage(), e);
    }
    Verdict announced =
        new InclusionProof(state.keyEntryIndex(), checkpoint.treeSize(), state.keyEntryPath())
            .verify(Hash.leaf(state.keyEntry()), checkpoint.rootHash());
    if (!announced.accepted()) {
      throw new IllegalArgumentException(
          "the key that signed the checkpoint is not shown to be announced in the log: "
              + announced.reason());
    }
    Frontier frontier = Frontier.of(checkpoint.treeSize(), state.frontier());
    if (!frontier.root().equals(checkpoint.rootHash())) {
      throw new IllegalArgumentException(
          "the frontier does not fold to the checkpoint's root at size " + checkpoint.treeSize());
    }
    return new Resumed(frontier, signer.key());
  }
}
