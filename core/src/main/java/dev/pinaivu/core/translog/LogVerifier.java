package dev.pinaivu.core.translog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.receipt.CoordinatorKey;
import java.util.ArrayList;
import java.util.List;

/**
 * What an auditor runs, offline: a checkpoint must be signed by one of the coordinator keys it
 * trusts (from verified attestation documents), and a receipt's {@code log} evidence must prove its
 * entry is in the tree that checkpoint signs. Each rejection says why.
 */
public final class LogVerifier {
  private final List<CoordinatorKey> trusted;
  private final String origin;

  /**
   * @param origin the log's origin, configured by the verifier and never taken from a note
   *     (docs/transparency-log.md §8); Pinaivu's key name equals it
   */
  public LogVerifier(List<CoordinatorKey> trusted, String origin) {
    this.trusted = List.copyOf(trusted);
    NoteText.requireKeyName(origin);
    this.origin = origin;
  }

  /**
   * The checkpoint, once a trusted key's signature under the configured origin verifies over it,
   * and its origin line is that origin.
   *
   * @throws InvalidNoteException when it is malformed, for another origin, or no trusted key signed
   *     it
   */
  public Checkpoint checkpoint(String note) {
    SignedNote parsed = SignedNote.parse(note);
    for (CoordinatorKey key : trusted) {
      NoteVerifier verifier = new NoteVerifier(origin, key.publicKey());
      if (verifier.verify(parsed).accepted()) {
        Checkpoint checkpoint = Checkpoint.parse(parsed.text());
        if (!checkpoint.origin().equals(origin)) {
          throw new InvalidNoteException(wrongOrigin(checkpoint.origin()));
        }
        return checkpoint;
      }
    }
    String named = parsed.text().substring(0, Math.max(0, parsed.text().indexOf('\n')));
    if (!named.equals(origin)) {
      throw new InvalidNoteException(wrongOrigin(named));
    }
    throw new InvalidNoteException(
        "the checkpoint is not signed by any of the "
            + trusted.size()
            + " trusted coordinator keys");
  }

  private String wrongOrigin(String found) {
    return "the checkpoint is for origin \"" + found + "\", not \"" + origin + "\"";
  }

  /** Checks a receipt's {@code log} member, read strictly ({@link LogEvidence}). */
  public Verdict inclusion(byte[] entry, JsonNode log) {
    try {
      return inclusion(entry, LogEvidence.read(log));
    } catch (IllegalArgumentException e) {
      return Verdict.reject("log: " + e.getMessage());
    }
  }

  /** Checks checkpointed {@code log} evidence for {@code entry}, the bytes the log must hold. */
  public Verdict inclusion(byte[] entry, LogEvidence log) {
    if (!log.checkpointed()) {
      return Verdict.reject("log: the receipt carries no log checkpoint yet");
    }
    Checkpoint checkpoint;
    try {
      checkpoint = checkpoint(log.checkpoint());
    } catch (InvalidNoteException | IllegalArgumentException e) {
      return Verdict.reject("log: " + e.getMessage());
    }
    if (log.treeSize() != checkpoint.treeSize()) {
      return Verdict.reject(
          "log: tree_size "
              + log.treeSize()
              + " is not the checkpoint's size "
              + checkpoint.treeSize());
    }
    Verdict verdict =
        new InclusionProof(log.index(), log.treeSize(), log.path())
            .verify(Hash.leaf(entry), checkpoint.rootHash());
    return verdict.accepted()
        ? verdict
        : Verdict.reject(
            "log: the receipt is not leaf "
                + log.index()
                + " of the signed tree: "
                + verdict.reason());
  }

  /** Whether {@code newer} extends {@code older}, by the proof between their sizes. */
  public static Verdict consistency(Checkpoint older, Checkpoint newer, List<Hash> path) {
    if (!older.origin().equals(newer.origin())) {
      return Verdict.reject(
          "the checkpoints are of two logs, " + older.origin() + " and " + newer.origin());
    }
    if (newer.treeSize() < older.treeSize()) {
      return Verdict.reject(
          "the log shrank from "
              + older.treeSize()
              + " to "
              + newer.treeSize()
              + " entries: a rollback");
    }
    Verdict verdict =
        new ConsistencyProof(older.treeSize(), newer.treeSize(), path)
            .verify(older.rootHash(), newer.rootHash());
    return verdict.accepted()
        ? verdict
        : Verdict.reject(
            "the log of "
                + newer.treeSize()
                + " entries does not extend the one of "
                + older.treeSize()
                + " (rewritten, deleted or rolled back): "
                + verdict.reason());
  }

  /** Base64 hashes from a JSON array. */
  public static List<Hash> hashes(JsonNode array) {
    if (!array.isArray()) {
      throw new IllegalArgumentException("a proof is an array of base64 hashes");
    }
    List<Hash> out = new ArrayList<>();
    for (JsonNode item : array) {
      out.add(Hash.fromBase64(item.asText()));
    }
    return out;
  }
}
