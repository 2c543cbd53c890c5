package dev.pinaivu.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorJob;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.coordinator.CoordinatorUnavailableException;
import dev.pinaivu.core.coordinator.ForwardingCoordinator;
import dev.pinaivu.core.coordinator.ParentAuth;
import dev.pinaivu.core.coordinator.ParentSecret;
import dev.pinaivu.core.coordinator.RequestCodec;
import dev.pinaivu.core.coordinator.ResponseCodec;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.Verification;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server refuses every client that does not prove it knows the parent secret, before anything
 * reaches the coordinator, and still serves the parent (docs/coordinator-protocol.md §3.0, §7).
 */
class ParentAuthIT {
  private static final String IDENTITY = "{\"id\":1,\"op\":\"identity\"}";

  private final CoordinatorService service =
      CoordinatorService.dev(CoordinatorOptions.withFees(new FeePolicy(500)));
  private final AtomicInteger reached = new AtomicInteger();
  private final ParentSecret secret = ParentSecret.generate();
  private final CoordinatorServer server = start(Duration.ofSeconds(10));

  private CoordinatorServer start(Duration handshakeTimeout) {
    try {
      return CoordinatorServer.start(
          new Counting(service),
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
          secret,
          handshakeTimeout);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private FrameClient connect() throws IOException {
    return new FrameClient(server.address());
  }

  private static void assertUnauthenticatedAndClosed(FrameClient client, JsonNode response, long id)
      throws IOException {
    assertThat(response.get("id").asLong()).isEqualTo(id);
    assertThat(response.get("ok").asBoolean()).isFalse();
    assertThat(response.get("code").asText()).as(response.toString()).isEqualTo("unauthenticated");
    assertThat(client.closedByServer()).isTrue();
  }

  /** Every op a parent may send, as an attacker would send it without the handshake. */
  private List<String> everyOp() {
    CoordinatorJob job = new CoordinatorJob();
    SignedDispatchToken token = service.dispatch(job.dispatchRequest()); // signed in process
    return List.of(
        IDENTITY,
        Json.text(RequestCodec.dispatch(2, job.dispatchRequest())),
        Json.text(RequestCodec.settle(3, job.settleRequest(token))),
        Json.text(RequestCodec.openLog(4, Coordinator.LogState.EMPTY)),
        Json.text(RequestCodec.logCheckpoint(5, 0, 0)),
        Json.text(RequestCodec.relog(6, List.of())),
        "{\"id\":7,\"op\":\"export_key\"}");
  }

  @Test
  void aClientThatSkipsTheHandshake_isRefusedForEveryOp_andItsConnectionClosed() throws Exception {
    for (String request : everyOp()) {
      try (FrameClient attacker = connect()) {
        JsonNode response = attacker.call(request);

        assertUnauthenticatedAndClosed(attacker, response, Json.parse(request).get("id").asLong());
      }
    }
    assertThat(reached).as("no request reached the coordinator").hasValue(0);
    try (FrameClient parent = connect().authenticate(secret)) {
      JsonNode opened = parent.call(Json.text(RequestCodec.openLog(8, Coordinator.LogState.EMPTY)));
      assertThat(ResponseCodec.logOpened(opened)).as("the log was left for the parent").isZero();
    }
  }

  @Test
  void aClientThatBeginsButDoesNotFinish_isRefusedForItsNextOp() throws Exception {
    try (FrameClient client = connect()) {
      client.call(Json.text(RequestCodec.authBegin(1, ParentAuth.nonce())));

      assertUnauthenticatedAndClosed(client, client.call(IDENTITY), 1);
    }
    assertThat(reached).hasValue(0);
  }

  @Test
  void aWrongSecret_isRefused_andTheServersProofGivesItAway() throws Exception {
    ParentSecret wrong = ParentSecret.generate();
    try (FrameClient impostor = connect()) {
      byte[] clientNonce = ParentAuth.nonce();
      ResponseCodec.AuthChallenge challenge =
          ResponseCodec.authBegun(impostor.call(Json.text(RequestCodec.authBegin(1, clientNonce))));
      assertThat(
              ParentAuth.serverProves(
                  wrong, clientNonce, challenge.serverNonce(), challenge.serverProof()))
          .as("a client with another secret sees the server is not its coordinator")
          .isFalse();
      byte[] proof = ParentAuth.clientProof(wrong, challenge.serverNonce(), clientNonce);

      JsonNode refused = impostor.call(Json.text(RequestCodec.authFinish(2, proof)));

      assertUnauthenticatedAndClosed(impostor, refused, 2);
      assertThat(refused.get("error").asText()).contains("does not verify");
    }
    assertThat(reached).hasValue(0);
  }

  @Test
  void aReplayedHonestHandshake_failsOnANewConnection_becauseTheServerNonceIsFresh()
      throws Exception {
    byte[] clientNonce = ParentAuth.nonce();
    String begin = Json.text(RequestCodec.authBegin(1, clientNonce));
    String finish;
    try (FrameClient parent = connect()) {
      ResponseCodec.AuthChallenge challenge = ResponseCodec.authBegun(parent.call(begin));
      finish =
          Json.text(
              RequestCodec.authFinish(
                  2, ParentAuth.clientProof(secret, challenge.serverNonce(), clientNonce)));
      assertThat(parent.call(finish).get("ok").asBoolean()).isTrue();
    }

    try (FrameClient replaying = connect()) { // the same bytes the parent sent
      replaying.call(begin);

      assertUnauthenticatedAndClosed(replaying, replaying.call(finish), 2);
    }
  }

  @Test
  void aSecondAuthBegin_isRefused_beforeOrAfterTheHandshake() throws Exception {
    try (FrameClient client = connect()) {
      client.call(Json.text(RequestCodec.authBegin(1, ParentAuth.nonce())));

      assertUnauthenticatedAndClosed(
          client, client.call(Json.text(RequestCodec.authBegin(2, ParentAuth.nonce()))), 2);
    }
    try (FrameClient parent = connect().authenticate(secret)) {
      assertUnauthenticatedAndClosed(
          parent, parent.call(Json.text(RequestCodec.authBegin(3, ParentAuth.nonce()))), 3);
    }
  }

  @Test
  void aMalformedNonce_orAFinishBeforeABegin_isRefused() throws Exception {
    try (FrameClient client = connect()) {
      assertUnauthenticatedAndClosed(
          client, client.call(Json.text(RequestCodec.authBegin(1, new byte[8]))), 1);
    }
    try (FrameClient client = connect()) {
      assertUnauthenticatedAndClosed(
          client, client.call(Json.text(RequestCodec.authFinish(1, new byte[32]))), 1);
    }
  }

  @Test
  void theParent_isServed_andTwoParentConnectionsAtOnceBothWork() throws Exception {
    try (FrameClient first = connect().authenticate(secret);
        FrameClient second = connect().authenticate(secret)) {
      CompletableFuture<JsonNode> a = CompletableFuture.supplyAsync(() -> dispatch(first, 11));
      CompletableFuture<JsonNode> b = CompletableFuture.supplyAsync(() -> dispatch(second, 12));

      assertThat(a.get().get("ok").asBoolean()).as(a.get().toString()).isTrue();
      assertThat(b.get().get("ok").asBoolean()).as(b.get().toString()).isTrue();
      assertThat(first.call(IDENTITY).get("key").get("key_id").asText())
          .isEqualTo(service.identity().keyId());
    }
    assertThat(reached).hasValue(3);
  }

  @Test
  void aClientThatSaysNothing_isDroppedAfterTheHandshakeDeadline() throws Exception {
    try (CoordinatorServer impatient = start(Duration.ofMillis(300));
        FrameClient silent = new FrameClient(impatient.address())) {
      assertThat(silent.closedByServer()).isTrue(); // read blocks until the server gives up
    }
  }

  private static JsonNode dispatch(FrameClient client, long id) {
    try {
      return client.call(
          Json.text(RequestCodec.dispatch(id, new CoordinatorJob().dispatchRequest())));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Counts what reaches the coordinator behind the server. */
  private final class Counting extends ForwardingCoordinator {
    Counting(Coordinator delegate) {
      super(delegate);
    }

    @Override
    public CoordinatorKey identity() throws CoordinatorUnavailableException {
      reached.incrementAndGet();
      return super.identity();
    }

    @Override
    public SignedDispatchToken dispatch(DispatchRequest request)
        throws CoordinatorUnavailableException {
      reached.incrementAndGet();
      return super.dispatch(request);
    }

    @Override
    public Verification<SignedReceipt> settle(SettleRequest request)
        throws CoordinatorUnavailableException {
      reached.incrementAndGet();
      return super.settle(request);
    }

    @Override
    public long openLog(LogState state) throws CoordinatorUnavailableException {
      reached.incrementAndGet();
      return super.openLog(state);
    }

    @Override
    public LogHead logCheckpoint(long heldSize, long from) throws CoordinatorUnavailableException {
      reached.incrementAndGet();
      return super.logCheckpoint(heldSize, from);
    }

    @Override
    public List<Long> relog(List<byte[]> entries) throws CoordinatorUnavailableException {
      reached.incrementAndGet();
      return super.relog(entries);
    }
  }
}
