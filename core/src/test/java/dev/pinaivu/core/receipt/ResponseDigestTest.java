package dev.pinaivu.core.receipt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.crypto.Sha256;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ResponseDigestTest {
  @Test
  void noOutput_isTheHashOfNothing() {
    assertThat(new ResponseDigest().hex())
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void frames_areHashedAsLengthPrefixedUtf8_inOrder() {
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (String frame : Fixtures.FRAMES) {
      byte[] bytes = frame.getBytes(UTF_8);
      expected.writeBytes(ByteBuffer.allocate(8).putLong(bytes.length).array());
      expected.writeBytes(bytes);
    }

    assertThat(Fixtures.responseSha256()).isEqualTo(Sha256.hex(expected.toByteArray()));
  }

  @Test
  void lengthPrefix_keepsFrameBoundariesApart() {
    String joined = new ResponseDigest().add("ab").add("c").hex();
    String moved = new ResponseDigest().add("a").add("bc").hex();

    assertThat(joined).isNotEqualTo(moved);
  }

  @Test
  void hex_canBeReadMidStream() {
    ResponseDigest digest = new ResponseDigest().add("x");
    String first = digest.hex();

    assertThat(digest.hex()).isEqualTo(first);
    assertThat(digest.add("y").hex()).isNotEqualTo(first);
    assertThat(digest.frames()).isEqualTo(2);
  }
}
