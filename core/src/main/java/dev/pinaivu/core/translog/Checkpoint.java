package dev.pinaivu.core.translog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The body of a C2SP tlog-checkpoint: the log's origin, its tree size and the root hash at that
 * size, then optional extension lines. As note text: {@code <origin>\n<size>\n<base64 root>\n}
 * followed by one line per extension.
 */
public record Checkpoint(String origin, long treeSize, Hash rootHash, List<String> extensions) {
  public Checkpoint {
    NoteText.requireLine(origin, "the origin");
    if (treeSize < 0) {
      throw new IllegalArgumentException("a tree size is not negative: " + treeSize);
    }
    if (rootHash == null) {
      throw new IllegalArgumentException("a checkpoint has a root hash");
    }
    extensions = List.copyOf(extensions);
    extensions.forEach(line -> NoteText.requireLine(line, "an extension line"));
  }

  public Checkpoint(String origin, long treeSize, Hash rootHash) {
    this(origin, treeSize, rootHash, List.of());
  }

  public String noteText() {
    StringBuilder text = new StringBuilder();
    text.append(origin).append('\n').append(treeSize).append('\n').append(rootHash.base64());
    extensions.forEach(line -> text.append('\n').append(line));
    return text.append('\n').toString();
  }

  /**
   * Parses a note text. Strict, so that parsing and {@link #noteText} round-trip byte for byte:
   * size in decimal without leading zeros, root in padded standard base64 of 32 bytes.
   */
  public static Checkpoint parse(String noteText) {
    if (!noteText.endsWith("\n")) {
      throw new InvalidNoteException("a checkpoint ends with a newline");
    }
    List<String> lines =
        new ArrayList<>(
            Arrays.asList(noteText.substring(0, noteText.length() - 1).split("\n", -1)));
    if (lines.size() < 3) {
      throw new InvalidNoteException(
          "a checkpoint has an origin, a size and a root hash line; got " + lines.size());
    }
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isEmpty()) {
        throw new InvalidNoteException("line " + (i + 1) + " of the checkpoint is empty");
      }
    }
    long size = parseSize(lines.get(1));
    Hash root;
    try {
      root = Hash.fromBase64(lines.get(2));
    } catch (IllegalArgumentException e) {
      throw new InvalidNoteException(
          "the root hash line is not the padded base64 of 32 bytes: " + lines.get(2), e);
    }
    return new Checkpoint(lines.get(0), size, root, lines.subList(3, lines.size()));
  }

  private static long parseSize(String line) {
    if (!line.matches("0|[1-9][0-9]{0,18}")) {
      throw new InvalidNoteException(
          "the tree size is decimal digits without leading zeros: " + line);
    }
    try {
      return Long.parseLong(line);
    } catch (NumberFormatException e) {
      throw new InvalidNoteException("the tree size does not fit in 63 bits: " + line, e);
    }
  }
}
