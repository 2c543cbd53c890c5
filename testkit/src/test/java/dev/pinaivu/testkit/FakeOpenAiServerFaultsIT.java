package dev.pinaivu.testkit;

import static dev.pinaivu.testkit.TestHttp.chat;
import static dev.pinaivu.testkit.TestHttp.chatWith;
import static dev.pinaivu.testkit.TestHttp.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Failures and timing set at runtime, as failover and cancellation tests use them. */
class FakeOpenAiServerFaultsIT {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private FakeOpenAiServer server;
  private TestHttp http;

  @BeforeEach
  void start() {
    server = FakeOpenAiServer.builder().start();
    http = new TestHttp(server.baseUrl());
  }

  @AfterEach
  void close() {
    server.close();
  }

  @Test
  void failNext_status500_answersAnOpenAiErrorBeforeAnyOutput_thenRecovers() throws Exception {
    server.failNext(1, Fault.status(500));

    HttpResponse<String> failed = http.postChat(chatWith("hi", "\"stream\":true"));
    HttpResponse<String> next = http.postChat(chat("hi"));

    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(failed.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode error = parse(failed.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("server_error");
    assertThat(error.path("message").asText()).isNotBlank();
    assertThat(error.has("param")).isTrue();
    assertThat(error.has("code")).isTrue();
    assertThat(server.chatRequests().getFirst().awaitOutcome(WAIT))
        .isEqualTo(RequestOutcome.ERROR_STATUS);
    assertThat(next.statusCode()).isEqualTo(200);
  }

  @Test
  void failWhen_rejectsOnlyMatchingRequestsWith400() throws Exception {
    server.failWhen(
        request -> request.json().path("user").asText().equals("blocked"),
        Fault.badRequest("This user is blocked."));

    HttpResponse<String> rejected = http.postChat(chatWith("hi", "\"user\":\"blocked\""));
    HttpResponse<String> accepted = http.postChat(chatWith("hi", "\"user\":\"fine\""));

    assertThat(rejected.statusCode()).isEqualTo(400);
    assertThat(parse(rejected.body()).path("error"))
        .isEqualTo(
            parse(
                "{\"message\":\"This user is blocked.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}"));
    assertThat(accepted.statusCode()).isEqualTo(200);
  }

  @Test
  void dropAfterChunks_endsTheStreamAbruptly_withoutDone() throws Exception {
    server.failWith(Fault.dropAfterChunks(3));

    TestHttp.Sse stream = http.stream(chatWith("one two three four five", "\"stream\":true"));

    assertThat(stream.chunks()).hasSize(3);
    assertThat(stream.done()).isFalse();
    assertThat(stream.error()).as("a truncated chunked body is an I/O error").isNotNull();
    assertThat(server.lastChatRequest().awaitOutcome(WAIT)).isEqualTo(RequestOutcome.DROPPED);
  }

  @Test
  void clientClosingTheStream_isRecordedAsAClientDisconnect() throws Exception {
    server.setTokenDelay(Duration.ofMillis(20));
    server.setReplyTokens(500);

    HttpResponse<InputStream> response = http.openChat(chatWith("cancel me", "\"stream\":true"));
    try (InputStream body = response.body()) {
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
      assertThat(reader.readLine()).startsWith("data: ");
    }

    assertThat(server.lastChatRequest().awaitOutcome(WAIT))
        .isEqualTo(RequestOutcome.CLIENT_DISCONNECTED);
    assertThat(server.clientDisconnectCount()).isEqualTo(1);
    assertThat(server.activeChatRequests()).isZero();
  }

  @Test
  void hang_holdsTheRequestWithoutAnswering_untilTheServerCloses() throws Exception {
    server.failWith(Fault.hang());

    assertThatThrownBy(
            () -> http.send(http.chatRequest(chat("hi")).timeout(Duration.ofMillis(300)).build()))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(server.activeChatRequests()).isEqualTo(1);

    server.close();
    assertThat(server.lastChatRequest().awaitOutcome(WAIT)).isEqualTo(RequestOutcome.SERVER_CLOSED);
  }

  @Test
  void timingKnobs_changedBetweenRequests_delayTheNextAnswer() throws Exception {
    server.setTimeToFirstToken(Duration.ofMillis(150));
    server.setTokenDelay(Duration.ofMillis(30));

    long started = System.nanoTime();
    TestHttp.Sse stream = http.stream(chatWith("a b c d", "\"stream\":true"));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

    // 6 tokens: the first after 150 ms, then 5 more 30 ms apart
    assertThat(stream.done()).isTrue();
    assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }
}
