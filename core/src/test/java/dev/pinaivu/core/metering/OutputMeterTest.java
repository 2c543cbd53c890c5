package dev.pinaivu.core.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.json.Json;
import org.junit.jupiter.api.Test;

class OutputMeterTest {
  private final OutputMeter meter = new OutputMeter();

  private void chunk(String json) throws Exception {
    meter.chunk(Json.parse(json));
  }

  @Test
  void nothingSeen_accountsForNothing() {
    assertThat(meter.completionLimit()).isZero();
  }

  @Test
  void streamedText_countsItsUtf8Bytes_andOneAllowancePerChoice() throws Exception {
    chunk("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}");
    chunk("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Héllo\"}}]}");
    chunk("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\" 😀\"}}]}");
    chunk("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");

    assertThat(meter.outputBytes()).isEqualTo(6 + 5);
    assertThat(meter.completionLimit()).isEqualTo(6 + 5 + 16);
    assertThat(meter.text()).isEqualTo("Héllo 😀");
  }

  @Test
  void reasoningAndRefusals_countAsOutput() throws Exception {
    chunk("{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"think\"}}]}");
    chunk("{\"choices\":[{\"index\":1,\"delta\":{\"refusal\":\"no\"}}]}");

    assertThat(meter.completionLimit()).isEqualTo(5 + 2 + 16 * 2);
  }

  @Test
  void toolCallFragments_countEachCallOnce() throws Exception {
    chunk(
        "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
            + "{\"name\":\"get\",\"arguments\":\"\"}}]}}]}");
    chunk(
        "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
            + "{\"arguments\":\"{\\\"a\\\":1}\"}}]}}]}");
    chunk(
        "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":"
            + "{\"name\":\"put\",\"arguments\":\"{}\"}}]}}]}");

    assertThat(meter.completionLimit()).isEqualTo(3 + 7 + 3 + 2 + 16 + 32 * 2);
  }

  @Test
  void aWholeCompletion_countsItsMessages() throws Exception {
    meter.completion(
        Json.parse(
            "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\","
                + "\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                + "\"finish_reason\":\"tool_calls\"}]}"));

    assertThat(meter.completionLimit()).isEqualTo(2 + 1 + 2 + 16 + 32);
  }

  @Test
  void hugeIndices_fromAHostileNode_costNoMemory_andAreCountedAtMostSoOften() throws Exception {
    for (int i = 0; i < 3000; i++) {
      chunk(
          "{\"choices\":[{\"index\":"
              + (Integer.MAX_VALUE - i)
              + ",\"delta\":{\"content\":\"x\"}}]}");
    }

    assertThat(meter.completionLimit()).isEqualTo(3000 + 16L * OutputMeter.MAX_COUNTED);
  }
}
