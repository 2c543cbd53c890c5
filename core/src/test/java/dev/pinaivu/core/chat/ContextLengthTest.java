package dev.pinaivu.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.protocol.Frame;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A request that cannot fit a model's context is refused or routed past the small nodes. */
class ContextLengthTest extends ChatServiceFixture {
  /** A 250 KB prompt, the size that once streamed for 17 minutes into an 8192-token model. */
  private static String bigPrompt(Integer maxTokens) {
    String limit = maxTokens == null ? "" : ",\"max_tokens\":" + maxTokens;
    return "{\"model\":\"m\",\"stream\":true"
        + limit
        + ",\"messages\":[{\"role\":\"user\",\"content\":\""
        + "word ".repeat(50_000)
        + "\"}]}";
  }

  @Test
  void aPromptOverEveryNodesContext_is400ContextLengthExceeded_andNeverDispatched() {
    NodeId node = nodes.add(1, job -> answer(job, "x"));
    nodes.contextLengths.put(node, 8192);

    assertThatThrownBy(() -> call(bigPrompt(null)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
              assertThat(e.code()).isEqualTo("context_length_exceeded");
              assertThat(e.param()).isEqualTo("messages");
              assertThat(e.getMessage()).startsWith("This model's maximum context length is 8192");
            });
    assertThat(nodes.dispatched).isEmpty();
  }

  @Test
  void maxTokensCountsTowardsTheContext() {
    NodeId node = nodes.add(1, job -> answer(job, "x"));
    nodes.contextLengths.put(node, 100);
    String small =
        "{\"model\":\"m\",\"stream\":true,\"max_tokens\":200,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    assertThatThrownBy(() -> call(small))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("context_length_exceeded"));
  }

  @Test
  void aBigPrompt_isRoutedPastTheSmallContextNodeToTheBigOne() throws Exception {
    NodeId small = nodes.add(1, job -> answer(job, "small"));
    NodeId big = nodes.add(2, job -> answer(job, "big"));
    nodes.contextLengths.put(small, 8192);
    nodes.contextLengths.put(big, 131_072);

    call(bigPrompt(1000));

    assertThat(sink.text()).isEqualTo("big");
    assertThat(nodes.dispatched).containsExactly(big);
  }

  @Test
  void aNodeThatDoesNotSayItsContext_mayServeABigPrompt() throws Exception {
    nodes.add(1, job -> answer(job, "unknown"));

    call(bigPrompt(1000));

    assertThat(sink.text()).isEqualTo("unknown");
  }

  @Test
  void aSmallRequest_isServedByASmallContextNode() throws Exception {
    NodeId node = nodes.add(1, job -> answer(job, "ok"));
    nodes.contextLengths.put(node, 8192);

    call(STREAM);

    assertThat(sink.text()).isEqualTo("ok");
  }

  @Test
  void theModelServersOwnContextRefusal_reachesTheClientAs400ContextLengthExceeded() {
    nodes.add(
        1,
        job ->
            List.of(
                new Frame.JobError(
                    job,
                    0,
                    "context_length_exceeded",
                    "This model's maximum context length is 8192 tokens.",
                    false,
                    400)));
    nodes.add(2, job -> answer(job, "x"));

    assertThatThrownBy(() -> call(STREAM))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
              assertThat(e.code()).isEqualTo("context_length_exceeded");
              assertThat(e.param()).isEqualTo("messages");
            });
    assertThat(nodes.dispatched).hasSize(1); // another node would refuse it too
  }
}
