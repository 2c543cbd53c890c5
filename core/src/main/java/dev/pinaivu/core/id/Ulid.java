package dev.pinaivu.core.id;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Universally unique lexicographically sortable identifiers (https://github.com/ulid/spec): 48 bits
 * of milliseconds since the epoch, then 80 random bits, as 26 lower-case Crockford base32 digits.
 * Written here rather than taken from a library because it is 30 lines and we need only creation.
 */
public final class Ulid {
  /**
   * The platform's default, NativePRNG on Linux: every draw is XORed with fresh bytes of
   * /dev/urandom, so environments restored from one SnapStart snapshot do not repeat each other
   * (ADR 26; SnapshotCopiesTest). A seeded SHA1PRNG here would.
   */
  static final SecureRandom RANDOM = new SecureRandom();

  private Ulid() {}

  public static String next() {
    return next(Clock.systemUTC().millis());
  }

  static String next(long epochMillis) {
    if (epochMillis < 0 || epochMillis >= (1L << 48)) {
      throw new IllegalArgumentException("time outside the ULID range: " + epochMillis);
    }
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    char[] out = new char[26];
    long time = epochMillis;
    for (int i = 9; i >= 0; i--) {
      out[i] = Base32.ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    // 80 random bits -> 16 digits
    long hi =
        ((random[0] & 0xffL) << 32)
            | ((random[1] & 0xffL) << 24)
            | ((random[2] & 0xffL) << 16)
            | ((random[3] & 0xffL) << 8)
            | (random[4] & 0xffL);
    long lo =
        ((random[5] & 0xffL) << 32)
            | ((random[6] & 0xffL) << 24)
            | ((random[7] & 0xffL) << 16)
            | ((random[8] & 0xffL) << 8)
            | (random[9] & 0xffL);
    for (int i = 17; i >= 10; i--) {
      out[i] = Base32.ALPHABET[(int) (hi & 31)];
      hi >>>= 5;
    }
    for (int i = 25; i >= 18; i--) {
      out[i] = Base32.ALPHABET[(int) (lo & 31)];
      lo >>>= 5;
    }
    return new String(out);
  }

  /** True when {@code s} is 26 lower-case Crockford digits whose first digit fits 48 bits. */
  public static boolean isValid(String s) {
    if (s == null || s.length() != 26 || s.charAt(0) > '7') {
      return false;
    }
    for (int i = 0; i < 26; i++) {
      if (!Base32.isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** The millisecond timestamp encoded in a valid ULID. */
  public static long timestamp(String ulid) {
    long t = 0;
    for (int i = 0; i < 10; i++) {
      t = (t << 5) | Base32.DIGITS.indexOf(ulid.charAt(i));
    }
    return t;
  }
}
