package dev.pinaivu.core.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.Verification;
import dev.pinaivu.core.translog.InMemoryLogStore;
import dev.pinaivu.core.translog.TransparencyLog;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every protocol message reads back as what was written, through the JSON text. */
class CodecRoundTripTest {
  private static final IntNode ID = IntNode.valueOf(7);
  private final CoordinatorService service =
      OpenedLogs.dev(CoordinatorOptions.withFees(new FeePolicy(500)));

  private static JsonNode viaText(ObjectNode message) throws Exception {
    return Json.parse(Json.bytes(message));
  }

  @Test
  void dispatchRequest_keepsTheOfferKeyAndLimits() throws Exception {
    Coordinator.DispatchRequest r = new CoordinatorJob().dispatchRequest();

    Coordinator.DispatchRequest back = RequestCodec.dispatch(viaText(RequestCodec.dispatch(3, r)));

    assertThat(back.requestId()).isEqualTo(r.requestId());
    assertThat(back.requestSha256()).isEqualTo(r.requestSha256());
    assertThat(back.model()).isEqualTo(r.model());
    assertThat(back.nodePublicKey()).isEqualTo(r.nodePublicKey());
    assertThat(back.offer().sha256()).isEqualTo(r.offer().sha256());
    assertThat(back.offer().signature()).isEqualTo(r.offer().signature());
    assertThat(back.maxPromptTokens()).isEqualTo(r.maxPromptTokens());
    assertThat(back.maxCompletionTokens()).isEqualTo(r.maxCompletionTokens());
    assertThat(Json.text(RequestCodec.dispatch(3, r)))
        .startsWith("{\"id\":3,\"op\":\"dispatch\",\"request_id\":\"req_");
  }

  @Test
  void settleRequest_keepsProofKeyAndDelivery() throws Exception {
    CoordinatorJob job = new CoordinatorJob();
    Coordinator.SettleRequest r =
        job.settleRequest(
            service.dispatch(job.dispatchRequest()),
            job.proof(service.dispatch(job.dispatchRequest())),
            CoordinatorJob.delivery("client \"gone\"\n"));

    Coordinator.SettleRequest back = RequestCodec.settle(viaText(RequestCodec.settle(9, r)));

    assertThat(back.dispatchToken()).isEqualTo(r.dispatchToken());
    assertThat(back.offer().sha256()).isEqualTo(r.offer().sha256());
    assertThat(back.proof()).isEqualTo(r.proof());
    assertThat(back.nodePublicKey()).isEqualTo(r.nodePublicKey());
    assertThat(back.delivery()).isEqualTo(r.delivery());
    assertThat(back.accountRef()).isEqualTo(r.accountRef());
  }

  @Test
  void identity_ofADevAndANitroKey() throws Exception {
    CoordinatorKey dev = service.identity();
    CoordinatorKey nitro = CoordinatorKey.nitro(dev.publicKey(), new byte[] {1, 2, 3});

    assertThat(ResponseCodec.identity(viaText(ResponseCodec.identity(ID, dev)))).isEqualTo(dev);
    assertThat(ResponseCodec.identity(viaText(ResponseCodec.identity(ID, nitro)))).isEqualTo(nitro);
  }

  @Test
  void dispatched_carriesTheWireToken() throws Exception {
    SignedDispatchToken token = service.dispatch(new CoordinatorJob().dispatchRequest());

    assertThat(ResponseCodec.dispatchToken(viaText(ResponseCodec.dispatched(ID, token))))
        .isEqualTo(token.wire());
  }

  @Test
  void settled_validReceiptKeepsItsExactJson_andAReasonStaysAReason() throws Exception {
    CoordinatorJob job = new CoordinatorJob();
    SignedReceipt receipt =
        service.settle(job.settleRequest(service.dispatch(job.dispatchRequest()))).orElseThrow();

    Verification<SignedReceipt> back =
        ResponseCodec.settled(viaText(ResponseCodec.settled(ID, Verification.valid(receipt))));
    Verification<SignedReceipt> refused =
        ResponseCodec.settled(viaText(ResponseCodec.settled(ID, Verification.invalid("no"))));

    assertThat(back.orElseThrow().json()).isEqualTo(receipt.json());
    assertThat(refused.reason()).isEqualTo("no");
  }

  @Test
  void error_namesItsCode() {
    assertThat(Json.text(ResponseCodec.error(ID, WireError.BAD_REQUEST, "why")))
        .isEqualTo("{\"id\":7,\"ok\":false,\"code\":\"bad_request\",\"error\":\"why\"}");
  }

