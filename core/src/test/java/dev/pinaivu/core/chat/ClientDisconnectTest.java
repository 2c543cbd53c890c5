package dev.pinaivu.core.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.usage.StoredReceipt;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client that goes away before any output: the sink reports it (as the HTTP adapter does, on its
 * own thread), the attempt is cancelled at once, no other node is tried, and nothing is billed: the
 * attempt's receipt bills zero and says that no output reached the client.
 */
class ClientDisconnectTest extends ChatServiceFixture {
  /** Far longer than any wait in these tests: only the departure may end the attempt. */
  private static final Duration PATIENT = Duration.ofSeconds(10);

  private static final long NODE_PRICE = 1_000_000;

  private NodeId slow;

  private void twoNodes_theFirstSilentUntilCancelled() {
    service = serviceWith(3, PATIENT);
    slow = nodes.add(NODE_PRICE, job -> List.of(ScriptedNodes.HANG));
    nodes.add(NODE_PRICE * 2, job -> answer(job, "never", "seen"));
  }

  private void assertNothingWrittenNorBilled() {
    assertThat(sink.chunks).isEmpty();
    assertThat(sink.completion).isNull();
    assertThat(sink.ended).isFalse();
    assertNothingBilled();
  }

  /** At most a zero receipt that says no output reached the client; no money moved. */
  private void assertNothingBilled() {
    for (StoredReceipt stored : receipts.list("acct_1", 0, Long.MAX_VALUE)) {
      assertThat(stored.totalChargedMicros()).isZero();
      assertThat(stored.signedReceipt())
          .contains("\"first_token_at_ms\":null")
          .contains("no output reached the client, so nothing is billed");
    }
    assertThat(ledger.totals().clientDebitsMicros()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {STREAM, PLAIN})
  void clientGoneWhileWaitingForTheFirstToken_endsTheAttemptAtOnce_withoutFailover(String body)
      throws Exception {
    twoNodes_theFirstSilentUntilCancelled();
    Thread.ofVirtual()
        .start(() -> {
          try {
            nodes.hanging.await();
            sink.leave();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });

    long started = System.nanoTime();
    call(body);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(took).isLessThan(PATIENT.dividedBy(5));
    assertThat(nodes.dispatched).containsExactly(slow);
    assertThat(nodes.cancels).containsExactly("client disconnected");
    assertThat(nodes.failures).doesNotContain(slow); // the node did nothing wrong
    assertThat(nodes.closed).isEqualTo(1);
    assertNothingWrittenNorBilled();
    assertThat(receipts.list("acct_1", 0, Long.MAX_VALUE)).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {STREAM, PLAIN})
  void clientGoneBeforeDispatch_sendsNoJob(String body) throws Exception {
    twoNodes_theFirstSilentUntilCancelled();
    sink.goneAlready = true;

    call(body);

    assertThat(nodes.dispatched).isEmpty();
    assertNothingWrittenNorBilled();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void firstOutputWriteFailing_isNotBilled(int chunksWritten) throws Exception {
    // the held role chunk may still be written to a dead socket; the first token's write fails
    nodes.add(NODE_PRICE, job -> answer(job, "a", "b", "c"));
    sink.goneAfterChunks = chunksWritten;

    call(STREAM);

    assertThat(nodes.cancels).containsExactly("client disconnected");
    assertThat(sink.text()).isEmpty();
    assertThat(receipts.list("acct_1", 0, Long.MAX_VALUE)).hasSize(1);
    assertNothingBilled();
  }
}
