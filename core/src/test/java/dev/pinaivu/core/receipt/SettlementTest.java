package dev.pinaivu.core.receipt;

import static dev.pinaivu.core.receipt.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.pricing.FeePolicy;
import org.junit.jupiter.api.Test;

class SettlementTest {
  private static final Settlement SETTLEMENT =
      new Settlement(Fixtures.FEES, Fixtures.clockAt(T0 + 920));
  private static final String ACCOUNT = "acct_ref_1";

  private static Verification<Receipt> settle(ProofOfInference proof, Settlement.Delivery d) {
    return SETTLEMENT.settle(
        Fixtures.signedToken(),
        SignedProof.sign(proof, Fixtures.NODE),
        Fixtures.NODE.publicKey(),
        d,
        ACCOUNT);
  }

  private static Settlement.Delivery delivery(String reason) {
    Settlement.Delivery d = Fixtures.delivery();
    return new Settlement.Delivery(
        d.dispatchedAtMs(), d.firstTokenAtMs(), d.endedAtMs(), d.receivedResponseSha256(), reason);
  }

  @Test
  void completedJob_billsTheWholeUsage() {
    Receipt receipt =
        settle(Fixtures.proof(Outcome.COMPLETED, Usage.of(1000, 500), 500), Fixtures.delivery())
            .orElseThrow();

    assertThat(receipt.billedUsage()).isEqualTo(Usage.of(1000, 500));
    assertThat(receipt.charge().nodeAmount()).isEqualTo(450);
    assertThat(receipt.charge().fee()).isEqualTo(23);
    assertThat(receipt.charge().totalCharged()).isEqualTo(473);
    assertThat(receipt.note()).isNull();
    assertThat(receipt.outcome()).isEqualTo(Outcome.COMPLETED);
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
  void freeOffer_andNoFee_chargeNothing() {
    Receipt receipt =
        new Settlement(FeePolicy.NONE, Fixtures.clockAt(T0 + 920))
            .settle(
                Fixtures.signedToken(),
                SignedProof.sign(Fixtures.proof(), Fixtures.NODE),
                Fixtures.NODE.publicKey(),
                Fixtures.delivery(),
                ACCOUNT)
            .orElseThrow();

    assertThat(receipt.charge().fee()).isZero();
    assertThat(receipt.charge().feeBps()).isZero();
  }

  @Test
  void responseDifferentFromWhatTheGatewayReceived_isRefused() {
    Settlement.Delivery d = Fixtures.delivery();
    Settlement.Delivery other =
        new Settlement.Delivery(
            d.dispatchedAtMs(), d.firstTokenAtMs(), d.endedAtMs(), "00".repeat(32), null);

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
    Verification<Receipt> result =
        SETTLEMENT.settle(
            Fixtures.signedToken(),
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
}
