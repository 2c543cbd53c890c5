package dev.pinaivu.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonSyntaxTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"model\": \"x\", ",
        "{\"model\": x}",
        "{\"a\":1}}",
        "nul",
        "{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}",
        "{'a':1}",
        "{\"a\":\"unterminated",
        "[1,2"
      })
  void describe_saysWhereAndWhat_inNoneOfTheParsersOwnWords(String body) {
    JsonProcessingException e =
        catchThrowableOfType(JsonProcessingException.class, () -> Json.parse(body));

    String said = JsonSyntax.describe(e);

    assertThat(said).startsWith("at line 1, column ");
    assertThat(said)
        .doesNotContain("StreamReadFeature")
        .doesNotContain("Source")
        .doesNotContain("REDACTED")
        .doesNotContain("\n");
  }

  @org.junit.jupiter.api.Test
  void anUnclosedArray_namesWhereItStarted() {
    JsonProcessingException e =
        catchThrowableOfType(
            JsonProcessingException.class, () -> Json.parse("{\"messages\":[{\"a\":1}"));

    assertThat(JsonSyntax.describe(e))
        .isEqualTo(
            "at line 1, column 21: Unexpected end-of-input: expected close marker for Array"
                + " (start marker at line 1, column 13)");
  }
}
