package dev.pinaivu.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a message is cut into WebSocket frames for API Gateway's 32 KB frame limit. */
class GatewayLinkTest {
  @Test
  void aShortMessageIsOneFrame_aLongOneIsCutIntoFramesThatJoinBackToIt() {
    assertThat(GatewayLink.fragments("short", 8)).containsExactly("short");

    String longText = "x".repeat(20_000);
    List<String> parts = GatewayLink.fragments(longText, GatewayLink.API_GATEWAY_FRAME_CHARS);
    assertThat(parts).hasSize(3).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(8192));
    assertThat(String.join("", parts)).isEqualTo(longText);
    // even all three-byte characters stay under 32 KB of UTF-8 per frame
    assertThat(GatewayLink.API_GATEWAY_FRAME_CHARS * 3).isLessThanOrEqualTo(32 * 1024);
  }

  @Test
  void aCutNeverSplitsASurrogatePair() {
    String emoji = "\uD83D\uDE00"; // one character, two chars
    String text = "ab" + emoji + "cd";
    List<String> parts = GatewayLink.fragments(text, 3); // would cut between the pair at 3

    assertThat(parts).containsExactly("ab", emoji + "c", "d");
    assertThat(parts)
        .allSatisfy(p -> assertThat(Character.isHighSurrogate(p.charAt(p.length() - 1))).isFalse());
  }
}
