package dev.pinaivu.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenizerTest {

  @Test
  void split_keepsLeadingSpaceWithTheWord_andSeparatesPunctuation() {
    assertThat(Tokenizer.split("Echo: Hello there, world!"))
        .containsExactly("Echo", ":", " Hello", " there", ",", " world", "!");
  }

  @Test
  void split_joinsBackToTheExactText_forAnyText() {
    String text = "  {\"a\":\"été 🚀\"}\n\nsupercalifragilistic  end ";

    assertThat(String.join("", Tokenizer.split(text))).isEqualTo(text);
    assertThat(Tokenizer.count(text)).isEqualTo(Tokenizer.split(text).size());
  }

  @Test
  void split_cutsLongRunsSoLongWordsStreamInPieces() {
    assertThat(Tokenizer.split("abcdefghijklmnopqrst"))
        .containsExactly("abcdefgh", "ijklmnop", "qrst");
  }

  @Test
  void split_neverCutsInsideASurrogatePair() {
    assertThat(Tokenizer.split("🚀🚀🚀🚀🚀🚀🚀🚀🚀"))
        .allSatisfy(token -> assertThat(Character.isLowSurrogate(token.charAt(0))).isFalse());
  }
}
