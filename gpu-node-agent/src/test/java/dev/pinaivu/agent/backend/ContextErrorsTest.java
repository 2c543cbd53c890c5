package dev.pinaivu.agent.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.json.Json;
import org.junit.jupiter.api.Test;

class ContextErrorsTest {
  private static boolean exceeded(String body) throws Exception {
    return ContextErrors.isContextLengthExceeded(Json.parse(body).path("error"));
  }

  @Test
  void vllmsAndLlamaCppsAndOpenAisTooLongPromptErrors_areContextLengthExceeded() throws Exception {
    assertThat(
            exceeded(
                "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens."
                    + " However, you requested 70000 tokens\",\"type\":\"BadRequestError\","
                    + "\"code\":400}}"))
        .isTrue();
    assertThat(
            exceeded(
                "{\"error\":{\"message\":\"request (70000 tokens) exceeds the available context"
                    + " size (8192 tokens)\",\"type\":\"exceed_context_size_error\",\"code\":400}}"))
        .isTrue();
    assertThat(exceeded("{\"error\":{\"message\":\"x\",\"code\":\"context_length_exceeded\"}}"))
        .isTrue();
  }

  @Test
  void anotherBadRequest_isNot() throws Exception {
    assertThat(exceeded("{\"error\":{\"message\":\"tools not supported\",\"code\":400}}"))
        .isFalse();
  }
}
