package dev.pinaivu.core.coordinator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The framing of the coordinator protocol (docs/coordinator-protocol.md): each message is a 4-byte
 * big-endian length followed by that many bytes of UTF-8 JSON. Pure stream code, the same on TCP
 * and on vsock.
 */
public final class Frames {
  /** The largest frame either side accepts: 1 MiB, far above a settle request (a few KiB). */
  public static final int MAX_BYTES = 1 << 20;

  private static final int PREFIX_BYTES = 4;

  private Frames() {}

  /**
   * The next frame's body, or null when the stream ends cleanly between frames.
   *
   * @throws BadFrameException when the length is 0 or above {@link #MAX_BYTES}, or the stream ends
   *     inside a frame
   */
  public static byte[] read(InputStream in) throws IOException {
    byte[] prefix = in.readNBytes(PREFIX_BYTES);
    if (prefix.length == 0) {
      return null;
    }
    if (prefix.length < PREFIX_BYTES) {
      throw new BadFrameException("the stream ended inside a length prefix");
    }
    long length = Integer.toUnsignedLong(ByteBuffer.wrap(prefix).getInt());
    if (length == 0 || length > MAX_BYTES) {
      throw new BadFrameException(
          "frame length " + length + " is outside 1.." + MAX_BYTES + " bytes");
    }
    byte[] body = in.readNBytes((int) length);
    if (body.length < length) {
      throw new BadFrameException(
          "the stream ended inside a frame (" + body.length + " of " + length + " bytes)");
    }
    return body;
  }

  /** The length prefix and the body in one array, ready for a single write. */
  public static byte[] encode(byte[] body) {
    if (body.length == 0 || body.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "a frame carries 1.." + MAX_BYTES + " bytes, not " + body.length);
    }
    return ByteBuffer.allocate(PREFIX_BYTES + body.length).putInt(body.length).put(body).array();
  }
}
