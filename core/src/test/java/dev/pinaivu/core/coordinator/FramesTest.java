package dev.pinaivu.core.coordinator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FramesTest {
  private static InputStream stream(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return new ByteArrayInputStream(out.toByteArray());
  }

  private static byte[] prefix(long length) {
    return ByteBuffer.allocate(4).putInt((int) length).array();
  }

  @Test
  void frames_readBackInOrder_thenNullAtACleanEnd() throws Exception {
    InputStream in =
        stream(Frames.encode("{\"id\":1}".getBytes(UTF_8)), Frames.encode("[]".getBytes(UTF_8)));

    assertThat(new String(Frames.read(in), UTF_8)).isEqualTo("{\"id\":1}");
    assertThat(new String(Frames.read(in), UTF_8)).isEqualTo("[]");
    assertThat(Frames.read(in)).isNull();
  }

  @Test
  void encode_writesTheLengthBigEndianBeforeTheBody() {
    byte[] frame = Frames.encode(new byte[] {'{', '}'});

    assertThat(frame).containsExactly(0, 0, 0, 2, '{', '}');
  }

  @Test
  void aFrameOfExactlyTheLimit_isRead() throws Exception {
    byte[] body = new byte[Frames.MAX_BYTES];
    Arrays.fill(body, (byte) ' ');

    assertThat(Frames.read(stream(prefix(body.length), body))).hasSize(Frames.MAX_BYTES);
  }

  @Test
  void aLengthAboveTheLimit_isRefusedBeforeReadingTheBody() {
    assertThatThrownBy(() -> Frames.read(stream(prefix(Frames.MAX_BYTES + 1L))))
        .isInstanceOf(BadFrameException.class)
        .hasMessageContaining("outside 1..");
  }

  @Test
  void aLengthWithTheTopBitSet_isReadAsUnsignedAndRefused() {
    assertThatThrownBy(() -> Frames.read(stream(prefix(0xFFFF_FFFFL))))
        .isInstanceOf(BadFrameException.class)
        .hasMessageContaining("4294967295");
  }

  @Test
  void anEmptyFrame_isRefused() {
    assertThatThrownBy(() -> Frames.read(stream(prefix(0)))).isInstanceOf(BadFrameException.class);
  }

  @Test
  void aStreamEndingInsideAFrame_isRefused() {
    assertThatThrownBy(() -> Frames.read(stream(prefix(10), "{\"id\"".getBytes(UTF_8))))
        .isInstanceOf(BadFrameException.class)
        .hasMessageContaining("5 of 10 bytes");
  }

  @Test
  void aStreamEndingInsideALengthPrefix_isRefused() {
    assertThatThrownBy(() -> Frames.read(stream(new byte[] {0, 0})))
        .isInstanceOf(BadFrameException.class)
        .hasMessageContaining("length prefix");
  }

  @Test
  void encode_refusesBodiesItCouldNotSend() {
    assertThatThrownBy(() -> Frames.encode(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Frames.encode(new byte[Frames.MAX_BYTES + 1]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
