package dev.pinaivu.core.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.json.Json;
import org.junit.jupiter.api.Test;

class PromptLimitTest {
  private static long limit(String body) throws Exception {
    JsonNode tree = Json.parse(body);
    return PromptLimit.of(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, tree);
  }

  @Test
  void isTheBodysBytes_plusAllowancesForTheTemplate() throws Exception {
    String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    assertThat(limit(body)).isEqualTo(body.length() + 256 + 16);
  }

  @Test
  void countsUtf8Bytes_notCharacters() throws Exception {
    String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"日本語\"}]}";

    assertThat(limit(body)).isEqualTo(body.length() + 6 + 256 + 16);
  }

  @Test
  void addsRoomForToolInstructions_andForEveryImagePart() throws Exception {
    String body =
        "{\"model\":\"m\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],"
            + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"what?\"},"
            + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\"}}]},"
            + "{\"role\":\"assistant\",\"content\":\"a cat\"}]}";

    assertThat(limit(body)).isEqualTo(body.length() + 256 + 16 * 2 + 1024 + 8192);
  }
}
