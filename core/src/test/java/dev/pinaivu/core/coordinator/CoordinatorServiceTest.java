package dev.pinaivu.core.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.DispatchToken;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedReceipt;
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
  void settle_beyondTheCache_signsAgainWithTheSameFigures() throws Exception {
    CoordinatorService service =
        OpenedLogs.dev(CoordinatorOptions.withFees(FEES).withSettledCapacity(1));
    CoordinatorJob job = new CoordinatorJob();
    Coordinator.SettleRequest request = job.settleRequest(service.dispatch(job.dispatchRequest()));
    SignedReceipt first = service.settle(request).orElseThrow();
    CoordinatorJob evicting = new CoordinatorJob();
    service.settle(evicting.settleRequest(service.dispatch(evicting.dispatchRequest())));

    SignedReceipt again = service.settle(request).orElseThrow();

    assertThat(again.receipt().charge()).isEqualTo(first.receipt().charge());
    assertThat(again.receipt().billedUsage()).isEqualTo(first.receipt().billedUsage());
  }

  @Test
  void settle_withAMissingMember_namesIt() {
    assertThatThrownBy(
            () -> coordinator.settle(new Coordinator.SettleRequest("t", null, null, null, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("proof");
  }
}
