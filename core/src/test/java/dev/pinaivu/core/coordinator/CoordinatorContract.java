package dev.pinaivu.core.coordinator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.pricing.Charge;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.DevAttestation;
import dev.pinaivu.core.receipt.DispatchToken;
import dev.pinaivu.core.receipt.DispatchTokenVerifier;
import dev.pinaivu.core.receipt.Outcome;
import dev.pinaivu.core.receipt.Receipt;
import dev.pinaivu.core.receipt.ReceiptVerifier;
import dev.pinaivu.core.receipt.Settlement;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedOffer;
import dev.pinaivu.core.receipt.SignedProof;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.TrustedKeys;
import dev.pinaivu.core.receipt.Verification;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Coordinator} adapter must do: the service in process, the TCP client against a
 * dev-mode server, and later the enclave behind vsock. An adapter's test extends this class and
 * supplies a new coordinator (a new key) charging the given fees.
 */
public abstract class CoordinatorContract {
  protected static final FeePolicy FEES = new FeePolicy(250);

  protected Coordinator coordinator;

  /**
   * A coordinator with a new dev key that charges {@code fees}; closed after the test if it can.
   */
  protected abstract Coordinator newCoordinator(FeePolicy fees) throws Exception;

  @BeforeEach
  void createCoordinator() throws Exception {
    coordinator = newCoordinator(FEES);
  }

