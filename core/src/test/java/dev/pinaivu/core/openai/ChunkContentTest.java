package dev.pinaivu.core.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.json.Json;
import org.junit.jupiter.api.Test;

class ChunkContentTest {
  private static ObjectNode chunk(String json) throws Exception {
    return (ObjectNode) Json.parse(json);
  }

  @Test
  void carriesOutput_onlyForTextToolCallsRefusalsOrFinish() throws Exception {
    assertThat(
            ChunkContent.carriesOutput(
                chunk("{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}")))
        .isFalse();
    assertThat(ChunkContent.carriesOutput(chunk("{\"choices\":[]}"))).isFalse();
    assertThat(ChunkContent.carriesOutput(chunk("{\"choices\":[{\"delta\":{\"content\":\"a\"}}]}")))
        .isTrue();
    assertThat(
            ChunkContent.carriesOutput(
                chunk("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0}]}}]}")))
        .isTrue();
    assertThat(
            ChunkContent.carriesOutput(
                chunk("{\"choices\":[{\"delta\":{\"reasoning_content\":\"hm\"}}]}")))
        .isTrue();
    assertThat(
            ChunkContent.carriesOutput(
                chunk("{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}")))
        .isTrue();
  }
}
