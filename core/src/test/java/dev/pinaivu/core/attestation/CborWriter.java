package dev.pinaivu.core.attestation;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal CBOR encoder (RFC 8949) for building test documents byte by byte, independent of the
 * Jackson parser under test. Heads use the shortest form; pass -1 as a length for indefinite.
 */
final class CborWriter {
  static final int UNSIGNED = 0;
  static final int NEGATIVE = 1;
  static final int BYTES = 2;
  static final int TEXT = 3;
  static final int ARRAY = 4;
  static final int MAP = 5;
  static final int TAG = 6;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  CborWriter integer(long value) {
    return value >= 0 ? head(UNSIGNED, value) : head(NEGATIVE, -1 - value);
  }

  CborWriter bytes(byte[] value) {
    head(BYTES, value.length);
    out.writeBytes(value);
    return this;
  }

  CborWriter text(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    head(TEXT, utf8.length);
    out.writeBytes(utf8);
    return this;
  }

  CborWriter nul() {
    out.write(0xf6);
    return this;
  }

  CborWriter tag(long tag) {
    return head(TAG, tag);
  }

  /** Starts an array of {@code size} items, or an indefinite one when size is -1. */
  CborWriter array(int size) {
    return size < 0 ? raw(0x9f) : head(ARRAY, size);
  }

  /** Starts a map of {@code size} entries, or an indefinite one when size is -1. */
  CborWriter map(int size) {
    return size < 0 ? raw(0xbf) : head(MAP, size);
  }

  /** Ends an indefinite array or map. */
  CborWriter end() {
    return raw(0xff);
  }

  CborWriter raw(int... bytes) {
    for (int b : bytes) {
      out.write(b);
    }
    return this;
  }

  CborWriter raw(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  private CborWriter head(int major, long value) {
    int type = major << 5;
    if (value < 24) {
      out.write(type | (int) value);
    } else if (value < 0x100) {
      out.write(type | 24);
      out.write((int) value);
    } else if (value < 0x10000) {
      out.write(type | 25);
      writeBigEndian(value, 2);
    } else if (value < 0x1_0000_0000L) {
      out.write(type | 26);
      writeBigEndian(value, 4);
    } else {
      out.write(type | 27);
      writeBigEndian(value, 8);
    }
    return this;
  }

  private void writeBigEndian(long value, int length) {
    for (int shift = (length - 1) * 8; shift >= 0; shift -= 8) {
      out.write((int) (value >>> shift) & 0xff);
    }
  }
}
