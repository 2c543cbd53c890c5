package dev.pinaivu.core.id;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.security.SecureRandom;

/**
 * Test code: a stand-in for SnapStart's snapshot of one generator. The generator's state is copied
 * byte for byte (serialised once, read back twice), as every environment restored from one snapshot
 * holds the same copy of it; each copy then draws as a restored environment would.
 */
public final class SnapshotCopies {
  private SnapshotCopies() {}

  /** The first {@code size} bytes each of two copies of {@code random} draws. */
  public static byte[][] firstDraws(SecureRandom random, int size)
      throws IOException, ClassNotFoundException {
    random.nextBytes(new byte[size]); // used during init, before the snapshot
    ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(snapshot)) {
      out.writeObject(random);
    }
    byte[][] draws = new byte[2][size];
    for (byte[] draw : draws) {
      try (ObjectInputStream in =
          new ObjectInputStream(new ByteArrayInputStream(snapshot.toByteArray()))) {
        ((SecureRandom) in.readObject()).nextBytes(draw);
      }
    }
    return draws;
  }
}
