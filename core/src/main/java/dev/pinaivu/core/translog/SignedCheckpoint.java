package dev.pinaivu.core.translog;

/** A checkpoint and the signed note that carries it; {@link #format} is what gets published. */
public record SignedCheckpoint(Checkpoint checkpoint, SignedNote note) {
  public SignedCheckpoint {
    if (!note.text().equals(checkpoint.noteText())) {
      throw new IllegalArgumentException("the note does not carry this checkpoint");
    }
  }

  public static SignedCheckpoint sign(Checkpoint checkpoint, NoteSigner signer) {
    return new SignedCheckpoint(checkpoint, SignedNote.sign(checkpoint.noteText(), signer));
  }

  /**
   * Parses without checking any signature: for reading back what this log stored itself. A
   * checkpoint from anyone else goes through {@link CheckpointVerifier}.
   */
  public static SignedCheckpoint parseUnverified(String signedNote) {
    SignedNote note = SignedNote.parse(signedNote);
    return new SignedCheckpoint(Checkpoint.parse(note.text()), note);
  }

  public String format() {
    return note.format();
  }
}
