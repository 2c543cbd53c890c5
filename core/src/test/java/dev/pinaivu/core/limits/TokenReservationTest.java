package dev.pinaivu.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.openai.ChatRequest;
import dev.pinaivu.core.openai.ChatRequestParser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TokenReservationTest {
  private static ChatRequest request(String extra) {
    String body =
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]" + extra + "}";
    return ChatRequestParser.parse(body.getBytes(StandardCharsets.UTF_8));
  }

  private static long prompt(ChatRequest r) {
    return TokenReservation.promptEstimate(r.text());
  }

  @Test
  void promptEstimate_isOneTokenPerFourUtf8BytesRoundedUp() {
    assertThat(TokenReservation.promptEstimate("")).isZero();
    assertThat(TokenReservation.promptEstimate("abcd")).isEqualTo(1);
    assertThat(TokenReservation.promptEstimate("abcde")).isEqualTo(2);
    assertThat(TokenReservation.promptEstimate("日本")).isEqualTo(2); // 6 bytes
    assertThat(TokenReservation.promptEstimate("😀")).isEqualTo(1); // 4 bytes
  }

  @Test
  void withMaxTokens_reservesThePromptAndMaxTokensForEachChoice() {
    ChatRequest one = request(",\"max_tokens\":100");
    ChatRequest three = request(",\"max_completion_tokens\":100,\"n\":3");

    assertThat(TokenReservation.of(one, null)).isEqualTo(prompt(one) + 100);
    assertThat(TokenReservation.of(three, 50)).isEqualTo(prompt(three) + 300);
  }

  @Test
  void withoutMaxTokens_reservesTheDefaultCutToWhatTheKeysTpmLeaves() {
    ChatRequest r = request("");

    assertThat(TokenReservation.of(r, null))
        .isEqualTo(prompt(r) + TokenReservation.DEFAULT_COMPLETION_TOKENS);
    assertThat(TokenReservation.of(r, 1000)).isEqualTo(1000);
    assertThat(TokenReservation.of(r, 5)).isEqualTo(prompt(r)); // the prompt alone exceeds it
  }
}
