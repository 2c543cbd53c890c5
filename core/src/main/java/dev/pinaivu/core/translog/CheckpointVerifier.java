package dev.pinaivu.core.translog;

/**
 * What a client runs on a checkpoint it was sent: the note must carry a valid signature by the
 * log's key, and only then is its text read, and its origin must be the log's.
 */
public final class CheckpointVerifier {
  private final String origin;
  private final NoteVerifier logKey;

  public CheckpointVerifier(String origin, NoteVerifier logKey) {
    NoteText.requireLine(origin, "the origin");
    this.origin = origin;
    this.logKey = logKey;
  }

  /** Returns the verified checkpoint, or throws {@link InvalidNoteException} saying why not. */
  public Checkpoint verify(String signedNote) {
    return verify(SignedNote.parse(signedNote));
  }

  public Checkpoint verify(byte[] signedNote) {
    return verify(SignedNote.parse(signedNote));
  }

  public Checkpoint verify(SignedNote note) {
    Verdict verdict = logKey.verify(note);
    if (!verdict.accepted()) {
      throw new InvalidNoteException(verdict.reason());
    }
    Checkpoint checkpoint = Checkpoint.parse(note.text());
    if (!checkpoint.origin().equals(origin)) {
      throw new InvalidNoteException(
          "the checkpoint is for origin \"" + checkpoint.origin() + "\", not \"" + origin + "\"");
    }
    return checkpoint;
  }
}
