package dev.pinaivu.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.cli.Admin;
import dev.pinaivu.cli.Books;
import dev.pinaivu.cli.ClientKey;
import dev.pinaivu.cli.HttpResult;
import dev.pinaivu.cli.Network;
import dev.pinaivu.cli.Sse;
import dev.pinaivu.cli.hostile.StallingNode.Stall;
import dev.pinaivu.core.chat.ChatSettings;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.gateway.connections.ClientLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes that take jobs and never serve them (ADR 23): each is cheaper than the honest nodes, so it
 * is ranked first for every request, with a capacity that never fills. Honest users must still get
 * every answer, each within the deadline the stalling node can cost them, and the books must show
 * no bill for anything the stalling node held. The deadlines are scaled down so the test runs in
 * seconds: a reply within 1 s, the first output within 2 s.
 */
class JobDeadlinesIT {
  private static final Duration ACCEPT = Duration.ofSeconds(1);
  private static final Duration FIRST_OUTPUT = Duration.ofSeconds(2);
  private static final Duration MARGIN = Duration.ofMillis(1500);
  private static final int REQUESTS = 12;
  private static final String BODY =
      "{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi there\"}]";

  @TempDir Path dir;
  private Network network;
  private Books books;
  private ClientKey key;

  private void start() throws Exception {
    network =
        new Network(
            dir,
            ChatSettings.DEFAULT
                .withAcceptTimeout(ACCEPT)
                .withFirstOutputTimeout(FIRST_OUTPUT)
                .withKeepAliveInterval(Duration.ofMillis(300)),
            ClientLimits.DEFAULTS);
    books = new Books(network);
    key = new Admin(network).devKey();
  }

  @AfterEach
  void stop() throws Exception {
    if (network != null) {
      network.close();
    }
  }

  /** The stalling node, dirt cheap and vast, then two honest nodes at the usual price. */
  private StallingNode swarmWith(Stall stall) throws Exception {
    start();
    StallingNode staller = network.adopt(StallingNode.connect(network.nodeUrl(), stall, 10_000, 1));
    for (int i = 0; i < 2; i++) {
      network.adopt(HostileNode.builder().connect(network.nodeUrl()));
    }
    network.awaitLive(3);
    return staller;
  }

  @Test
  void silentNode_neverHoldsARequestPastTheAcceptDeadline() throws Exception {
    StallingNode silent = swarmWith(Stall.SILENT);

    List<Long> millis = sendAll(true, true);

    assertThat(silent.jobs()).as("the silent node was ranked first").isNotEmpty();
    assertThat(millis).allSatisfy(ms -> assertThat(ms).isLessThan(bound(ACCEPT)));
    assertThat(silent.cancels()).hasSameSizeAs(silent.jobs()); // each abandoned job is cancelled
    assertNothingBilledTo(silent);
    books.check();
  }

  @Test
  void nodeThatAcceptsAndFallsSilent_isAbandonedAtTheFirstOutputDeadline() throws Exception {
    StallingNode staller = swarmWith(Stall.ACCEPT_THEN_SILENT);

    List<Long> millis = sendAll(true, false);

    assertThat(staller.jobs()).isNotEmpty();
    assertThat(millis).allSatisfy(ms -> assertThat(ms).isLessThan(bound(FIRST_OUTPUT)));
    assertThat(staller.cancels()).hasSameSizeAs(staller.jobs());
    assertNothingBilledTo(staller);
    books.check();
  }

  @Test
  void refusingNode_costsHonestUsersNoDeadline() throws Exception {
    StallingNode refuser = swarmWith(Stall.REFUSE);

    List<Long> millis = sendAll(true, true);

    assertThat(refuser.jobs()).isNotEmpty();
    assertThat(millis).allSatisfy(ms -> assertThat(ms).isLessThan(ACCEPT.toMillis()));
    assertNothingBilledTo(refuser);
    books.check();
  }

  private static long bound(Duration deadline) {
    return deadline.plus(MARGIN).toMillis();
  }

  /**
   * Sends {@value #REQUESTS} requests at once (streamed ones, and non-streamed ones when {@code
   * plain}); asserts each is answered whole; returns how long each took.
   */
  private List<Long> sendAll(boolean streamed, boolean plain) throws Exception {
    List<Future<Long>> calls = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < REQUESTS; i++) {
        boolean stream = streamed && (!plain || i % 2 == 0);
        calls.add(pool.submit(() -> timedCall(stream)));
      }
      List<Long> millis = new ArrayList<>();
      for (Future<Long> call : calls) {
        millis.add(call.get());
      }
      return millis;
    }
  }

  private long timedCall(boolean stream) throws Exception {
    long start = System.nanoTime();
    if (stream) {
      Sse s =
          books.track(
              key, Sse.post(network.baseUrl(), key.secret(), BODY + ",\"stream\":true}", 100));
      assertThat(s.status).as(s.errorBody).isEqualTo(200);
      assertThat(s.endedWithDone()).as(s.events.toString()).isTrue();
      assertThat(s.text()).isEqualTo(HostileNode.TEXT);
    } else {
      HttpResult r = books.track(key, HttpResult.post(network.baseUrl(), key.secret(), BODY + "}"));
      assertThat(r.status).as(r.body).isEqualTo(200);
      JsonNode completion = Json.parse(r.body);
      assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo(HostileNode.TEXT);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  private void assertNothingBilledTo(StallingNode node) throws Exception {
    books.awaitSettled();
    for (JsonNode receipt : books.receipts().values()) {
      assertThat(receipt.at("/receipt/node_id").asText()).isNotEqualTo(node.id().value());
    }
  }
}
