package dev.pinaivu.core.receipt;

import static dev.pinaivu.core.receipt.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.openai.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettlementTest {
  private static final Settlement SETTLEMENT = new Settlement(Fixtures.clockAt(T0 + 920));
  private static final String ACCOUNT = "acct_ref_1";

  private static Verification<Receipt> settle(ProofOfInference proof, Settlement.Delivery d) {
    return settle(Fixtures.offer(), proof, d);
  }

  private static Verification<Receipt> settle(
      SignedOffer offer, ProofOfInference proof, Settlement.Delivery d) {
    return receiptOf(
        SETTLEMENT.settle(
            Fixtures.signedToken(),
            offer,
            SignedProof.sign(proof, Fixtures.NODE),
            Fixtures.NODE.publicKey(),
            d,
            ACCOUNT));
  }

  private static Verification<Receipt> receiptOf(Verification<SettledReceipt> settled) {
    return settled.valid() ? Verification.valid(settled.value().receipt()) : settled.failure("");
  }

  private static Settlement.Delivery delivery(String reason) {
    return delivery(Fixtures.DELIVERED_COMPLETION_LIMIT, null, reason);
  }

  private static Settlement.Delivery delivery(long limit, Usage shown, String reason) {
    Settlement.Delivery d = Fixtures.delivery();
    return new Settlement.Delivery(
        d.dispatchedAtMs(),
        d.firstTokenAtMs(),
        d.endedAtMs(),
        d.receivedResponseSha256(),
        d.clientResponseSha256(),
        limit,
        shown,
        reason);
  }

  @Test
  void completedJob_billsTheWholeUsage_withinTheLimits() {
    Receipt receipt =
        settle(
                Fixtures.proof(Outcome.COMPLETED, Usage.of(300, 200), 200),
                delivery(250, null, null))
            .orElseThrow();

    assertThat(receipt.billedUsage()).isEqualTo(Usage.of(300, 200));
    assertThat(receipt.billing().limitedBy()).isEmpty();
    assertThat(receipt.charge().nodeAmount()).isEqualTo(165);
    assertThat(receipt.charge().fee()).isEqualTo(9);
    assertThat(receipt.charge().totalCharged()).isEqualTo(174);
    assertThat(receipt.note()).isNull();
    assertThat(receipt.outcome()).isEqualTo(Outcome.COMPLETED);
  }

  @Test
  void aNodeClaimingAMillionTokens_isBilledWhatItsDeliveredOutputCanAccountFor() {
    Receipt receipt =
        settle(
                Fixtures.proof(Outcome.COMPLETED, Usage.of(12, 1_000_000), 1_000_000),
                delivery(33, null, null))
            .orElseThrow();

    assertThat(receipt.usage()).isEqualTo(Usage.of(12, 1_000_000)); // the claim stays on record
    assertThat(receipt.billing().claimed()).isEqualTo(Usage.of(12, 1_000_000));
    assertThat(receipt.billedUsage()).isEqualTo(Usage.of(12, 33));
    assertThat(receipt.billing().limitedBy())
        .containsExactly(Billing.MAX_COMPLETION_TOKENS, Billing.DELIVERED_OUTPUT);
    assertThat(receipt.note())
        .isEqualTo(
            "the node claimed 12 prompt and 1000000 completion tokens; billed 12 and 33, limited"
                + " by max_completion_tokens, delivered_output");
  }

  @Test
  void aPromptClaimAboveTheRequestsLimit_isCutToIt() {
    Receipt receipt =
        settle(Fixtures.proof(Outcome.COMPLETED, Usage.of(50_000, 5), 5), delivery(33, null, null))
            .orElseThrow();

    assertThat(receipt.billedUsage()).isEqualTo(Usage.of(Fixtures.MAX_PROMPT_TOKENS, 5));
    assertThat(receipt.billing().limitedBy()).containsExactly(Billing.MAX_PROMPT_TOKENS);
  }

  @Test
  void theClientIsNeverBilledMoreThanTheUsageItWasShown() {
    Receipt receipt =
        settle(
                Fixtures.proof(Outcome.COMPLETED, Usage.of(12, 30), 30),
                delivery(33, Usage.of(12, 20), null))
            .orElseThrow();

    assertThat(receipt.billedUsage()).isEqualTo(Usage.of(12, 20));
    assertThat(receipt.billing().limitedBy()).containsExactly(Billing.SHOWN_USAGE);
  }

  @Test
  void whenNoOutputReachedTheClient_nothingIsBilled_andTheReceiptSaysSo() {
    Settlement.Delivery d = Fixtures.delivery();
    Settlement.Delivery gone =
        new Settlement.Delivery(
            d.dispatchedAtMs(),
            null,
            d.endedAtMs(),
            d.receivedResponseSha256(),
            d.clientResponseSha256(),
            0,
            null,
            "client disconnected");

    Receipt receipt = settle(Fixtures.proof(), gone).orElseThrow();

    assertThat(receipt.billedUsage()).isEqualTo(Usage.of(0, 0));
    assertThat(receipt.charge().totalCharged()).isZero();
    assertThat(receipt.times().firstTokenAtMs()).isNull();
    assertThat(receipt.billing().limitedBy()).containsExactly(Billing.NO_OUTPUT);
    assertThat(receipt.note())
        .isEqualTo(
            "cancelled (client disconnected): no output reached the client, so nothing is billed");
  }

  @Test
  void cancelledJob_billsOnlyDeliveredTokens_andSaysSo() {
    Receipt receipt = settle(Fixtures.proof(), Fixtures.delivery()).orElseThrow();

    assertThat(receipt.usage()).isEqualTo(Usage.of(12, 9));
    assertThat(receipt.billedUsage()).isEqualTo(Usage.of(12, 7));
    assertThat(receipt.note())
        .isEqualTo(
            "cancelled (client disconnected): billed the prompt and the 7 completion tokens"
                + " delivered (of 9 generated)");
    assertThat(receipt.charge().totalCharged()).isEqualTo(7);
  }

  @Test
  void failedJobWithNothingDelivered_billsNothing_soAFailoverNeverBillsTwice() {
    Receipt receipt =
        settle(Fixtures.proof(Outcome.FAILED, Usage.of(12, 3), 0), Fixtures.delivery())
            .orElseThrow();

    assertThat(receipt.billedUsage()).isEqualTo(Usage.of(0, 0));
    assertThat(receipt.charge().totalCharged()).isZero();
    assertThat(receipt.note())
        .isEqualTo("failed (client disconnected): nothing was delivered, so nothing is billed");
  }

  @Test
  void failedJobAfterSomeOutput_billsThePromptAndWhatWasDelivered() {
    Receipt receipt =
        settle(Fixtures.proof(Outcome.FAILED, Usage.of(12, 3), 2), delivery(null)).orElseThrow();

    assertThat(receipt.billedUsage()).isEqualTo(Usage.of(12, 2));
    assertThat(receipt.note())
        .isEqualTo(
            "failed: billed the prompt and the 2 completion tokens delivered (of 3 generated)");
  }

  @Test
  void completedJobWithAnEmptyAnswer_stillBillsThePrompt() {
    Receipt receipt =
        settle(Fixtures.proof(Outcome.COMPLETED, Usage.of(12, 0), 0), Fixtures.delivery())
            .orElseThrow();

    assertThat(receipt.billedUsage()).isEqualTo(Usage.of(12, 0));
  }

  @Test
  void anOfferThatDoesNotBackTheTokensPrice_isRefused() {
    SignedOffer cheaper =
        SignedOffer.sign(
            new NodeOffer(
                Fixtures.NODE_ID,
                T0,
                8,
                List.of(new ModelOffer(Fixtures.MODEL, new TokenPrice(1, 1), 8192))),
            new NodeKey(Fixtures.NODE));

    assertThat(settle(cheaper, Fixtures.proof(), Fixtures.delivery()).reason())
        .isEqualTo("node offer: its SHA-256 is not the dispatch token's offer_sha256");
  }

  @Test
  void anOfferSignedByAnotherKey_isRefused() {
    NodeKey stranger = NodeKey.generate();
    SignedOffer forged =
        new SignedOffer(
            Fixtures.offer().offer(),
            SignedOffer.sign(new NodeOffer(stranger.id(), T0, 1, List.of()), stranger).signature());

    assertThat(settle(forged, Fixtures.proof(), Fixtures.delivery()).reason())
        .isEqualTo("node offer: signature does not verify under the node's key");
  }

  @Test
  void responseDifferentFromWhatTheGatewayReceived_isRefused() {
    Settlement.Delivery d = Fixtures.delivery();
    Settlement.Delivery other =
        new Settlement.Delivery(
            d.dispatchedAtMs(),
            d.firstTokenAtMs(),
            d.endedAtMs(),
            "00".repeat(32),
            d.clientResponseSha256(),
            d.deliveredCompletionLimit(),
            null,
            null);

    assertThat(settle(Fixtures.proof(), other).reason())
        .isEqualTo("node proof: response_sha256 differs from what the gateway received");
  }

  @Test
  void proofForAnotherToken_isRefused() {
    ProofOfInference p = Fixtures.proof();
    ProofOfInference other =
        new ProofOfInference(
            p.v(),
            p.requestId(),
            p.nodeId(),
            p.model(),
            p.requestSha256(),
            p.responseSha256(),
            "00".repeat(32),
            p.outcome(),
            p.usage(),
            p.usageEstimated(),
            p.deliveredCompletionTokens(),
            p.startedAtMs(),
            p.endedAtMs());

    assertThat(settle(other, Fixtures.delivery()).reason())
        .isEqualTo("node proof: dispatch_token_sha256 is not the hash of this token");
  }

  @Test
  void proofUnderAnotherNodeKey_isRefused() {
    Verification<SettledReceipt> result =
        SETTLEMENT.settle(
            Fixtures.signedToken(),
            Fixtures.offer(),
            SignedProof.sign(Fixtures.proof(), Fixtures.NODE),
            Ed25519.PrivateKey.generate().publicKey(),
            Fixtures.delivery(),
            ACCOUNT);

    assertThat(result.reason()).startsWith("node proof: signature does not verify");
  }

  @Test
  void estimatedUsage_isNotedOnACompletedReceipt() {
    ProofOfInference p = Fixtures.proof(Outcome.COMPLETED, Usage.of(12, 9), 9);
    ProofOfInference estimated =
        new ProofOfInference(
            p.v(),
            p.requestId(),
            p.nodeId(),
            p.model(),
            p.requestSha256(),
            p.responseSha256(),
            p.dispatchTokenSha256(),
            p.outcome(),
            p.usage(),
            true,
            p.deliveredCompletionTokens(),
            p.startedAtMs(),
            p.endedAtMs());

    assertThat(settle(estimated, Fixtures.delivery()).orElseThrow().note())
        .isEqualTo("usage counted by the node: the inference server reported none");
  }

  @Test
  void settledReceipt_signsAndVerifies() {
    Receipt receipt = settle(Fixtures.proof(), Fixtures.delivery()).orElseThrow();

    SignedReceipt signed = new ReceiptSigner(Fixtures.COORDINATOR).sign(receipt);

    assertThat(Fixtures.verifier().verify(signed).value()).isEqualTo(receipt);
  }

  @Test
  void settledReceipt_signedWithTheSettlementsChecks_verifiesOffline() {
    SettledReceipt settled = settled(Fixtures.proof());

    SignedReceipt signed = new ReceiptSigner(Fixtures.COORDINATOR).sign(settled);

    assertThat(Fixtures.verifier().verify(signed).value()).isEqualTo(settled.receipt());
  }

  @Test
  void signer_refusesAProofOtherThanTheOneTheSettlementVerified() {
    SettledReceipt settled = settled(Fixtures.proof());
    SignedProof genuine = settled.receipt().nodeProof();
    SignedProof forged =
        new SignedProof(
            genuine.proof(),
            // the node's signature, but over other bytes
            SignedProof.sign(Fixtures.proof(Outcome.FAILED, Usage.of(12, 3), 0), Fixtures.NODE)
                .signature());
    SettledReceipt swapped =
        new SettledReceipt(
            with(settled.receipt(), forged, settled.receipt().nodeOffer()),
            settled.proof(),
            settled.offer());

    assertThatThrownBy(() -> new ReceiptSigner(Fixtures.COORDINATOR).sign(swapped))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refusing to sign: node proof: not the proof verified under this node key");
    // the same receipt without the settlement's evidence fails on the signature itself
    assertThatThrownBy(() -> new ReceiptSigner(Fixtures.COORDINATOR).sign(swapped.receipt()))
        .hasMessage(
            "refusing to sign: node proof: signature does not verify under the node's public key");
  }

  @Test
  void signer_refusesAnOfferOtherThanTheOneTheSettlementVerified() {
    SettledReceipt settled = settled(Fixtures.proof());
    SignedOffer genuine = settled.receipt().nodeOffer();
    SignedOffer forged =
        new SignedOffer(
            genuine.offer(),
            SignedOffer.sign(
                    new NodeOffer(Fixtures.NODE_ID, T0, 1, List.of()), new NodeKey(Fixtures.NODE))
                .signature());
    SettledReceipt swapped =
        new SettledReceipt(
            with(settled.receipt(), settled.receipt().nodeProof(), forged),
            settled.proof(),
            settled.offer());

    assertThatThrownBy(() -> new ReceiptSigner(Fixtures.COORDINATOR).sign(swapped))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refusing to sign: node offer: not the offer verified under this node key");
  }

  private static SettledReceipt settled(ProofOfInference proof) {
    return SETTLEMENT
        .settle(
            Fixtures.signedToken(),
            Fixtures.offer(),
            SignedProof.sign(proof, Fixtures.NODE),
            Fixtures.NODE.publicKey(),
            Fixtures.delivery(),
            ACCOUNT)
        .orElseThrow();
  }

  private static Receipt with(Receipt r, SignedProof proof, SignedOffer offer) {
    return new Receipt(
        r.v(),
        r.requestId(),
        r.accountRef(),
        r.model(),
        r.nodeId(),
        r.nodePublicKey(),
        r.coordinatorKeyId(),
        r.dispatchToken(),
        r.dispatchTokenSha256(),
        offer,
        r.requestSha256(),
        r.responseSha256(),
        r.clientResponseSha256(),
        r.outcome(),
        r.note(),
        r.times(),
        r.usage(),
        r.billing(),
        r.billedUsage(),
        r.charge(),
        proof);
  }
}
