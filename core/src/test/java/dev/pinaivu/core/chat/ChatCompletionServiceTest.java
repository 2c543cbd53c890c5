package dev.pinaivu.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.auth.ApiKey;
import dev.pinaivu.core.auth.ApiKeyRecord;
import dev.pinaivu.core.auth.Scope;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.protocol.Frame;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChatCompletionServiceTest extends ChatServiceFixture {
  @Test
  void stream_relaysEveryChunkWithTheNetworksIdentity() throws Exception {
    nodes.add(1, job -> answer(job, "Hello", " world"));

    call(STREAM);

    assertThat(sink.text()).isEqualTo("Hello world");
    assertThat(sink.ended).isTrue();
    assertThat(sink.chunks).hasSize(4);
    for (ObjectNode chunk : sink.chunks) {
      assertThat(chunk.get("request_id").asText()).isEqualTo(sink.requestId.value());
      assertThat(chunk.get("id").asText()).isEqualTo(sink.requestId.completionId());
      assertThat(chunk.get("model").asText()).isEqualTo("m");
      assertThat(chunk.get("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(chunk.has("usage")).isFalse();
    }
    assertThat(nodes.closed).isEqualTo(1);
  }

  @Test
  void stream_withIncludeUsage_endsWithAUsageOnlyChunk() throws Exception {
    nodes.add(1, job -> answer(job, "a", "b", "c"));

    call(STREAM_USAGE);

    ObjectNode last = sink.chunks.get(sink.chunks.size() - 1);
    assertThat(last.get("choices")).isEmpty();
    assertThat(last.get("usage").get("completion_tokens").asInt()).isEqualTo(3);
    assertThat(last.get("usage").get("total_tokens").asInt()).isEqualTo(8);
    assertThat(last.get("request_id").asText()).isEqualTo(sink.requestId.value());
  }

  @Test
  void stream_passesTheWholeRequestToTheNodeUnchanged() throws Exception {
    nodes.add(1, job -> answer(job, "x"));
    String body =
        "{\"model\":\"m\",\"stream\":true,\"seed\":7,\"logprobs\":true,\"vendor\":{\"k\":[1,2]},"
            + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    call(body);

    assertThat(nodes.jobs.get(0).request()).isEqualTo(body);
    assertThat(nodes.jobs.get(0).stream()).isTrue();
  }

  @Test
  void failover_whenFirstNodeFailsBeforeAnyToken_isSilent() throws Exception {
    NodeId bad =
        nodes.add(
            1,
            job ->
                List.of(
                    new Frame.Chunk(job, 0, delta("role", "assistant")),
                    new Frame.JobError(job, 1, "upstream_error", "500", true, 500)));
    NodeId good = nodes.add(1_000_000, job -> answer(job, "ok"));

    call(STREAM);

    assertThat(nodes.dispatched).containsExactly(bad, good);
    assertThat(sink.text()).isEqualTo("ok");
    assertThat(sink.chunks.stream().filter(c -> c.toString().contains("assistant")).count())
        .isEqualTo(1);
    assertThat(sink.ended).isTrue();
    assertThat(nodes.failures).containsExactly(bad);
    assertThat(nodes.successes).containsExactly(good);
  }

  @Test
  void failover_whenNodeIsLostOrSilentOrUnavailable_triesTheNext() throws Exception {
    nodes.add(1, job -> List.of(new Frame.JobError(job, -1, "node_lost", "gone", true, null)));
    nodes.add(2, job -> java.util.Arrays.asList((Frame.JobFrame) null));
    nodes.add(3, job -> null);
    nodes.add(4, job -> answer(job, "fine"));

    service = serviceWith(4);
    call(STREAM);

    assertThat(sink.text()).isEqualTo("fine");
    assertThat(nodes.cancels).contains("deadline missed");
  }

  @Test
  void midStreamFailure_endsWithAnErrorEventAndNoDone() throws Exception {
    nodes.add(
        1,
        job ->
            List.of(
                new Frame.Chunk(job, 0, delta("role", "assistant")),
                new Frame.Chunk(job, 1, delta("content", "partial")),
                new Frame.JobError(job, -1, "node_lost", "node disconnected", true, null)));
    nodes.add(2, job -> answer(job, "never"));

    call(STREAM);

    assertThat(sink.text()).isEqualTo("partial");
    assertThat(sink.ended).isFalse();
    assertThat(sink.failure).isNotNull();
    assertThat(sink.failure.kind()).isEqualTo(ErrorKind.UPSTREAM);
    assertThat(nodes.dispatched).hasSize(1);
  }

  @Test
  void midStreamSilence_endsWithAnErrorEventAndCancelsTheJob() throws Exception {
    nodes.add(
        1,
        job ->
            java.util.Arrays.asList(
                new Frame.Chunk(job, 0, delta("content", "partial")), (Frame.JobFrame) null));

    call(STREAM);

    assertThat(sink.failure).isNotNull();
    assertThat(sink.ended).isFalse();
    assertThat(nodes.cancels).containsExactly("deadline missed");
  }

  @Test
  void duplicateFrames_areRelayedOnce() throws Exception {
    nodes.add(
        1,
        job -> {
          List<Frame.JobFrame> frames = new ArrayList<>(answer(job, "a", "b"));
          frames.add(2, frames.get(1));
          frames.add(4, frames.get(2));
          return frames;
        });

    call(STREAM);

    assertThat(sink.text()).isEqualTo("ab");
    assertThat(sink.ended).isTrue();
  }

  @Test
  void sequenceGap_beforeOutput_failsOverAndAfterOutput_breaksTheStream() throws Exception {
    nodes.add(
        1,
        job ->
            List.of(
                new Frame.Chunk(job, 0, delta("content", "x")),
                new Frame.Chunk(job, 5, delta("content", "y"))));

    call(STREAM);

    assertThat(sink.text()).isEqualTo("x");
    assertThat(sink.failure.getMessage()).contains("frames lost");
    assertThat(nodes.cancels).containsExactly("sequence gap");
  }

  @Test
  void clientDisconnect_cancelsTheJobAtTheNode() throws Exception {
    nodes.add(1, job -> answer(job, "a", "b", "c", "d"));
    sink.goneAfterChunks = 2;

    call(STREAM);

    assertThat(nodes.cancels).containsExactly("client disconnected");
    assertThat(sink.ended).isFalse();
    assertThat(nodes.dispatched).hasSize(1);
  }

  @Test
  void nonStream_returnsTheNodesResultWithTheNetworksIdentity() throws Exception {
    ObjectNode result =
        Json.object().put("id", "x").put("object", "chat.completion").put("model", "upstream");
    result
        .putArray("choices")
        .addObject()
        .put("index", 0)
        .putObject("message")
        .put("role", "assistant")
        .put("content", "hi");
    result.set("usage", Usage.of(1, 1).toJson());
    NodeId node = nodes.add(1, job -> List.of(new Frame.Result(job, 0, result.deepCopy())));

    call(PLAIN);

    assertThat(sink.completion.get("id").asText()).isEqualTo(sink.requestId.completionId());
    assertThat(sink.completion.get("request_id").asText()).isEqualTo(sink.requestId.value());
    assertThat(sink.completion.get("model").asText()).isEqualTo("m");
    assertThat(sink.completion.get("choices")).isEqualTo(result.get("choices"));
    ObjectNode usage = sink.completion.get("usage").deepCopy();
    // what the client pays, fee included: 1 µUSD for the node (rounded up), 1 for the fee
    assertThat(usage.remove("cost").decimalValue()).isEqualByComparingTo("0.000002");
    assertThat(usage).isEqualTo(result.get("usage"));
    assertThat(sink.completion.get("node_id").asText()).isEqualTo(node.value());
    assertThat(sink.completion.fieldNames().next()).isEqualTo("id");
  }

  @Test
  void upstreamRejection_isA400WithoutFailover() {
    nodes.add(
        1,
        job ->
            List.of(
                new Frame.JobError(
                    job, 0, "upstream_rejected", "tools not supported", false, 400)));
    nodes.add(2, job -> answer(job, "x"));

    assertThatThrownBy(() -> call(STREAM))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
              assertThat(e.getMessage()).contains("tools not supported");
            });
    assertThat(nodes.dispatched).hasSize(1);
  }

  @Test
  void noNodeForModel_is503() {
    assertThatThrownBy(() -> call(PLAIN))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.NO_CAPACITY);
              assertThat(e.code()).isEqualTo("no_node_available");
              assertThat(e.headers()).containsEntry("retry-after", "5");
            });
  }

  @Test
  void aModelNoNodeOfferedLately_is404ModelNotFound_andNeverDispatched() {
    nodes.unknownModels.add("m");

    assertThatThrownBy(() -> call(PLAIN))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.MODEL_NOT_FOUND);
              assertThat(e.code()).isEqualTo("model_not_found");
              assertThat(e.param()).isEqualTo("model");
            });
    assertThat(nodes.dispatched).isEmpty();
  }

  @Test
  void everyNodeFailing_is503AfterMaxAttempts() {
    for (int i = 0; i < 5; i++) {
      nodes.add(i, job -> List.of(new Frame.JobError(job, 0, "upstream_error", "down", true, 503)));
    }

    assertThatThrownBy(() -> call(PLAIN))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("nodes_failed"));
    assertThat(nodes.dispatched).hasSize(3);
  }

  @Test
  void everyNodeFull_is503CapacityExceededWithRetryAfter_withoutAskingANode() {
    nodes.full.add(nodes.add(1, job -> answer(job, "never")));
    nodes.full.add(nodes.add(2, job -> answer(job, "never")));

    assertThatThrownBy(() -> call(PLAIN))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.NO_CAPACITY);
              assertThat(e.code()).isEqualTo("capacity_exceeded");
              assertThat(e.param()).isEqualTo("model");
              assertThat(e.headers()).containsEntry("retry-after", "1");
            });
    assertThat(nodes.dispatched).isEmpty();
    assertThat(holds.heldMicros("acct_1")).isZero();
  }

  @Test
  void fullNodes_areSkipped_andAFreeOneServes() throws Exception {
    nodes.full.add(nodes.add(1, job -> answer(job, "never")));
    NodeId free = nodes.add(1_000, job -> answer(job, "served"));

    call(STREAM);

    assertThat(nodes.dispatched).containsExactly(free);
    assertThat(sink.text()).isEqualTo("served");
  }

  @Test
  void everyNodeRefusingTheJobAsFull_is503CapacityExceededWithRetryAfter() {
    // each looked free when routed and was full when dispatched: other requests took the slots
    nodes.add(1, job -> null);
    nodes.add(2, job -> null);

    assertThatThrownBy(() -> call(PLAIN))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo("capacity_exceeded");
              assertThat(e.headers()).containsEntry("retry-after", "1");
            });
    assertThat(nodes.dispatched).hasSize(2);
  }

  @Test
  void badKey_isRefusedBeforeTheBodyIsRead() {
    auth = "Bearer sk-pnv-nope";

    assertThatThrownBy(() -> call("not json"))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION));
    assertThat(sink.requestId).isNotNull();
  }

  // --- admission (keys and limits)

  private void useKey(Set<Scope> scopes, Set<String> models, Integer rpm, Integer tpm) {
    ApiKey key = ApiKey.generate();
    keys.insert(
        new ApiKeyRecord(
            "key_2",
            "t",
            "acct_1",
            key.hash(),
            key.hint(),
            1,
            null,
            scopes,
            models,
            rpm,
            tpm,
            null));
    auth = "Bearer " + key.reveal();
  }

  private static final String PLAIN_MAX_100 =
      "{\"model\":\"m\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private static ErrorKind refusal(ThrowingCall call) {
    try {
      call.run();
    } catch (ApiException e) {
      return e.kind();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    return null;
  }

  interface ThrowingCall {
    void run() throws InterruptedException;
  }

  @Test
  void keyWithoutChatScope_is403BeforeAnyNodeIsAsked() {
    nodes.add(1, job -> answer(job, "x"));
    useKey(EnumSet.of(Scope.MODELS), Set.of(), null, null);

    assertThat(refusal(() -> call(PLAIN))).isEqualTo(ErrorKind.PERMISSION);
    assertThat(nodes.dispatched).isEmpty();
  }

  @Test
  void modelOutsideTheKeysList_is403EvenWhenNoNodeServesIt() {
    useKey(Scope.all(), Set.of("other"), null, null);

    assertThat(refusal(() -> call(PLAIN))).isEqualTo(ErrorKind.PERMISSION);
  }

  @Test
  void accountWithoutCredit_is429InsufficientQuotaBeforeRouting() {
    ledger.settle(
        new dev.pinaivu.core.ledger.Settlement(
            dev.pinaivu.core.id.RequestId.next(),
            dev.pinaivu.core.ledger.AccountId.client("acct_1"),
            dev.pinaivu.core.ledger.AccountId.node(nodes.add(1, job -> answer(job, "x"))),
            1_000_000,
            1_000_000,
            0));

    assertThat(refusal(() -> call(PLAIN))).isEqualTo(ErrorKind.INSUFFICIENT_QUOTA);
    assertThat(nodes.dispatched).isEmpty();
  }

  @Test
  void rateLimitedKey_getsItsStandingOnSuccessAnd429WhenTheMinuteIsUsed() throws Exception {
    nodes.add(1, job -> answer(job, "x"));
    useKey(Scope.all(), Set.of(), 1, null);

    call(STREAM);

    assertThat(sink.limits.requestLimit()).isEqualTo(1);
    assertThat(sink.limits.remainingRequests()).isZero();
    assertThat(refusal(() -> call(STREAM))).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(nodes.dispatched).hasSize(1);
  }

  @Test
  void delivered_settlesTheReservationToTheNodesUsage() throws Exception {
    nodes.add(1, job -> answer(job, "a", "b", "c")); // usage 5 + 3
    useKey(Scope.all(), Set.of(), null, 10_000);

    call(PLAIN_MAX_100.replace("\"max_tokens\"", "\"stream\":true,\"max_tokens\""));

    assertThat(limiter.tokensInWindow("key_2")).isEqualTo(8);
  }

  @Test
  void nonStreamResult_settlesToTheUsageInTheResult() throws Exception {
    ObjectNode result = Json.object().put("object", "chat.completion");
    ObjectNode choice = result.putArray("choices").addObject().put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", "four words of text");
    choice.put("finish_reason", "stop");
    result.set("usage", Usage.of(7, 4).toJson());
    nodes.add(1, job -> List.of(new Frame.Result(job, 0, result.deepCopy())));
    useKey(Scope.all(), Set.of(), null, 10_000);

    call(PLAIN_MAX_100);

    assertThat(limiter.tokensInWindow("key_2")).isEqualTo(11);
  }

  @Test
  void failureBeforeOutput_releasesTheReservation() {
    useKey(Scope.all(), Set.of(), null, 10_000);

    assertThat(refusal(() -> call(PLAIN_MAX_100))).isEqualTo(ErrorKind.NO_CAPACITY);
    nodes.add(1, job -> List.of(new Frame.JobError(job, 0, "upstream_error", "down", true, 503)));
    assertThat(refusal(() -> call(PLAIN_MAX_100))).isEqualTo(ErrorKind.NO_CAPACITY);

    assertThat(limiter.tokensInWindow("key_2")).isZero();
  }

  @Test
  void brokenStream_keepsTheWholeReservationBecauseTheUseIsUnknown() throws Exception {
    nodes.add(
        1,
        job ->
            List.of(
                new Frame.Chunk(job, 0, delta("content", "partial")),
                new Frame.JobError(job, -1, "node_lost", "gone", true, null)));
    useKey(Scope.all(), Set.of(), null, 10_000);
    String stream = PLAIN_MAX_100.replace("\"max_tokens\"", "\"stream\":true,\"max_tokens\"");

    call(stream);

    assertThat(sink.failure).isNotNull();
    assertThat(limiter.tokensInWindow("key_2")).isGreaterThan(100);
  }

  @Test
  void unlimitedKey_isAdmittedWithoutRateLimitStanding() throws Exception {
    nodes.add(1, job -> answer(job, "x"));

    call(STREAM);

    assertThat(sink.admitted).isTrue();
    assertThat(sink.limits).isNull();
  }
}
