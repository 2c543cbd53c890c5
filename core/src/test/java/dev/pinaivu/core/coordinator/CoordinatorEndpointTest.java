package dev.pinaivu.core.coordinator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.Verification;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's answer to every kind of frame, without sockets. */
class CoordinatorEndpointTest {
  private final CoordinatorService service =
      OpenedLogs.dev(CoordinatorOptions.withFees(FeePolicy.NONE));
  private final CoordinatorEndpoint endpoint = new CoordinatorEndpoint(service);

  private JsonNode answer(String frame) throws Exception {
    CoordinatorEndpoint.Reply reply = endpoint.handle(frame.getBytes(UTF_8));
    assertThat(reply.close()).isFalse();
    return Json.parse(reply.body());
  }

  private static JsonNode refusal(CoordinatorEndpoint.Reply reply) throws Exception {
    assertThat(reply.close()).isTrue();
    JsonNode body = Json.parse(reply.body());
    assertThat(body.get("id").isNull()).isTrue();
    assertThat(body.get("code").asText()).isEqualTo("bad_frame");
    return body;
  }

  @Test
  void identity_answersWithTheServicesKey_underTheRequestsId() throws Exception {
    JsonNode response = answer("{\"id\":41,\"op\":\"identity\"}");

    assertThat(response.get("id").asLong()).isEqualTo(41);
    assertThat(response.get("ok").asBoolean()).isTrue();
    assertThat(ResponseCodec.identity(response)).isEqualTo(service.identity());
  }

  @Test
  void dispatchThenSettle_roundTripThroughFrames() throws Exception {
    CoordinatorJob job = new CoordinatorJob();
    String wire =
        ResponseCodec.dispatchToken(
            answer(Json.text(RequestCodec.dispatch(1, job.dispatchRequest()))));
    SignedDispatchToken token = SignedDispatchToken.read(wire, service.identity()).orElseThrow();

    Verification<SignedReceipt> settled =
        ResponseCodec.settled(answer(Json.text(RequestCodec.settle(2, job.settleRequest(token)))));

    assertThat(settled.orElseThrow().receipt().requestId()).isEqualTo(job.requestId());
  }

  @Test
  void theLogOps_beforeTheParentOpensTheLog_areUnavailable_andOpenNothing() throws Exception {
    CoordinatorService unopened =
        CoordinatorService.dev(CoordinatorOptions.withFees(FeePolicy.NONE));
    CoordinatorEndpoint early = new CoordinatorEndpoint(unopened);
    List<String> requests =
        List.of(
            "{\"id\":1,\"op\":\"log_checkpoint\",\"held\":0}",
            "{\"id\":2,\"op\":\"log_relog\",\"entries\":[]}");

    for (String request : requests) {
      JsonNode response = Json.parse(early.handle(request.getBytes(UTF_8)).body());
      assertThat(response.get("code").asText()).as(request).isEqualTo("unavailable");
      assertThat(response.get("error").asText())
          .isEqualTo("the log is not open: the parent must send log_open first");
    }
    JsonNode opened =
        Json.parse(
            early
                .handle("{\"id\":3,\"op\":\"log_open\",\"checkpoint\":null}".getBytes(UTF_8))
                .body());
    assertThat(ResponseCodec.logOpened(opened)).as("the parent's open comes first").isZero();
  }

  @Test
  void anAuthOp_reachingTheEndpoint_isUnauthenticated() throws Exception {
    JsonNode response = answer("{\"id\":5,\"op\":\"auth_begin\",\"client_nonce\":\"AA\"}");

    assertThat(response.get("code").asText()).isEqualTo("unauthenticated");
  }

  @Test
  void anUnknownOp_isRefusedForThatRequestOnly() throws Exception {
    JsonNode response = answer("{\"id\":3,\"op\":\"rotate_key\"}");

    assertThat(response.get("ok").asBoolean()).isFalse();
    assertThat(response.get("code").asText()).isEqualTo("unknown_op");
    assertThat(response.get("error").asText()).contains("rotate_key");
  }

  @Test
  void aMalformedMember_isABadRequestNamingIt() throws Exception {
    JsonNode response = answer("{\"id\":4,\"op\":\"dispatch\",\"request_id\":5}");

    assertThat(response.get("code").asText()).isEqualTo("bad_request");
    assertThat(response.get("error").asText()).isEqualTo("dispatch: request_id must be a string");
  }

  @Test
  void garbage_isRefusedAndClosesTheConnection() throws Exception {
    assertThat(refusal(endpoint.handle(new byte[] {(byte) 0xff, 0x00, 0x13})).get("error").asText())
        .contains("not JSON");
    refusal(endpoint.handle("[1,2]".getBytes(UTF_8)));
    refusal(endpoint.handle("{\"op\":\"identity\"}".getBytes(UTF_8)));
    refusal(endpoint.handle("{\"id\":\"7\",\"op\":\"identity\"}".getBytes(UTF_8)));
    refusal(endpoint.handle("{\"id\":1,\"id\":2}".getBytes(UTF_8)));
  }

  @Test
  void aFailureInsideTheCoordinator_isAnInternalErrorWithoutDetails() throws Exception {
    Coordinator broken =
        new Coordinator() {
          @Override
          public CoordinatorKey identity() {
            throw new IllegalStateException("secret detail");
          }

          @Override
          public SignedDispatchToken dispatch(DispatchRequest request) {
            throw new UnsupportedOperationException();
          }

          @Override
          public Verification<SignedReceipt> settle(SettleRequest request) {
            throw new UnsupportedOperationException();
          }

          @Override
          public List<Long> relog(List<byte[]> entries) {
            throw new UnsupportedOperationException();
          }

          @Override
          public long openLog(LogState state) {
            throw new UnsupportedOperationException();
          }

          @Override
          public LogHead logCheckpoint(long heldSize, long from) {
            throw new UnsupportedOperationException();
          }
        };

    JsonNode response =
        Json.parse(
            new CoordinatorEndpoint(broken)
                .handle("{\"id\":5,\"op\":\"identity\"}".getBytes(UTF_8))
                .body());

    assertThat(response.get("code").asText()).isEqualTo("internal");
    assertThat(response.toString()).doesNotContain("secret detail");
  }
}
