package dev.pinaivu.core.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.protocol.Frame;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the relay does with a node's reply to a job, and with output it cannot pass on (ADR 23). The
 * fixture's accept and first-output deadlines are 50 ms.
 */
class AttemptDeadlinesTest extends ChatServiceFixture {
  @Test
  void refusal_failsOverToTheNextNode_withoutWaitingForADeadline() throws Exception {
    nodes.add(1, job -> List.of(new Frame.JobRefuse(job, "trusts no coordinator")));
    nodes.add(2, job -> answer(job, "fine"));

    call(STREAM);

    assertThat(sink.text()).isEqualTo("fine");
    assertThat(nodes.cancels).doesNotContain("deadline missed");
    assertThat(nodes.failures).hasSize(1);
  }

  @Test
  void acceptedJobWithNoOutput_isCancelledAtTheDeadline_andTheNextNodeServesIt() throws Exception {
    nodes.add(1, job -> Arrays.asList(new Frame.JobAccept(job), (Frame.JobFrame) null));
    nodes.add(2, job -> answer(job, "fine"));

    call(STREAM);

    assertThat(sink.text()).isEqualTo("fine");
    assertThat(sink.ended).isTrue();
    assertThat(nodes.cancels).containsExactly("deadline missed");
  }

  @Test
  void outputThatIsNotValidUnicode_failsOverBeforeTheClientSeesIt() throws Exception {
    nodes.add(1, job -> List.of(new Frame.Chunk(job, 0, delta("content", "bad \ud800 text"))));
    nodes.add(2, job -> answer(job, "fine"));

    call(STREAM);

    assertThat(sink.text()).isEqualTo("fine");
    assertThat(nodes.cancels).contains("output is not valid Unicode");
  }
}
