package dev.pinaivu.core.receipt;

import dev.pinaivu.core.crypto.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The {@code response_sha256} of a job: SHA-256 over every output frame (each {@code chunk}, or the
 * one {@code result}) in {@code seq} order, each as its exact UTF-8 WebSocket text preceded by its
 * byte length as 8 bytes big-endian:
 *
 * <pre>response_sha256 = SHA-256( len(f0) || f0 || len(f1) || f1 || ... )</pre>
 *
 * The node feeds it the frames it sends; the gateway the frames it receives, before parsing them
 * (first copy of each seq only). No output at all gives SHA-256 of the empty string. Not
 * thread-safe.
 */
public final class ResponseDigest {
  private final MessageDigest digest = Sha256.newDigest();
  private long frames;

  public ResponseDigest add(String frameText) {
    return add(frameText.getBytes(StandardCharsets.UTF_8));
  }

  public ResponseDigest add(byte[] frameUtf8) {
    digest.update(ByteBuffer.allocate(Long.BYTES).putLong(frameUtf8.length).array());
    digest.update(frameUtf8);
    frames++;
    return this;
  }

  public long frames() {
    return frames;
  }

  /** The hex digest of the frames so far; the digest can keep growing afterwards. */
  public String hex() {
    try {
      return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
    }
  }
}
