package dev.pinaivu.gateway.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ContentCodingTest {
  private static final byte[] JSON = "{\"model\":\"m\"}".getBytes(UTF_8);

  @Test
  void codingsListed_areUndoneLastAppliedFirst() throws IOException {
    byte[] twice = gzip(deflate(JSON)); // deflate applied first, then gzip

    assertThat(ContentCoding.decode(twice, "deflate, gzip", 1024)).isEqualTo(JSON);
  }

  @Test
  void identity_andNoHeader_leaveTheBodyAsSent() throws IOException {
    assertThat(ContentCoding.decode(JSON, null, 1024)).isEqualTo(JSON);
    assertThat(ContentCoding.decode(JSON, "identity", 1024)).isEqualTo(JSON);
    assertThat(ContentCoding.decode(gzip(JSON), "GZIP, identity", 1024)).isEqualTo(JSON);
  }

  @Test
  void theLimit_holdsForTheDecodedBytes() throws IOException {
    byte[] big = new byte[10_000];

    assertThatThrownBy(() -> ContentCoding.decode(gzip(big), "gzip", 9_999))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BODY_TOO_LARGE));
    assertThat(ContentCoding.decode(gzip(big), "gzip", 10_000)).hasSize(10_000);
  }

  @Test
  void aTruncatedGzip_isInvalidContentEncoding() throws IOException {
    byte[] whole = gzip(JSON);
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 6);

    assertThatThrownBy(() -> ContentCoding.decode(cut, "gzip", 1024))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("invalid_content_encoding"));
  }

  private static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(plain);
    }
    return out.toByteArray();
  }

  private static byte[] deflate(byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
      z.write(plain);
    }
    return out.toByteArray();
  }
}
