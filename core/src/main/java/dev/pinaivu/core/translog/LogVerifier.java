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

  public LogVerifier(List<CoordinatorKey> trusted) {
    this.trusted = List.copyOf(trusted);
  }

  /**
   * The checkpoint, once a trusted key's signature over it verifies. The origin is read from the
   * note; C2SP key names equal it for Pinaivu's log.
   *
   * @throws InvalidNoteException when it is malformed or no trusted key signed it
   */
  public Checkpoint checkpoint(String note) {
    SignedNote parsed = SignedNote.parse(note);
    String origin = Checkpoint.parse(parsed.text()).origin();
    for (CoordinatorKey key : trusted) {
      NoteVerifier verifier = new NoteVerifier(origin, key.publicKey());
      if (verifier.verify(parsed).accepted()) {
        return Checkpoint.parse(parsed.text());
      }
    }
    throw new InvalidNoteException(
        "the checkpoint is not signed by any of the "
            + trusted.size()
            + " trusted coordinator keys");
  }

  /**
   * Checks {@code log} evidence ({@code index}, {@code tree_size}, {@code inclusion_path}, {@code
   * checkpoint}) for {@code entry}, the bytes the log must hold.
   */
  public Verdict inclusion(byte[] entry, JsonNode log) {
    if (log == null || !log.path("checkpoint").isTextual()) {
      return Verdict.reject("the receipt carries no log checkpoint yet");
    }
    Checkpoint checkpoint;
    List<Hash> path;
    try {
      checkpoint = checkpoint(log.get("checkpoint").textValue());
      path = hashes(log.path("inclusion_path"));
    } catch (InvalidNoteException | IllegalArgumentException e) {
      return Verdict.reject("log: " + e.getMessage());
    }
    long index = log.path("index").asLong(-1);
    long size = log.path("tree_size").asLong(-1);
    if (index < 0 || size != checkpoint.treeSize()) {
      return Verdict.reject(
          "log: index " + index + " and tree_size " + size + " do not match the checkpoint");
    }
    Verdict verdict =
        new InclusionProof(index, size, path).verify(Hash.leaf(entry), checkpoint.rootHash());
    return verdict.accepted()
        ? verdict
        : Verdict.reject(
            "log: the receipt is not leaf " + index + " of the signed tree: " + verdict.reason());
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
