package dev.pinaivu.core.translog;

import static dev.pinaivu.core.translog.NoteKeys.ORIGIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointTest {
  private static final Hash ROOT =
      Hash.fromHex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
  private static final String ROOT_BASE64 = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=";

  @Test
  void noteText_isOriginSizeAndBase64RootOnTheirOwnLines() {
    assertThat(new Checkpoint(ORIGIN, 8, ROOT).noteText())
        .isEqualTo(ORIGIN + "\n8\n" + ROOT_BASE64 + "\n");
  }

  @Test
  void noteText_withExtensions_appendsOneLineEach() {
    Checkpoint checkpoint = new Checkpoint(ORIGIN, 8, ROOT, List.of("ext one", "ext two"));
    assertThat(checkpoint.noteText()).endsWith(ROOT_BASE64 + "\next one\next two\n");
    assertThat(Checkpoint.parse(checkpoint.noteText())).isEqualTo(checkpoint);
  }

  @Test
  void parse_ofNoteText_roundTrips() {
    for (long size : new long[] {0, 1, 8, Long.MAX_VALUE}) {
      Checkpoint checkpoint = new Checkpoint(ORIGIN, size, ROOT);
      assertThat(Checkpoint.parse(checkpoint.noteText())).isEqualTo(checkpoint);
    }
  }

  @Test
  void parse_malformedBodies_rejectsEachWithItsReason() {
    assertMalformed(ORIGIN + "\n8\n" + ROOT_BASE64, "ends with a newline");
    assertMalformed(ORIGIN + "\n8\n", "an origin, a size and a root hash line");
    assertMalformed("\n8\n" + ROOT_BASE64 + "\n", "line 1 of the checkpoint is empty");
    assertMalformed(ORIGIN + "\n8\n" + ROOT_BASE64 + "\n\next\n", "line 4 of the checkpoint");
    assertMalformed(ORIGIN + "\n08\n" + ROOT_BASE64 + "\n", "without leading zeros: 08");
    assertMalformed(ORIGIN + "\n-8\n" + ROOT_BASE64 + "\n", "decimal digits");
    assertMalformed(ORIGIN + "\n+8\n" + ROOT_BASE64 + "\n", "decimal digits");
    assertMalformed(ORIGIN + "\n 8\n" + ROOT_BASE64 + "\n", "decimal digits");
    assertMalformed(ORIGIN + "\n9223372036854775808\n" + ROOT_BASE64 + "\n", "63 bits");
    assertMalformed(ORIGIN + "\n8\n" + ROOT.hex() + "\n", "root hash line");
    assertMalformed(ORIGIN + "\n8\n" + ROOT_BASE64.replace("=", "") + "\n", "root hash line");
    assertMalformed(ORIGIN + "\n8\nAAAA\n", "root hash line");
  }

  @Test
  void construct_withAnInvalidField_fails() {
    assertThatThrownBy(() -> new Checkpoint("", 8, ROOT)).hasMessageContaining("origin is empty");
    assertThatThrownBy(() -> new Checkpoint("a\nb", 8, ROOT)).hasMessageContaining("newline");
    assertThatThrownBy(() -> new Checkpoint(ORIGIN, -1, ROOT)).hasMessageContaining("negative");
    assertThatThrownBy(() -> new Checkpoint(ORIGIN, 8, ROOT, List.of("")))
        .hasMessageContaining("extension line is empty");
  }

  private static void assertMalformed(String text, String reason) {
    assertThatThrownBy(() -> Checkpoint.parse(text))
        .as(text)
        .isInstanceOf(InvalidNoteException.class)
        .hasMessageContaining(reason);
  }
}
