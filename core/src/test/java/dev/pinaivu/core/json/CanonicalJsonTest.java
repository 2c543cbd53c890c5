package dev.pinaivu.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  private static String canonical(String json) throws Exception {
    return new String(CanonicalJson.bytes(Json.parse(json)), StandardCharsets.UTF_8);
  }

  @Test
  void bytes_sortsMembersByUtf16CodeUnitsAtEveryLevel() throws Exception {
    // RFC 8785 section 3.2.3: sorting compares UTF-16 code units, so U+1F600 (a surrogate pair,
    // 0xD83D..) sorts before U+FB33 (0xFB33) although its code point is larger.
    String input =
        "{\"\\ufb33\":1,\"\\ud83d\\ude00\":2,\"b\":{\"z\":1,\"a\":[3,{\"y\":0,\"x\":1}]},\"a\":true}";

    assertThat(canonical(input))
        .isEqualTo(
            "{\"a\":true,\"b\":{\"a\":[3,{\"x\":1,\"y\":0}],\"z\":1},\"\ud83d\ude00\":2,\"\ufb33\":1}");
  }

  @Test
  void bytes_escapesOnlyWhatJcsEscapes() throws Exception {
    String input = "{\"s\":\"\\u0000\\u001f\\b\\t\\n\\f\\r\\\"\\\\/\\u00e9\\u20ac\"}";

    assertThat(canonical(input)).isEqualTo("{\"s\":\"\\u0000\\u001f\\b\\t\\n\\f\\r\\\"\\\\/é€\"}");
  }

  @Test
  void bytes_removesWhitespaceAndKeepsLiterals() throws Exception {
    assertThat(canonical(" { \"n\" : null , \"t\" : true, \"f\":false, \"i\": 42, \"e\": [ ] } "))
        .isEqualTo("{\"e\":[],\"f\":false,\"i\":42,\"n\":null,\"t\":true}");
  }

  @Test
  void bytes_refusesNegativeIntegers_noSignedDocumentHasOne() {
    assertThatThrownBy(() -> canonical("{\"i\":-42}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("negative integer in canonical JSON: -42");
  }

  @Test
  void bytes_refusesFloatsAndUnsafeIntegers() {
    assertThatThrownBy(() -> canonical("{\"x\":1.5}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> canonical("{\"x\":9007199254740993}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bytes_isTheSameForEquivalentDocuments() throws Exception {
    assertThat(canonical("{\"b\":1,\"a\":[1,2]}"))
        .isEqualTo(canonical("{ \"a\" : [1,2], \"b\" : 1 }"));
  }
}
