package dev.pinaivu.core.receipt;

import static dev.pinaivu.core.receipt.Fixtures.REQUEST_BYTES;
import static dev.pinaivu.core.receipt.Fixtures.T0;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.protocol.Frame;
import java.util.List;
import org.junit.jupiter.api.Test;

class DispatchTokenVerifierTest {
  private static final String WIRE = Fixtures.signedToken().wire();

  private static DispatchTokenVerifier node(long nowMs) {
    return node(nowMs, Fixtures.NODE_ID, new TrustedKeys(List.of(Fixtures.nitroKey()), false));
  }

  private static DispatchTokenVerifier node(long nowMs, NodeId me, TrustedKeys keys) {
    return new DispatchTokenVerifier(keys, me, Fixtures.clockAt(nowMs));
  }

  private static Frame.Job job(String token) {
    return job(token, REQUEST_BYTES);
  }

  private static Frame.Job job(String token, byte[] request) {
    return new Frame.Job(
        Fixtures.REQUEST_ID.value(),
        Fixtures.MODEL,
        true,
        new String(request, java.nio.charset.StandardCharsets.UTF_8),
        T0 + 600_000,
        token);
  }

  @Test
  void validToken_forThisNodeAndTheseBytes_isAccepted() throws Exception {
    Verification<DispatchToken> result = node(T0 + 1000).verify(job(WIRE));

    assertThat(result.reason()).isEmpty();
    assertThat(result.value()).isEqualTo(Fixtures.token());
  }

  @Test
  void wireForm_isPayloadDotSignature_overTheCanonicalToken() {
    String[] parts = WIRE.split("\\.");

    assertThat(parts).hasSize(2);
    assertThat(new String(B64.decode(parts[0]), UTF_8))
        .startsWith("{\"coordinator_key_id\":\"" + Fixtures.KEY_ID + "\",\"expires_at_ms\":");
    byte[] message =
        ("pinaivu/dispatch-token/v1\n" + new String(B64.decode(parts[0]), UTF_8)).getBytes(UTF_8);
    assertThat(Ed25519.verify(Fixtures.COORDINATOR.publicKey(), message, B64.decode(parts[1])))
        .isTrue();
  }

  @Test
  void missingToken_isRefused() throws Exception {
    assertThat(node(T0).verify(job(null)).reason()).isEqualTo("dispatch token is missing");
  }

  @Test
  void expiredToken_isRefused_afterTheAllowedSkew() throws Exception {
    long expiry = T0 + 60_000;
    long lastAccepted = expiry + DispatchTokenVerifier.CLOCK_SKEW_MS;

    assertThat(node(lastAccepted).verify(job(WIRE)).valid()).isTrue();
    assertThat(node(lastAccepted + 1).verify(job(WIRE)).reason())
        .startsWith("dispatch token expired at " + expiry);
  }

  @Test
  void tokenFromTheFuture_isRefused() throws Exception {
    assertThat(node(T0 - 30_001).verify(job(WIRE)).reason())
        .startsWith("dispatch token is issued in the future");
  }

  @Test
  void tokenForAnotherNode_isRefused() throws Exception {
    NodeId other = NodeId.of(Ed25519.PrivateKey.generate().publicKey());
    DispatchTokenVerifier verifier =
        node(T0, other, new TrustedKeys(List.of(Fixtures.nitroKey()), false));

    assertThat(verifier.verify(job(WIRE)).reason())
        .isEqualTo("dispatch token is for node " + Fixtures.NODE_ID + ", not this node " + other);
  }

  @Test
  void otherRequestBytes_failTheHash_evenWhenTheJsonIsTheSame() throws Exception {
    byte[] reformatted = Json.bytes(Json.parse(REQUEST_BYTES));

    assertThat(node(T0).verify(job(WIRE, reformatted)).reason())
        .isEqualTo("request_sha256 does not match the SHA-256 of the request bytes");
  }

  @Test
  void otherModelOrJob_isRefused() {
    assertThat(node(T0).verify(WIRE, Fixtures.REQUEST_ID.value(), "gpt-4o", REQUEST_BYTES).reason())
        .isEqualTo("dispatch token is for model llama3.2:3b, not gpt-4o");
    assertThat(
            node(T0)
                .verify(WIRE, "req_01j9z4kxm8vwqe3t5p6n7r2y0d", Fixtures.MODEL, REQUEST_BYTES)
                .reason())
        .startsWith("dispatch token is for request req_01j9z4kxm8vwqe3t5p6n7r2y0c, not job");
  }

