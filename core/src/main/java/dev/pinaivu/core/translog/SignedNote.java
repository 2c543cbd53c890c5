package dev.pinaivu.core.translog;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A C2SP signed note: a text ending in a newline, a blank line, then one or more signature lines.
 * Parsing checks the syntax only; {@link NoteVerifier} checks signatures, and until one does the
 * text must not be trusted.
 */
public record SignedNote(String text, List<NoteSignature> signatures) {
  /** Notes with more signatures are refused; the spec asks verifiers to accept at least 16. */
  public static final int MAX_SIGNATURES = 64;

  public SignedNote {
    if (text == null || !text.endsWith("\n")) {
      throw new InvalidNoteException("a note text ends with a newline");
    }
    NoteText.requireValid(text, "the note text");
    signatures = List.copyOf(signatures);
    if (signatures.isEmpty()) {
      throw new InvalidNoteException("a signed note has at least one signature");
    }
    if (signatures.size() > MAX_SIGNATURES) {
      throw new InvalidNoteException(
          "a note with "
              + signatures.size()
              + " signatures exceeds the limit of "
              + MAX_SIGNATURES);
    }
  }

  /** Signs {@code text} (which must end in a newline) with one key. */
  public static SignedNote sign(String text, NoteSigner signer) {
    return new SignedNote(text, List.of(signer.sign(text)));
  }

  /** This note with one more signature over the same text, for example a witness cosignature. */
  public SignedNote withSignature(NoteSigner signer) {
    List<NoteSignature> all = new ArrayList<>(signatures);
    all.add(signer.sign(text));
    return new SignedNote(text, all);
  }

  /** Parses the bytes of a note, which must be valid UTF-8. */
  public static SignedNote parse(byte[] note) {
    try {
      return parse(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(note))
              .toString());
    } catch (CharacterCodingException e) {
      throw new InvalidNoteException("a signed note is valid UTF-8", e);
    }
  }

  /** Parses a note; the text is everything up to the last blank line, newline included. */
  public static SignedNote parse(String note) {
    NoteText.requireValid(note, "the note");
    int split = note.lastIndexOf("\n\n");
    if (split < 0) {
      throw new InvalidNoteException("a signed note has a blank line before its signatures");
    }
    String block = note.substring(split + 2);
    if (block.isEmpty()) {
      throw new InvalidNoteException("a signed note has at least one signature line");
    }
    if (!block.endsWith("\n")) {
      throw new InvalidNoteException("a signed note ends with a newline");
    }
    List<NoteSignature> signatures = new ArrayList<>();
    for (String line : block.substring(0, block.length() - 1).split("\n", -1)) {
      signatures.add(NoteSignature.parseLine(line));
      if (signatures.size() > MAX_SIGNATURES) {
        throw new InvalidNoteException("a note has at most " + MAX_SIGNATURES + " signatures");
      }
    }
    return new SignedNote(note.substring(0, split + 1), signatures);
  }

  /** The note as sent: text, blank line, one line per signature, each ending in a newline. */
  public String format() {
    StringBuilder out = new StringBuilder(text).append('\n');
    signatures.forEach(signature -> out.append(signature.line()).append('\n'));
    return out.toString();
  }

  public byte[] textBytes() {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