  @AfterEach
  void closeCoordinator() throws Exception {
    if (coordinator instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  private TrustedKeys trusted() throws CoordinatorUnavailableException {
    return new TrustedKeys(List.of(coordinator.identity()), true);
  }

  private DispatchTokenVerifier nodeVerifier(CoordinatorJob job) throws Exception {
    return new DispatchTokenVerifier(trusted(), job.nodeId(), Clock.systemUTC());
  }

  @Test
  void identity_isStable_andItsKeyIdNamesItsPublicKey() throws Exception {
    CoordinatorKey first = coordinator.identity();

    assertThat(coordinator.identity()).isEqualTo(first);
    assertThat(first.keyId()).isEqualTo(CoordinatorKey.keyIdOf(first.publicKey()));
  }

  @Test
  void identity_inDevMode_carriesTheMarkedDevDocument() throws Exception {
    CoordinatorKey key = coordinator.identity();

    assertThat(key.kind()).isEqualTo(CoordinatorKey.Kind.DEV);
    assertThat(DevAttestation.read(key.attestation())).isEqualTo(key);
    assertThat(new String(key.attestation(), UTF_8)).contains(DevAttestation.WARNING);
  }

  @Test
  void dispatch_signsATokenTheNamedNodeAccepts() throws Exception {
    CoordinatorJob job = new CoordinatorJob();
    long before = System.currentTimeMillis();

    SignedDispatchToken signed = coordinator.dispatch(job.dispatchRequest());

    Verification<DispatchToken> checked =
        nodeVerifier(job)
            .verify(
                signed.wire(), job.requestId().value(), CoordinatorJob.MODEL, job.requestBytes());
    assertThat(checked.reason()).isEmpty();
    DispatchToken token = checked.value();
    assertThat(token).isEqualTo(signed.token());
    assertThat(token.coordinatorKeyId()).isEqualTo(coordinator.identity().keyId());
    assertThat(token.price()).isEqualTo(CoordinatorJob.PRICE);
    assertThat(token.offerSha256()).isEqualTo(job.offer().sha256());
    assertThat(token.maxPromptTokens()).isEqualTo(CoordinatorJob.MAX_PROMPT_TOKENS);
    assertThat(token.maxCompletionTokens()).isEqualTo(CoordinatorJob.MAX_COMPLETION_TOKENS);
    assertThat(token.feeBps()).isEqualTo(FEES.feeBps());
    assertThat(token.settleByMs()).isGreaterThan(token.expiresAtMs());
    assertThat(token.issuedAtMs()).isBetween(before - 1_000, System.currentTimeMillis() + 1_000);
    assertThat(token.expiresAtMs()).isGreaterThan(token.issuedAtMs() + 60_000);
  }

  @Test
  void dispatch_tokenIsRefusedByAnotherNodeAndForOtherBytes() throws Exception {
    CoordinatorJob job = new CoordinatorJob();
    CoordinatorJob other = new CoordinatorJob();
    String wire = coordinator.dispatch(job.dispatchRequest()).wire();
    String id = job.requestId().value();

    assertThat(nodeVerifier(other).verify(wire, id, CoordinatorJob.MODEL, job.requestBytes()))
        .extracting(Verification::reason)
        .asString()
        .contains("not this node");
    assertThat(nodeVerifier(job).verify(wire, id, CoordinatorJob.MODEL, "{}".getBytes(UTF_8)))
        .extracting(Verification::reason)
        .asString()
        .contains("request_sha256");
  }

  @Test
  void dispatch_ofADevCoordinator_isRefusedByNodesThatDoNotAllowDevKeys() throws Exception {
    CoordinatorJob job = new CoordinatorJob();
    String wire = coordinator.dispatch(job.dispatchRequest()).wire();
    TrustedKeys strict = new TrustedKeys(List.of(coordinator.identity()), false);

    Verification<DispatchToken> checked =
        new DispatchTokenVerifier(strict, job.nodeId(), Clock.systemUTC())
            .verify(wire, job.requestId().value(), CoordinatorJob.MODEL, job.requestBytes());

    assertThat(checked.reason()).contains("development key");
  }

  @Test
  void dispatch_withAMalformedRequestId_isRefusedAsIllegalArgument() {
    Coordinator.DispatchRequest good = new CoordinatorJob().dispatchRequest();
    Coordinator.DispatchRequest bad =
        new Coordinator.DispatchRequest(
            "req_nope",
            good.requestSha256(),
            good.model(),
            good.nodePublicKey(),
            good.offer(),
            good.maxPromptTokens(),
            good.maxCompletionTokens());

    assertThatThrownBy(() -> coordinator.dispatch(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("req_nope");
  }

  @Test
  void dispatch_pricesTheTokenFromTheNodesSignedOffer_notFromThePartyAsking() throws Exception {
    CoordinatorJob job = new CoordinatorJob();
    Coordinator.DispatchRequest good = job.dispatchRequest();
    // the offer is the node's own, signed: whoever asks for a token cannot choose the price
    SignedOffer edited = editedPrice(job.offer(), 1);

    assertThatThrownBy(() -> coordinator.dispatch(withOffer(good, edited)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node offer: signature does not verify");
  }

  @Test
  void dispatch_forAModelTheOfferDoesNotName_isRefused() {
    CoordinatorJob job = new CoordinatorJob();
    Coordinator.DispatchRequest good = job.dispatchRequest();
    Coordinator.DispatchRequest other =
        new Coordinator.DispatchRequest(
            good.requestId(),
            good.requestSha256(),
            "another-model",
            good.nodePublicKey(),
            good.offer(),
            good.maxPromptTokens(),
            good.maxCompletionTokens());

    assertThatThrownBy(() -> coordinator.dispatch(other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not offer model another-model");
  }

  @Test
  void dispatch_aboveThePriceCeiling_isRefused() {
    CoordinatorJob job = new CoordinatorJob();
    SignedOffer absurd = job.offer(new TokenPrice(9_007_199_254_740_991L, 1));

    assertThatThrownBy(() -> coordinator.dispatch(withOffer(job.dispatchRequest(), absurd)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ceiling");
  }

  @Test
  void dispatch_withAnOfferOfAnotherNode_isRefused() {
    CoordinatorJob job = new CoordinatorJob();
    Coordinator.DispatchRequest good = job.dispatchRequest();
    Coordinator.DispatchRequest stolen = withOffer(good, new CoordinatorJob().offer());

    assertThatThrownBy(() -> coordinator.dispatch(stolen))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node offer:");
  }

  private static Coordinator.DispatchRequest withOffer(
      Coordinator.DispatchRequest r, SignedOffer offer) {
    return new Coordinator.DispatchRequest(
        r.requestId(),
        r.requestSha256(),
        r.model(),
        r.nodePublicKey(),
        offer,
        r.maxPromptTokens(),
        r.maxCompletionTokens());
  }

  private static SignedOffer editedPrice(SignedOffer offer, long price) {
    ObjectNode edited = offer.offer();
    ((ObjectNode) edited.withArray("models").get(0)).put("input_micros_per_mtok", price);
    return new SignedOffer(edited, offer.signature());
  }

  @Test
  void settle_withAValidProof_signsAReceiptTheVerifierAccepts_chargedByTheFeePolicy()
      throws Exception {
    CoordinatorJob job = new CoordinatorJob();
    SignedDispatchToken token = coordinator.dispatch(job.dispatchRequest());

    Verification<SignedReceipt> settled = coordinator.settle(job.settleRequest(token));

    assertThat(settled.reason()).isEmpty();
    SignedReceipt signed = settled.value();
    Verification<Receipt> verified =
        new ReceiptVerifier(trusted()).verify(signed.json().getBytes(UTF_8));
    assertThat(verified.reason()).isEmpty();
    Receipt receipt = verified.value();
    assertThat(receipt.requestId()).isEqualTo(job.requestId());
    assertThat(receipt.dispatchTokenSha256()).isEqualTo(token.sha256());
    assertThat(receipt.coordinatorKeyId()).isEqualTo(coordinator.identity().keyId());
    assertThat(receipt.billedUsage()).isEqualTo(Usage.of(12, 9));
    Charge charge = receipt.charge();
    assertThat(charge).isEqualTo(Charge.of(Usage.of(12, 9), CoordinatorJob.PRICE, FEES));
    assertThat(charge.feeBps()).isEqualTo(FEES.feeBps());
    assertThat(charge.totalCharged()).isEqualTo(charge.nodeAmount() + charge.fee());
  }

  @Test
  void settle_ofACancelledStream_billsWhatWasDelivered_andSaysWhy() throws Exception {
    CoordinatorJob job = new CoordinatorJob();
    SignedDispatchToken token = coordinator.dispatch(job.dispatchRequest());
    SignedProof proof = job.proof(token, Outcome.CANCELLED, Usage.of(12, 9), 4);

    Verification<SignedReceipt> settled =
        coordinator.settle(
            job.settleRequest(token, proof, CoordinatorJob.delivery("client disconnected")));

    Receipt receipt = settled.orElseThrow().receipt();
    assertThat(receipt.billedUsage()).isEqualTo(Usage.of(12, 4));
    assertThat(receipt.note()).contains("client disconnected");
  }

  @Test
  void settle_ofANodeClaimingFarMoreThanItDelivered_billsTheDeliveredLimit() throws Exception {
    CoordinatorJob job = new CoordinatorJob();
    SignedDispatchToken token = coordinator.dispatch(job.dispatchRequest());
    SignedProof inflated = job.proof(token, Outcome.COMPLETED, Usage.of(12, 1_000_000), 1_000_000);

    Receipt receipt =
        coordinator
            .settle(job.settleRequest(token, inflated, CoordinatorJob.delivery(null)))
            .orElseThrow()
            .receipt();

    assertThat(receipt.billedUsage())
        .isEqualTo(Usage.of(12, CoordinatorJob.DELIVERED_COMPLETION_LIMIT));
    assertThat(receipt.usage().completionTokens()).isEqualTo(1_000_000);
    assertThat(receipt.charge().totalCharged())
        .isLessThanOrEqualTo(token.token().maxChargeMicros());
  }

  @Test
  void settle_withATamperedProof_failsWithAReason() throws Exception {
    CoordinatorJob job = new CoordinatorJob();
    SignedDispatchToken token = coordinator.dispatch(job.dispatchRequest());
    SignedProof honest = job.proof(token);
    ObjectNode inflated = honest.proof();
    inflated.withObject("usage").put("completion_tokens", 900).put("total_tokens", 912);
    inflated.put("delivered_completion_tokens", 900);
    SignedProof tampered = new SignedProof(inflated, honest.signature());

    Verification<SignedReceipt> settled =
        coordinator.settle(job.settleRequest(token, tampered, CoordinatorJob.delivery(null)));

    assertThat(settled.valid()).isFalse();
    assertThat(settled.reason()).contains("signature does not verify");
  }

  @Test
  void settle_withATokenFromAnotherCoordinator_failsWithAReason() throws Exception {
    CoordinatorJob job = new CoordinatorJob();
    Coordinator stranger = CoordinatorService.dev(CoordinatorOptions.withFees(FEES));
    SignedDispatchToken foreign = stranger.dispatch(job.dispatchRequest());

    Verification<SignedReceipt> settled = coordinator.settle(job.settleRequest(foreign));

    assertThat(settled.valid()).isFalse();
    assertThat(settled.reason()).contains("not a trusted coordinator key");
  }

  @Test
  void settle_withAProofForAnotherRequest_failsWithAReason() throws Exception {
    CoordinatorJob job = new CoordinatorJob();
    CoordinatorJob other = new CoordinatorJob();
    SignedDispatchToken token = coordinator.dispatch(job.dispatchRequest());
    SignedProof otherProof = other.proof(coordinator.dispatch(other.dispatchRequest()));

    Verification<SignedReceipt> settled =
        coordinator.settle(other.settleRequest(token, otherProof, CoordinatorJob.delivery(null)));

    assertThat(settled.valid()).isFalse();
    assertThat(settled.reason()).contains("node proof:");
  }

  @Test
  void settle_whenTheGatewayReceivedOtherFrames_failsWithAReason() throws Exception {
    CoordinatorJob job = new CoordinatorJob();
    SignedDispatchToken token = coordinator.dispatch(job.dispatchRequest());
    Settlement.Delivery other = received(CoordinatorJob.delivery(null), "0".repeat(64));

    Verification<SignedReceipt> settled =
        coordinator.settle(job.settleRequest(token, job.proof(token), other));

    assertThat(settled.reason()).contains("response_sha256 differs");
  }

  @Test
  void settle_withAGarbledToken_failsWithAReason() throws Exception {
    CoordinatorJob job = new CoordinatorJob();
    SignedDispatchToken token = coordinator.dispatch(job.dispatchRequest());
    Coordinator.SettleRequest good = job.settleRequest(token);
    Coordinator.SettleRequest garbled =
        new Coordinator.SettleRequest(
            "not-a-token",
            good.offer(),
            good.proof(),
            good.nodePublicKey(),
            good.delivery(),
            good.accountRef());

    assertThat(coordinator.settle(garbled).reason()).contains("dispatch token");
  }

  @Test
  void settle_whenRetried_returnsTheSameReceipt() throws Exception {
    CoordinatorJob job = new CoordinatorJob();
    Coordinator.SettleRequest request =
        job.settleRequest(coordinator.dispatch(job.dispatchRequest()));

    SignedReceipt first = coordinator.settle(request).orElseThrow();
    SignedReceipt second = coordinator.settle(request).orElseThrow();

    assertThat(second.json()).isEqualTo(first.json());
  }

  @Test
  void settle_whenRetriedWithOtherEvidence_isRefused_andTheFirstReceiptStands() throws Exception {
    CoordinatorJob job = new CoordinatorJob();
    SignedDispatchToken token = coordinator.dispatch(job.dispatchRequest());
    Coordinator.SettleRequest request = job.settleRequest(token);
    SignedReceipt first = coordinator.settle(request).orElseThrow();
    SignedProof cancelled = job.proof(token, Outcome.CANCELLED, Usage.of(12, 9), 1);

    Verification<SignedReceipt> changed =
        coordinator.settle(job.settleRequest(token, cancelled, CoordinatorJob.delivery("late")));

    assertThat(changed.reason()).contains("already settled");
    assertThat(coordinator.settle(request).orElseThrow().json()).isEqualTo(first.json());
  }

  @Test
  void settle_afterARefusedAttempt_stillSignsTheHonestOne() throws Exception {
    CoordinatorJob job = new CoordinatorJob();
    SignedDispatchToken token = coordinator.dispatch(job.dispatchRequest());
    Settlement.Delivery wrong = received(CoordinatorJob.delivery(null), "f".repeat(64));

    assertThat(coordinator.settle(job.settleRequest(token, job.proof(token), wrong)).valid())
        .isFalse();
    assertThat(coordinator.settle(job.settleRequest(token)).valid()).isTrue();
  }

  @Test
  void settle_withAMalformedAccountRef_isRefusedAsIllegalArgument() throws Exception {
    CoordinatorJob job = new CoordinatorJob();
    Coordinator.SettleRequest good = job.settleRequest(coordinator.dispatch(job.dispatchRequest()));
    Coordinator.SettleRequest bad =
        new Coordinator.SettleRequest(
            good.dispatchToken(),
            good.offer(),
            good.proof(),
            good.nodePublicKey(),
            good.delivery(),
            "a b");

    assertThatThrownBy(() -> coordinator.settle(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("account_ref");
  }

  @Test
  void dispatchAndSettle_fromManyThreadsAtOnce_allSucceed() throws Exception {
    ReceiptVerifier verifier = new ReceiptVerifier(trusted());
    List<Callable<Receipt>> jobs = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      jobs.add(() -> {
        CoordinatorJob job = new CoordinatorJob();
        SignedDispatchToken token = coordinator.dispatch(job.dispatchRequest());
        SignedReceipt signed = coordinator.settle(job.settleRequest(token)).orElseThrow();
        assertThat(signed.receipt().requestId()).isEqualTo(job.requestId());
        return verifier.verify(signed).orElseThrow();
      });
    }

    List<Receipt> receipts = runAll(jobs);

    assertThat(receipts).hasSize(200);
    assertThat(receipts.stream().map(Receipt::requestId).distinct()).hasSize(200);
  }

  @Test
  void settle_ofOneRequestFromManyThreadsAtOnce_returnsOneReceipt() throws Exception {
    CoordinatorJob job = new CoordinatorJob();
    Coordinator.SettleRequest request =
        job.settleRequest(coordinator.dispatch(job.dispatchRequest()));
    List<Callable<String>> retries = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      retries.add(() -> coordinator.settle(request).orElseThrow().json());
    }

    assertThat(runAll(retries).stream().distinct()).hasSize(1);
  }

  private static <T> List<T> runAll(List<Callable<T>> tasks) throws Exception {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<T>> futures = pool.invokeAll(tasks, 60, TimeUnit.SECONDS);
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    }
  }

  private static Settlement.Delivery received(Settlement.Delivery d, String receivedSha256) {
    return new Settlement.Delivery(
        d.dispatchedAtMs(),
        d.firstTokenAtMs(),
        d.endedAtMs(),
        receivedSha256,
        d.clientResponseSha256(),
        d.deliveredCompletionLimit(),
        d.shownUsage(),
        null);
  }
}
