package dev.pinaivu.coordinator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.coordinator.CoordinatorJob;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.coordinator.Frames;
import dev.pinaivu.core.coordinator.ParentSecret;
import dev.pinaivu.core.coordinator.RequestCodec;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.pricing.FeePolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server on loopback against authenticated clients that misbehave; it keeps serving the others.
 * Clients that do not authenticate: {@link ParentAuthIT}.
 */
class CoordinatorServerIT {
  private static final String IDENTITY = "{\"id\":1,\"op\":\"identity\"}";

  private final CoordinatorService service =
      CoordinatorService.dev(CoordinatorOptions.withFees(new FeePolicy(500)));
  private final ParentSecret secret = ParentSecret.generate();
  private final CoordinatorServer server = start();

  private CoordinatorServer start() {
    try {
      return CoordinatorServer.start(
          service, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), secret);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** A client that has authenticated as the parent. */
  private FrameClient client() throws IOException {
    return new FrameClient(server.address()).authenticate(secret);
  }

  private void assertStillServing() throws IOException {
    try (FrameClient other = client()) {
      JsonNode response = other.call(IDENTITY);
      assertThat(response.get("key").get("key_id").asText()).isEqualTo(service.identity().keyId());
    }
  }

  private static void assertRefusedAndClosed(FrameClient client, String reason) throws IOException {
    JsonNode refusal = client.receive();
    assertThat(refusal.get("id").isNull()).isTrue();
    assertThat(refusal.get("ok").asBoolean()).isFalse();
    assertThat(refusal.get("code").asText()).isEqualTo("bad_frame");
    assertThat(refusal.get("error").asText()).contains(reason);
    assertThat(client.closedByServer()).isTrue();
  }

  private static byte[] prefix(long length) {
    return ByteBuffer.allocate(4).putInt((int) length).array();
  }

  @Test
  void server_bindsLoopbackOnAFreePort() {
    assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(server.port()).isPositive();
  }

  @Test
  void pipelinedRequests_onOneConnection_areAllAnswered_matchedById() throws IOException {
    ByteArrayOutputStream burst = new ByteArrayOutputStream();
    Set<Long> sent = new HashSet<>();
    for (long id = 1; id <= 50; id++) {
      String request =
          id % 2 == 0
              ? "{\"id\":" + id + ",\"op\":\"identity\"}"
              : Json.text(RequestCodec.dispatch(id, new CoordinatorJob().dispatchRequest()));
      burst.writeBytes(Frames.encode(request.getBytes(UTF_8)));
      sent.add(id);
    }
    Set<Long> answered = new HashSet<>();
    try (FrameClient client = client()) {
      client.sendRaw(burst.toByteArray());
      for (int i = 0; i < 50; i++) {
        JsonNode response = client.receive();
        assertThat(response.get("ok").asBoolean()).as(response.toString()).isTrue();
        answered.add(response.get("id").asLong());
      }
    }
    assertThat(answered).isEqualTo(sent);
  }

  @Test
  void garbageBytes_areRefused_theConnectionClosed_othersServed() throws IOException {
    try (FrameClient client = client()) {
      client.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(UTF_8));
      assertRefusedAndClosed(client, "outside 1..");
    }
    assertStillServing();
  }

  @Test
  void anOversizedLengthPrefix_isRefusedBeforeAnyBodyIsRead() throws IOException {
    try (FrameClient client = client()) {
      client.sendRaw(prefix(Frames.MAX_BYTES + 1L));
      assertRefusedAndClosed(client, "outside 1..");
    }
    assertStillServing();
  }

  @Test
  void aTruncatedFrame_isRefusedWhenTheClientStopsSending() throws IOException {
    try (FrameClient client = client()) {
      client.sendRaw(prefix(100)).sendRaw("{\"id\":1".getBytes(UTF_8));
      client.endOutput();
      assertRefusedAndClosed(client, "7 of 100 bytes");
    }
    assertStillServing();
  }

  @Test
  void aFrameThatIsNotJson_isRefusedAndClosed() throws IOException {
    try (FrameClient client = client()) {
      client.send("hello, coordinator");
      assertRefusedAndClosed(client, "not JSON");
    }
    assertStillServing();
  }

  @Test
  void anUnknownOp_isAnsweredAndTheConnectionStaysUsable() throws IOException {
    try (FrameClient client = client()) {
      JsonNode refused = client.call("{\"id\":9,\"op\":\"export_key\"}");
      assertThat(refused.get("id").asLong()).isEqualTo(9);
      assertThat(refused.get("code").asText()).isEqualTo("unknown_op");

      assertThat(client.call(IDENTITY).get("ok").asBoolean()).isTrue();
    }
  }

  @Test
  void aClientThatLeavesMidRequest_doesNotDisturbTheServer() throws IOException {
    for (int i = 0; i < 20; i++) {
      FrameClient leaving = client();
      leaving.send(Json.text(RequestCodec.dispatch(1, new CoordinatorJob().dispatchRequest())));
      leaving.sendRaw(prefix(500)).sendRaw("{\"id\":2,".getBytes(UTF_8));
      leaving.abort();
    }
    assertStillServing();
  }

  @Test
  void aClientThatEndsItsOutput_stillGetsTheAnswersItAskedFor() throws IOException {
    try (FrameClient client = client()) {
      client.send(IDENTITY).send("{\"id\":2,\"op\":\"identity\"}");
      client.endOutput();

      assertThat(client.receive().get("ok").asBoolean()).isTrue();
      assertThat(client.receive().get("ok").asBoolean()).isTrue();
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void close_endsOpenConnections_andRefusesNewOnes() throws IOException {
    try (FrameClient client = client()) {
      assertThat(client.call(IDENTITY).get("ok").asBoolean()).isTrue();

      server.close();

      assertThat(client.closedByServer()).isTrue();
    }
    assertThatThrownBy(() -> new Socket().connect(server.address(), 1_000))
        .isInstanceOf(IOException.class);
  }
}
