package dev.pinaivu.core.translog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A growing sequence of hashes packed into 128 KiB chunks: 32 bytes per hash and no copying on
 * growth, so a million-leaf tree costs about 64 MiB rather than the ~150 MiB of one object each.
 */
final class HashColumn {
  private static final int CHUNK_SHIFT = 12;
  private static final int CHUNK_HASHES = 1 << CHUNK_SHIFT;
  private static final int CHUNK_MASK = CHUNK_HASHES - 1;

  private final List<byte[]> chunks = new ArrayList<>();
  private long size;

  long size() {
    return size;
  }

  void add(Hash hash) {
    int offset = (int) (size & CHUNK_MASK);
    if (offset == 0) {
      chunks.add(new byte[CHUNK_HASHES * Hash.BYTES]);
    }
    hash.copyTo(chunks.get(chunks.size() - 1), offset * Hash.BYTES);
    size++;
  }

  Hash get(long index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("hash " + index + " of " + size);
    }
    byte[] chunk = chunks.get((int) (index >>> CHUNK_SHIFT));
    int from = (int) (index & CHUNK_MASK) * Hash.BYTES;
    return new Hash(Arrays.copyOfRange(chunk, from, from + Hash.BYTES));
  }
}
