package dev.pinaivu.core.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttestationFileTest {
  private static final byte[] DOCUMENT = NitroSamples.NONDEBUG.bytes();

  @TempDir Path dir;

  @Test
  void read_rawCbor_returnsTheBytes() throws IOException {
    assertThat(AttestationFile.read(write(DOCUMENT))).isEqualTo(DOCUMENT);
  }

  @Test
  void read_tag18RawCbor_returnsTheBytes() throws IOException {
    byte[] tagged = new byte[DOCUMENT.length + 1];
    tagged[0] = (byte) 0xd2;
    System.arraycopy(DOCUMENT, 0, tagged, 1, DOCUMENT.length);

    assertThat(AttestationFile.read(write(tagged))).isEqualTo(tagged);
  }

  @Test
  void read_realBase64Sample_decodesIt() throws IOException {
    Path file = write(NitroSamples.resource("evervault-debug-2023-09-18.cose.b64"));

    assertThat(AttestationFile.read(file)).isEqualTo(NitroSamples.DEBUG_2023.bytes());
  }

  @Test
  void read_wrappedBase64WithTrailingNewline_decodesIt() throws IOException {
    String wrapped = Base64.getMimeEncoder().encodeToString(DOCUMENT) + "\n";

    assertThat(AttestationFile.read(write(wrapped))).isEqualTo(DOCUMENT);
  }

  @Test
  void read_urlSafeBase64_decodesIt() throws IOException {
    String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(DOCUMENT);
    assertThat(urlSafe).containsAnyOf("-", "_");

    assertThat(AttestationFile.read(write(urlSafe))).isEqualTo(DOCUMENT);
  }

  @Test
  void read_hexInEitherCase_decodesIt() throws IOException {
    String hex = HexFormat.of().formatHex(DOCUMENT);

    assertThat(AttestationFile.read(write(hex + "\n"))).isEqualTo(DOCUMENT);
    assertThat(AttestationFile.read(write(hex.toUpperCase()))).isEqualTo(DOCUMENT);
  }

  @Test
  void read_textThatIsNeitherBase64NorHex_failsNamingTheFile() throws IOException {
    Path file = write("this is not an attestation document!");

    assertThatThrownBy(() -> AttestationFile.read(file))
        .isInstanceOf(IOException.class)
        .hasMessage(file + " is neither raw CBOR nor base64 or hex text");
  }

  @Test
  void read_emptyOrBlankFile_fails() throws IOException {
    Path empty = write(new byte[0]);
    Path blank = write(" \n");

    assertThatThrownBy(() -> AttestationFile.read(empty)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> AttestationFile.read(blank)).isInstanceOf(IOException.class);
  }

  @Test
  void read_hugeFile_failsBeforeReadingIt() throws IOException {
    Path file = write(new byte[(int) AttestationFile.MAX_BYTES + 1]);

    assertThatThrownBy(() -> AttestationFile.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is larger than");
  }

  @Test
  void read_missingFile_fails() {
    assertThatThrownBy(() -> AttestationFile.read(dir.resolve("absent.cose")))
        .isInstanceOf(IOException.class);
  }

  @Test
  void read_thenVerify_isTheWholeCliPath() throws IOException {
    Path file = write(NitroSamples.resource("evervault-debug-2023-09-18.cose.b64"));

    Verification result = new AttestationVerifier().verify(AttestationFile.read(file));

    assertThat(result.reason()).startsWith("debug-mode document");
  }

  private Path write(String text) throws IOException {
    return write(text.getBytes(StandardCharsets.US_ASCII));
  }

  private Path write(byte[] content) throws IOException {
    Path file = Files.createTempFile(dir, "doc", ".bin");
    Files.write(file, content);
    return file;
  }
}
