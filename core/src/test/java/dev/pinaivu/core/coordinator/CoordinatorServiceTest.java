package dev.pinaivu.core.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.DispatchToken;
import dev.pinaivu.core.receipt.Outcome;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedProof;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.Verification;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The coordinator's logic in process: the contract, plus what only the service itself shows. */
class CoordinatorServiceTest extends CoordinatorContract {
  @Override
  protected Coordinator newCoordinator(FeePolicy fees) {
    return OpenedLogs.dev(CoordinatorOptions.withFees(fees));
  }

  @Test
  void dispatch_expiresAfterTheConfiguredTtl_onTheCoordinatorsClock() {
    Clock clock = Clock.fixed(Instant.ofEpochMilli(1_800_000_000_000L), ZoneOffset.UTC);
    CoordinatorService service =
        CoordinatorService.dev(
            CoordinatorOptions.withFees(FEES)
                .withClock(clock)
                .withTokenTtl(Duration.ofSeconds(90)));

    DispatchToken token = service.dispatch(new CoordinatorJob().dispatchRequest()).token();

    assertThat(token.issuedAtMs()).isEqualTo(1_800_000_000_000L);
    assertThat(token.expiresAtMs()).isEqualTo(1_800_000_090_000L);
  }

  @Test
  void defaultTtl_isFifteenMinutesAndAMargin() {
    assertThat(CoordinatorOptions.withFees(FEES).tokenTtl()).isEqualTo(Duration.ofMinutes(16));
  }

  @Test
  void toString_namesTheKeyId_andNeverTheSeed() {
    CoordinatorService service = CoordinatorService.dev(CoordinatorOptions.withFees(FEES));

    assertThat(service.toString())
        .contains(service.identity().keyId())
        .contains("redacted")
        .doesNotContain(B64.encode(service.identity().publicKey()));
  }

  @Test
  void boot_publishesWhatTheAttestorSaysAboutTheNewKey() {
    byte[] document = "nsm document".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    CoordinatorService service =
        CoordinatorService.boot(
            publicKey -> CoordinatorKey.nitro(publicKey, document),
            CoordinatorOptions.withFees(FEES));

    assertThat(service.identity().kind()).isEqualTo(CoordinatorKey.Kind.NITRO);
    assertThat(service.identity().attestation()).isEqualTo(document);
  }

  @Test
  void boot_withAGivenKey_signsVerifiablyWithIt() {
    Ed25519.PrivateKey key = Ed25519.PrivateKey.generate();

    CoordinatorService service =
        CoordinatorService.boot(Attestor.DEV, CoordinatorOptions.withFees(FEES), key);
    SignedDispatchToken token = service.dispatch(new CoordinatorJob().dispatchRequest());

    CoordinatorKey publicHalf = CoordinatorKey.dev(key.publicKey());
    assertThat(service.identity().keyId()).isEqualTo(publicHalf.keyId());
    assertThat(SignedDispatchToken.read(token.wire(), publicHalf).valid()).isTrue();
    assertThat(service.toString()).doesNotContain(B64.encode(key.seed()));
  }

  @Test
  void boot_twiceWithTheSameKey_keepsTheKeyId() {
    Ed25519.PrivateKey key = Ed25519.PrivateKey.generate();
    CoordinatorOptions options = CoordinatorOptions.withFees(FEES);

    assertThat(CoordinatorService.boot(Attestor.DEV, options, key).identity().keyId())
        .isEqualTo(CoordinatorService.boot(Attestor.DEV, options, key).identity().keyId());
  }

  @Test
  void boot_refusesAnAttestorThatDescribesAnotherKey() {
    CoordinatorKey other = CoordinatorService.dev(CoordinatorOptions.withFees(FEES)).identity();

    assertThatThrownBy(
            () -> CoordinatorService.boot(publicKey -> other, CoordinatorOptions.withFees(FEES)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void settle_beyondTheReceiptCache_neverSignsASecondReceipt_butNamesTheFirstsLogEntry()
      throws Exception {
    CoordinatorService service =
        OpenedLogs.dev(CoordinatorOptions.withFees(FEES).withSettledCapacity(1));
    CoordinatorJob job = new CoordinatorJob();
    Coordinator.SettleRequest request = job.settleRequest(service.dispatch(job.dispatchRequest()));
    SignedReceipt first = service.settle(request).orElseThrow();
    CoordinatorJob evicting = new CoordinatorJob();
    service.settle(evicting.settleRequest(service.dispatch(evicting.dispatchRequest())));

    assertThatThrownBy(() -> service.settle(request))
        .isInstanceOf(AlreadySettledException.class)
        .extracting(e -> ((AlreadySettledException) e).logIndex())
        .isEqualTo(first.log().get("index").asLong());
  }

  @Test
  void settle_afterTheTokensSettleWindow_isRefused() throws Exception {
    MutableClock clock = new MutableClock(1_800_000_000_000L);
    CoordinatorService service = OpenedLogs.dev(CoordinatorOptions.withFees(FEES).withClock(clock));
    CoordinatorJob job = new CoordinatorJob();
    SignedDispatchToken token = service.dispatch(job.dispatchRequest());
    clock.set(token.token().settleByMs() + 1);

    Verification<SignedReceipt> late = service.settle(job.settleRequest(token));

    assertThat(late.reason()).startsWith("the dispatch token's settlement window closed");
  }

  @Test
  void aSettledRequest_isRemembered_untilItsTokenCanNoLongerBeSettled() throws Exception {
    MutableClock clock = new MutableClock(System.currentTimeMillis());
    CoordinatorService service =
        OpenedLogs.dev(CoordinatorOptions.withFees(FEES).withClock(clock).withSettledCapacity(1));
    CoordinatorJob job = new CoordinatorJob();
    SignedDispatchToken token = service.dispatch(job.dispatchRequest());
    service.settle(job.settleRequest(token)).orElseThrow();
    for (int i = 0; i < 50; i++) { // far more than the receipt cache holds
      CoordinatorJob other = new CoordinatorJob();
      service.settle(other.settleRequest(service.dispatch(other.dispatchRequest()))).orElseThrow();
    }
    clock.set(token.token().settleByMs() - 1);
    SignedProof otherEvidence = job.proof(token, Outcome.CANCELLED, Usage.of(12, 9), 0);

    Verification<SignedReceipt> second =
        service.settle(job.settleRequest(token, otherEvidence, CoordinatorJob.delivery("x")));

    assertThat(second.reason()).contains("already settled with other evidence");
  }

  @Test
  void settle_withAMissingMember_namesIt() {
    assertThatThrownBy(() ->
            coordinator.settle(new Coordinator.SettleRequest("t", null, null, null, null, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node_offer");
  }
}
