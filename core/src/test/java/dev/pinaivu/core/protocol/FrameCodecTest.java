package dev.pinaivu.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.openai.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  private static final String JOB = "req_01j9z4kxm8vwqe3t5p6n7r2y0c";

  static List<Frame> everyFrame() {
    ObjectNode data = Json.object().put("k", "v");
    return List.of(
        new Frame.Hello(1, "nonce", 123),
        new Frame.Auth(1, NodeKey.generate().id(), "pk", "sig", "agent/1"),
        new Frame.Welcome(
            NodeKey.generate().id(),
            5000,
            new Frame.CoordinatorInfo("ab".repeat(32), "pk", "dev", null)),
        new Frame.Coordinator(new Frame.CoordinatorInfo("cd".repeat(32), "pk", "nitro", "doc")),
        new Frame.Proof(JOB, data, "sig"),
        new Frame.Offer(data, "sig"),
        new Frame.Heartbeat(3, 99),
        new Frame.Job(JOB, "m", true, "{\"model\": \"m\"}", 1000, null),
        new Frame.JobPart(JOB, 1, 3, "{\"type\":\"job\",\"é😀"),
        new Frame.Cancel(JOB, "client disconnected"),
        new Frame.Chunk(JOB, 0, data),
        new Frame.Result(JOB, 1, data),
        new Frame.Done(JOB, 2, Usage.of(3, 4), true),
        new Frame.JobError(JOB, 3, "upstream_error", "boom", true, 503),
        new Frame.Error("bad_auth", "nope"));
  }

  @Test
  void everyFrame_roundTrips() throws Exception {
    for (Frame frame : everyFrame()) {
      assertThat(FrameCodec.decode(FrameCodec.encode(frame))).isEqualTo(frame);
    }
  }

  @Test
  void encode_usesSnakeCaseAndATypeTag() {
    String text = FrameCodec.encode(new Frame.Done(JOB, 2, Usage.of(3, 4), false));

    assertThat(text)
        .contains("\"type\":\"done\"")
        .contains("\"job_id\":\"" + JOB + "\"")
        .contains("\"prompt_tokens\":3")
        .contains("\"usage_estimated\":false");
  }

  @Test
  void coordinator_hasTheShapeOfTheWelcomesCoordinator() throws Exception {
    String text =
        "{\"type\":\"coordinator\",\"coordinator\":{\"key_id\":\"ab\",\"public_key\":\"pk\","
            + "\"kind\":\"dev\",\"attestation\":null}}";

    assertThat(FrameCodec.decode(text))
        .isEqualTo(new Frame.Coordinator(new Frame.CoordinatorInfo("ab", "pk", "dev", null)));
    assertThatThrownBy(() -> FrameCodec.decode("{\"type\":\"coordinator\"}"))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("coordinator");
  }

  @Test
  void decode_unknownTypeOrExtraFields_isTolerated() throws Exception {
    assertThat(FrameCodec.decode("{\"type\":\"telemetry\",\"gpu\":\"H100\"}"))
        .isInstanceOf(Frame.Unknown.class);
    assertThat(
            FrameCodec.decode(
                "{\"type\":\"heartbeat\",\"active_jobs\":1,\"sent_at_ms\":2,\"future\":true}"))
        .isEqualTo(new Frame.Heartbeat(1, 2));
  }

  @Test
  void decode_malformedFrames_areRefusedWithAReason() {
    for (String bad :
        new String[] {
          "",
          "not json",
          "[1,2]",
          "{\"type\":\"chunk\",\"seq\":0,\"data\":{}}",
          "{\"type\":\"chunk\",\"job_id\":\"" + JOB + "\",\"seq\":\"x\",\"data\":{}}",
          "{\"type\":\"auth\",\"protocol\":1,\"node_id\":\"node_bad\",\"public_key\":\"a\",\"signature\":\"b\"}",
          "{\"type\":\"done\",\"job_id\":\"j\",\"seq\":1,\"usage\":{\"prompt_tokens\":-1,\"completion_tokens\":1,\"total_tokens\":0}}",
        }) {
      assertThatThrownBy(() -> FrameCodec.decode(bad))
          .as(bad)
          .isInstanceOf(ProtocolException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotEndWith(": null"));
    }
  }
}
