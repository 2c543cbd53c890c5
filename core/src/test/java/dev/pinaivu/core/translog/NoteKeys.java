package dev.pinaivu.core.translog;

import dev.pinaivu.core.crypto.Ed25519;
import java.util.Arrays;

/** Fixed keys for note and checkpoint tests. */
final class NoteKeys {
  static final String ORIGIN = "log.pinaivu.dev/receipts";

  private NoteKeys() {}

  /** A deterministic key: the seed is {@code fill} repeated 32 times. */
  static Ed25519.PrivateKey seededKey(int fill) {
    byte[] seed = new byte[Ed25519.KEY_BYTES];
    Arrays.fill(seed, (byte) fill);
    return Ed25519.PrivateKey.fromSeed(seed);
  }

  static NoteSigner logSigner() {
    return new NoteSigner(ORIGIN, seededKey(1));
  }
}
