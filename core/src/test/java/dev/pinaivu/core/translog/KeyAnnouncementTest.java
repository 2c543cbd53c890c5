package dev.pinaivu.core.translog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.receipt.CoordinatorKey;
import org.junit.jupiter.api.Test;

class KeyAnnouncementTest {
  private static final CoordinatorKey KEY = CoordinatorKey.dev(NoteKeys.seededKey(2).publicKey());

  @Test
  void entry_isCanonicalJson_andReadsBack() {
    KeyAnnouncement announcement = new KeyAnnouncement(NoteKeys.ORIGIN, KEY);
    byte[] entry = announcement.entry();

    assertThat(new String(entry, UTF_8))
        .startsWith("{\"attestation\":")
        .contains("\"type\":\"coordinator_key\"")
        .contains("\"key_id\":\"" + KEY.keyId() + "\"");
    assertThat(KeyAnnouncement.isAnnouncement(entry)).isTrue();
    assertThat(KeyAnnouncement.parse(entry)).contains(announcement);
    assertThat(KeyAnnouncement.parse(entry).orElseThrow().noteVerifier().keyName())
        .isEqualTo(NoteKeys.ORIGIN);
  }

  @Test
  void aReceiptEntry_isNotAnAnnouncement() {
    byte[] receipt = "{\"alg\":\"Ed25519\",\"key_id\":\"x\"}".getBytes(UTF_8);

    assertThat(KeyAnnouncement.isAnnouncement(receipt)).isFalse();
    assertThat(KeyAnnouncement.parse(receipt)).isEmpty();
  }

  @Test
  void anAnnouncementNotInCanonicalForm_isRefused() {
    String canonical = new String(new KeyAnnouncement(NoteKeys.ORIGIN, KEY).entry(), UTF_8);
    byte[] spaced = canonical.replace("\"type\":", "\"type\": ").getBytes(UTF_8);

    assertThatThrownBy(() -> KeyAnnouncement.parse(spaced))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("canonical");
  }
}