  @Test
  void reading_isStrictAboutTypes_andNamesTheMember() throws Exception {
    ObjectNode request = RequestCodec.dispatch(1, new CoordinatorJob().dispatchRequest());
    request.put("max_prompt_tokens", "150000");

    assertThatThrownBy(() -> RequestCodec.dispatch(request))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max_prompt_tokens must be an integer");
  }

  @Test
  void authBeginAndFinish_roundTrip_andANonceOfAnotherLengthIsRefused() throws Exception {
    byte[] clientNonce = ParentAuth.nonce();
    byte[] serverNonce = ParentAuth.nonce();
    byte[] proof = ParentAuth.clientProof(ParentSecret.generate(), serverNonce, clientNonce);

    assertThat(RequestCodec.authBegin(viaText(RequestCodec.authBegin(1, clientNonce))))
        .isEqualTo(clientNonce);
    assertThat(RequestCodec.authFinish(viaText(RequestCodec.authFinish(2, proof))))
        .isEqualTo(proof);
    ResponseCodec.AuthChallenge read =
        ResponseCodec.authBegun(
            viaText(
                ResponseCodec.authBegun(ID, new ResponseCodec.AuthChallenge(serverNonce, proof))));
    assertThat(read.serverNonce()).isEqualTo(serverNonce);
    assertThat(read.serverProof()).isEqualTo(proof);
    assertThatThrownBy(
            () -> RequestCodec.authBegin(viaText(RequestCodec.authBegin(3, new byte[8]))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("client_nonce must be 32 bytes, not 8");
  }

  @Test
  void logOpen_withAStoredState_andEmpty() throws Exception {
    TransparencyLog log =
        new TransparencyLog(CoordinatorOptions.DEFAULT_LOG_ORIGIN, new InMemoryLogStore());
    LogSync sync = new LogSync(service, log);
    sync.open();
    CoordinatorLogTest.settle(service);
    sync.sync();
    Coordinator.LogState state = sync.state();

    Coordinator.LogState read = RequestCodec.openLog(viaText(RequestCodec.openLog(4, state)));

    assertThat(read.checkpoint()).isEqualTo(state.checkpoint());
    assertThat(read.frontier()).isEqualTo(state.frontier());
    assertThat(read.keyEntryIndex()).isEqualTo(state.keyEntryIndex());
    assertThat(read.keyEntry()).isEqualTo(state.keyEntry());
    assertThat(read.keyEntryPath()).isEqualTo(state.keyEntryPath());
    assertThat(
            RequestCodec.openLog(viaText(RequestCodec.openLog(5, Coordinator.LogState.EMPTY)))
                .checkpoint())
        .isNull();
    assertThat(ResponseCodec.logOpened(viaText(ResponseCodec.logOpened(ID, 43)))).isEqualTo(43);
  }

  @Test
  void logCheckpoint_requestAndHead() throws Exception {
    Coordinator.LogHead head = service.logCheckpoint(0, 0);

    Coordinator.LogHead read = ResponseCodec.logHead(viaText(ResponseCodec.logHead(ID, head)));

    assertThat(read.checkpoint()).isEqualTo(head.checkpoint());
    assertThat(read.first()).isZero();
    assertThat(read.entries()).hasSize(1);
    assertThat(read.entries().get(0)).isEqualTo(head.entries().get(0));
    assertThat(RequestCodec.logCheckpoint(viaText(RequestCodec.logCheckpoint(8, 2, 5))))
        .containsExactly(2, 5);
    ObjectNode withoutFrom = RequestCodec.logCheckpoint(8, 3, 3);
    withoutFrom.remove("from");
    assertThat(RequestCodec.logCheckpoint(viaText(withoutFrom))).containsExactly(3, 3);
  }

  @Test
  void logRelog_entriesAndIndices() throws Exception {
    List<byte[]> entries = List.of(new byte[] {1, 2}, new byte[] {3});

    List<byte[]> read = RequestCodec.relog(viaText(RequestCodec.relog(9, entries)));

    assertThat(read).hasSize(2);
    assertThat(read.get(0)).isEqualTo(entries.get(0));
    assertThat(read.get(1)).isEqualTo(entries.get(1));
    assertThat(ResponseCodec.relogged(viaText(ResponseCodec.relogged(ID, List.of(4L, 5L)))))
        .containsExactly(4L, 5L);
  }
}
