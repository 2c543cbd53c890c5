package dev.pinaivu.functions.dispatch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.dispatch.NodeUnavailableException;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.protocol.JobParts;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a job frame is cut into the WebSocket API's messages (ADR 27). */
class RelayDispatcherTest {
  private final String jobId = RequestId.next().value();

  private String frame(String content) {
    String body = Json.text(Json.object().put("model", "m").put("content", content));
    return FrameCodec.encode(new Frame.Job(jobId, "m", true, body, 1, "token"));
  }

  private static int bytes(String text) {
    return text.getBytes(UTF_8).length;
  }

  @Test
  void aFrameThatFitsOneMessage_goesWhole_upToTheLimitExactly() throws Exception {
    String empty = frame("");
    String exact = frame("x".repeat(RelayDispatcher.MAX_MESSAGE_BYTES - bytes(empty)));
    assertThat(bytes(exact)).isEqualTo(RelayDispatcher.MAX_MESSAGE_BYTES);

    assertThat(RelayDispatcher.messages(jobId, empty)).containsExactly(empty);
    assertThat(RelayDispatcher.messages(jobId, exact)).containsExactly(exact);
    String over = frame("x".repeat(RelayDispatcher.MAX_MESSAGE_BYTES - bytes(empty) + 1));
    assertThat(RelayDispatcher.messages(jobId, over)).hasSize(2);
  }

  @Test
  void aLargerFrame_goesAsPartsInOrder_eachUnderTheMessageLimit_thatMakeTheFrameAgain()
      throws Exception {
    // ~300 KB of quotes (escaped twice in a part), backslashes and multi-byte characters
    String frame = frame("\"quoted\" \\ é € 😀 ".repeat(15_000));

    List<String> messages = RelayDispatcher.messages(jobId, frame);

    assertThat(messages).hasSizeGreaterThan(3);
    JobParts.Assembly assembly = new JobParts.Assembly(jobId);
    Optional<Frame.Job> job = Optional.empty();
    StringBuilder joined = new StringBuilder();
    for (int i = 0; i < messages.size(); i++) {
      assertThat(bytes(messages.get(i))).isLessThan(RelayDispatcher.MAX_MESSAGE_BYTES);
      Frame.JobPart part = (Frame.JobPart) FrameCodec.decode(messages.get(i));
      assertThat(part.index()).isEqualTo(i);
      assertThat(part.count()).isEqualTo(messages.size());
      assertThat(part.jobId()).isEqualTo(jobId);
      joined.append(part.data());
      job = assembly.add(part);
    }
    assertThat(joined.toString()).isEqualTo(frame);
    assertThat(job).contains((Frame.Job) FrameCodec.decode(frame));
  }

  @Test
  void aFrameLargerThanANodeReassembles_isRefusedAsNoNodeCanTakeIt() {
    String frame = frame("x".repeat(JobParts.MAX_JOB_BYTES));

    assertThatThrownBy(() -> RelayDispatcher.messages(jobId, frame))
        .isInstanceOf(NodeUnavailableException.class)
        .hasMessageContaining("reassembles");
  }
}
