package dev.pinaivu.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.cli.HttpResult;
import dev.pinaivu.cli.ServerlessBooks;
import dev.pinaivu.cli.ServerlessDeployment;
import dev.pinaivu.cli.Sse;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.ledger.LedgerTotals;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.pricing.Charge;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.protocol.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Frames no honest node sends, through the serverless deployment's {@code $default} ({@link
 * ServerlessDeployment}): a proof whose signature does not verify, the output and proof of a job
 * the node was never given, of another node's job, and of its own job after it was settled, a flood
 * of such messages, and twenty copies of every frame of its jobs. None moves money: the client
 * pays, and the node earns, what the node's own proved jobs delivered and nothing else; the frames
 * of jobs not routed to the node on its connection reach no client. Every test ends with the books
 * check ({@link ServerlessBooks}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerlessForgedFramesIT {
  private static final long MILLION = 1_000_000;
  private static final String BODY =
      "{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi there\"}]}";
  private static final String STREAM =
      "{\"model\":\"llama\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi there\"}]}";
  private static final Usage GREEDY = Usage.of(MILLION, MILLION);
  private static final FeePolicy FEES = new FeePolicy(ServerlessDeployment.FEE_BPS);

  private ServerlessAttack attack;
  private ServerlessBooks books;

  @BeforeAll
  void start() throws Exception {
    attack = new ServerlessAttack();
    books = attack.books;
  }

  @AfterEach
  void leave() throws Exception {
    attack.leave();
  }

  @AfterAll
  void stop() throws Exception {
    attack.close();
  }

  private LedgerTotals totals() {
    return attack.deployment.ledger().totals();
  }

  @Test
  void aProofWithABadSignature_settlesNothing_whetherStreamedOrNot() throws Exception {
    HostileNode forger = attack.join(HostileNode.builder().breakProofSignatures());
    LedgerTotals before = totals();
    long balance = books.clientBalance();

    HttpResult whole = attack.post(BODY);
    Sse streamed = attack.stream(STREAM);
    books.unproved(whole.requestId);
    books.unproved(streamed.headerRequestId);

    assertThat(forger.jobs()).as("the node was routed to").hasSize(2);
    SoftAssertions softly = new SoftAssertions();
    softly.check(books::check);
    softly.assertThat(totals()).as("the ledger's totals").isEqualTo(before);
    softly.assertThat(books.clientBalance()).as("the client's balance").isEqualTo(balance);
    softly.assertThat(books.credited(forger.id())).as("what the forger earned").isZero();
    softly.assertAll();
  }

  @Test
  void theAnswerAndProofOfAJobNeverGiven_areDropped_andMoveNoMoney() throws Exception {
    HostileNode node = attack.join(HostileNode.builder());
    LedgerTotals before = totals();
    long balance = books.clientBalance();
    String invented = RequestId.next().value();

    node.answerUnasked(invented, "llama", "pay me", GREEDY);
    // one connection's messages are handled in order: once this answer is back, so was the lie
    HttpResult honest = attack.post(BODY);

    assertThat(honest.status).as(honest.body).isEqualTo(200);
    JsonNode receipt = books.receipt(honest.requestId).get("receipt");
    SoftAssertions softly = new SoftAssertions();
    softly.check(books::check);
    softly
        .assertThat(attack.deployment.receipt(invented))
        .as("a receipt of the invented job")
        .isEmpty();
    softly
        .assertThat(attack.deployment.ledger().settlement(RequestId.parse(invented)))
        .as("a settlement of the invented job")
        .isEmpty();
    long charged = receipt.at("/charge/total_charged").asLong();
    softly
        .assertThat(totals().clientDebitsMicros() - before.clientDebitsMicros())
        .as("all clients were debited the honest answer only")
        .isEqualTo(charged);
    softly.assertThat(balance - books.clientBalance()).isEqualTo(charged);
    softly
        .assertThat(books.credited(node.id()))
        .isEqualTo(receipt.at("/charge/node_amount").asLong());
    softly.assertAll();
  }

  @Test
  void anotherNodesJob_getsNoneOfTheIntrudersFrames_andItsNodeIsPaidAlone() throws Exception {
    HostileNode worker =
        attack.join(
            HostileNode.builder()
                .firstTokenDelay(Duration.ofMillis(300))
                .chunkDelay(Duration.ofMillis(100)));
    // it serves another model, so the job is the worker's; it learns the job's id all the same
    HostileNode intruder = attack.join(HostileNode.builder().model("other"));
    long balance = books.clientBalance();

    CompletableFuture<Sse> call = ServerlessHostileNodeIT.async(() -> attack.stream(STREAM));
    ServerlessHostileNodeIT.awaitJob(worker);
    String jobId = worker.jobs().getFirst().jobId();
    intruder.answerUnasked(jobId, "llama", "INJECTED ", GREEDY);
    intruder.inject(new Frame.JobError(jobId, 1, "upstream_error", "stop here", false, null));
    Sse streamed = call.get(30, TimeUnit.SECONDS);

    assertThat(streamed.endedWithDone()).as(streamed.events.toString()).isTrue();
    SoftAssertions softly = new SoftAssertions();
    softly
        .assertThat(streamed.text())
        .as("what the client got: the worker's words only")
        .isEqualTo(HostileNode.TEXT);
    JsonNode receipt = books.receipt(jobId).get("receipt");
    softly.assertThat(receipt.get("node_id").asText()).isEqualTo(worker.id().value());
    softly.assertThat(Usage.from(receipt.get("billed_usage"))).isEqualTo(Usage.of(2, 5));
    softly.check(books::check);
    softly
        .assertThat(balance - books.clientBalance())
        .isEqualTo(receipt.at("/charge/total_charged").asLong());
    softly
        .assertThat(books.credited(worker.id()))
        .isEqualTo(receipt.at("/charge/node_amount").asLong());
    softly.assertThat(books.credited(intruder.id())).as("what the intruder earned").isZero();
    softly.assertAll();
  }

  @Test
  void aFloodOfLiesAboutJobsDoneAndNeverGiven_createsNoMoney() throws Exception {
    HostileNode node = attack.join(HostileNode.builder());
    HttpResult first = attack.post(BODY);
    assertThat(first.status).as(first.body).isEqualTo(200);
    JsonNode firstReceipt = books.receipt(first.requestId).get("receipt");
    books.check();
    LedgerTotals settled = totals();
    int messagesBefore = attack.deployment.messagesFrom(node.id());

    List<String> invented = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String id = RequestId.next().value();
      invented.add(id);
      node.answerUnasked(id, "llama", "pay me ", GREEDY); // three messages
      node.answerUnasked(first.requestId, "llama", "and again ", GREEDY); // its settled job
      node.inject(batch(id, first.requestId)); // one message of many frames
    }
    // a node's messages are handled one after another: its answer waits behind its own flood, so
    // the next job is sent once the last of the flood is being handled (within the 5 s to reply)
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (attack.deployment.messagesFrom(node.id()) - messagesBefore < 40 * 7) {
      assertThat(System.nanoTime()).as("the flood's $default invocations").isLessThan(deadline);
      Thread.sleep(50);
    }
    HttpResult second = attack.post(BODY);

    assertThat(second.status).as(second.body).isEqualTo(200);
    JsonNode secondReceipt = books.receipt(second.requestId).get("receipt");
    SoftAssertions softly = new SoftAssertions();
    softly.check(books::check);
    softly
        .assertThat(books.receipt(first.requestId).get("receipt"))
        .as("the settled job's receipt")
        .isEqualTo(firstReceipt);
    softly
        .assertThat(totals().clientDebitsMicros() - settled.clientDebitsMicros())
        .as("what the flood and the next answer cost all clients: the answer")
        .isEqualTo(secondReceipt.at("/charge/total_charged").asLong());
    softly
        .assertThat(books.credited(node.id()))
        .as("what the node earned: its two answers")
        .isEqualTo(
            firstReceipt.at("/charge/node_amount").asLong()
                + secondReceipt.at("/charge/node_amount").asLong());
    softly.assertThat(Usage.from(secondReceipt.get("billed_usage"))).isEqualTo(Usage.of(2, 5));
    for (String id : invented) {
      softly.assertThat(attack.deployment.receipt(id)).as("a receipt of invented %s", id).isEmpty();
    }
    softly.assertAll();
  }

  @Test
  void aChunkProvedButNeverSent_endsTheStream_andNoMoreThanTheClientGotIsBilled() throws Exception {
    HostileNode node = attack.join(HostileNode.builder().withholdChunk(1));
    long balance = books.clientBalance();

    Sse streamed = attack.stream(STREAM);

    SoftAssertions softly = new SoftAssertions();
    String received = streamed.text();
    softly.assertThat(received).as("the words before the gap").isEqualTo("five ");
    softly.assertThat(streamed.endedWithDone()).as("a stream with a gap ends in error").isFalse();
    softly.check(books::check);
    JsonNode envelope =
        attack.deployment.receipt(streamed.headerRequestId).isPresent()
            ? books.receipt(streamed.headerRequestId)
            : null;
    long charged = envelope == null ? 0 : envelope.at("/receipt/charge/total_charged").asLong();
    if (envelope != null) {
      long billed = envelope.at("/receipt/billed_usage/completion_tokens").asLong();
      softly
          .assertThat(billed)
          .withFailMessage(
              "client charged %d completion tokens, but it received \"%s\" (limit %d)",
              billed, received, Bounds.completion(received))
          .isLessThanOrEqualTo(Bounds.completion(received));
    }
    softly.assertThat(balance - books.clientBalance()).isEqualTo(charged);
    softly
        .assertThat(books.credited(node.id()))
        .isEqualTo(envelope == null ? 0 : envelope.at("/receipt/charge/node_amount").asLong());
    softly.assertAll();
  }

  @Test
  void everyFrameOfItsJobsSentTwentyTimes_isBilledOnceForWhatItDelivered() throws Exception {
    HostileNode node = attack.join(HostileNode.builder().repeatJobFrames(20));
    long balance = books.clientBalance();

    HttpResult whole = attack.post(BODY);
    Sse streamed = attack.stream(STREAM);

    assertThat(whole.status).as(whole.body).isEqualTo(200);
    assertThat(streamed.endedWithDone()).as(streamed.events.toString()).isTrue();
    SoftAssertions softly = new SoftAssertions();
    softly
        .assertThat(Json.parse(whole.body).at("/choices/0/message/content").asText())
        .isEqualTo(HostileNode.TEXT);
    softly.assertThat(streamed.text()).as("each word once").isEqualTo(HostileNode.TEXT);
    Charge once = Charge.of(Usage.of(2, 5), new TokenPrice(1_000_000, 1_000_000), FEES);
    for (String id : new String[] {whole.requestId, streamed.headerRequestId}) {
      JsonNode receipt = books.receipt(id).get("receipt");
      softly.assertThat(receipt.get("outcome").asText()).isEqualTo("completed");
      softly.assertThat(Usage.from(receipt.get("billed_usage"))).isEqualTo(Usage.of(2, 5));
      softly
          .assertThat(receipt.at("/charge/total_charged").asLong())
          .isEqualTo(once.totalCharged());
    }
    softly.check(books::check);
    softly.assertThat(balance - books.clientBalance()).isEqualTo(2 * once.totalCharged());
    softly.assertThat(books.credited(node.id())).isEqualTo(2 * once.nodeAmount());
    softly.assertAll();
  }

  /**
   * Twenty frames in one message: output, ends and heartbeats of a job never given and a done one.
   */
  private static Frame[] batch(String invented, String done) {
    Frame[] frames = new Frame[20];
    for (int i = 0; i < frames.length; i++) {
      String job = i % 2 == 0 ? invented : done;
      frames[i] =
          switch (i % 4) {
            case 0, 1 -> new Frame.Done(job, 5 + i, GREEDY, false);
            case 2 -> new Frame.JobError(job, 5 + i, "upstream_error", "flood", true, null);
            default -> new Frame.Heartbeat(0, System.currentTimeMillis());
          };
    }
    return frames;
  }
}