  @Test
  void tokenSignedByAnUntrustedKey_isRefused() throws Exception {
    Ed25519.PrivateKey stranger = Ed25519.PrivateKey.generate();
    DispatchToken token = withKey(CoordinatorKey.keyIdOf(stranger.publicKey()));
    String wire = SignedDispatchToken.sign(token, stranger).wire();

    assertThat(node(T0).verify(job(wire)).reason())
        .startsWith("dispatch token: key_id")
        .contains("is not a trusted coordinator key");
  }

  @Test
  void tokenAlteredAfterSigning_doesNotVerify() throws Exception {
    String[] parts = WIRE.split("\\.");
    String payload = new String(B64.decode(parts[0]), UTF_8).replace("150000", "150001");
    String forged = B64.encode(payload.getBytes(UTF_8)) + "." + parts[1];

    assertThat(node(T0).verify(job(forged)).reason())
        .startsWith("dispatch token was not signed by coordinator key");
  }

  @Test
  void nonCanonicalPayload_isRefused() throws Exception {
    String[] parts = WIRE.split("\\.");
    String spaced = new String(B64.decode(parts[0]), UTF_8).replace(",", ", ");
    String wire = B64.encode(spaced.getBytes(UTF_8)) + "." + parts[1];

    assertThat(node(T0).verify(job(wire)).reason())
        .isEqualTo("dispatch token payload is not in canonical form (RFC 8785)");
  }

  @Test
  void garbage_isRefusedWithAReason() throws Exception {
    for (String wire : List.of("abc", "a.b.c", "!!.!!", B64.encode("[]".getBytes(UTF_8)) + ".x")) {
      assertThat(node(T0).verify(job(wire)).reason()).isNotBlank();
    }
  }

  @Test
  void devCoordinatorKey_isRefusedUnlessAllowed() throws Exception {
    CoordinatorKey dev = CoordinatorKey.dev(Fixtures.COORDINATOR.publicKey());

    assertThat(
            node(T0, Fixtures.NODE_ID, new TrustedKeys(List.of(dev), false))
                .verify(job(WIRE))
                .reason())
        .contains("is a development key");
    assertThat(
            node(T0, Fixtures.NODE_ID, new TrustedKeys(List.of(dev), true))
                .verify(job(WIRE))
                .valid())
        .isTrue();
  }

  @Test
  void sign_refusesATokenNamingAnotherKey() {
    DispatchToken token = withKey("ab".repeat(32));

    assertThatThrownBy(() -> SignedDispatchToken.sign(token, Fixtures.COORDINATOR))
        .hasMessageContaining("another coordinator key");
  }

  @Test
  void paysAtLeast_comparesBothPrices() {
    DispatchToken token = Fixtures.token();

    assertThat(token.paysAtLeast(new TokenPrice(150_000, 600_000))).isTrue();
    assertThat(token.paysAtLeast(new TokenPrice(150_001, 0))).isFalse();
    assertThat(token.paysAtLeast(new TokenPrice(0, 600_001))).isFalse();
  }

  @Test
  void constructor_refusesNonsense() {
    assertThatThrownBy(() -> withExpiry(T0)).hasMessageContaining("expires_at_ms");
    assertThatThrownBy(() -> withHash("ABC")).hasMessageContaining("request_sha256");
  }

  private static DispatchToken withKey(String keyId) {
    DispatchToken t = Fixtures.token();
    return copy(t, t.requestSha256(), t.expiresAtMs(), keyId);
  }

  private static DispatchToken withExpiry(long expiresAtMs) {
    DispatchToken t = Fixtures.token();
    return copy(t, t.requestSha256(), expiresAtMs, t.coordinatorKeyId());
  }

  private static DispatchToken withHash(String hash) {
    DispatchToken t = Fixtures.token();
    return copy(t, hash, t.expiresAtMs(), t.coordinatorKeyId());
  }

  private static DispatchToken copy(DispatchToken t, String hash, long expiresAtMs, String keyId) {
    return new DispatchToken(
        t.v(),
        t.requestId(),
        hash,
        t.nodeId(),
        t.model(),
        t.inputMicrosPerMtok(),
        t.outputMicrosPerMtok(),
        t.offerSha256(),
        t.feeBps(),
        t.maxPromptTokens(),
        t.maxCompletionTokens(),
        t.issuedAtMs(),
        expiresAtMs,
        Math.max(expiresAtMs, t.settleByMs()),
        keyId);
  }
}
