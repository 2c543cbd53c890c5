package dev.pinaivu.core.receipt;

import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.pricing.Charge;
import dev.pinaivu.core.pricing.FeePolicy;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The coordinator's last step for a request: check the node's proof against the dispatch token it
 * signed and against what the gateway received, compute the charge from the billed usage, and build
 * the receipt for {@link ReceiptSigner}. Billing: the prompt, plus the completion tokens the node
 * delivered (all of them when completed).
 */
public final class Settlement {
  private final FeePolicy fees;
  private final Clock clock;

  /**
   * What the gateway observed, on the coordinator's clock.
   *
   * @param firstTokenAtMs null when no output reached the client
   * @param receivedResponseSha256 the gateway's {@link ResponseDigest} of the frames it received;
   *     null to skip that check
   * @param reason why a job stopped early ("client disconnected"); null when it did not
   */
  public record Delivery(
      long dispatchedAtMs,
      Long firstTokenAtMs,
      long endedAtMs,
      String receivedResponseSha256,
      String reason) {}

  public Settlement(FeePolicy fees, Clock clock) {
    this.fees = Objects.requireNonNull(fees, "fees");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Verification<Receipt> settle(
      SignedDispatchToken token,
      SignedProof signedProof,
      byte[] nodePublicKey,
      Delivery delivery,
      String accountRef) {
    Verification<ProofOfInference> verified = signedProof.verify(nodePublicKey);
    if (!verified.valid()) {
      return verified.failure("");
    }
    ProofOfInference proof = verified.value();
    Optional<String> mismatch =
        againstToken(proof, token).or(() -> againstGateway(proof, delivery));
    if (mismatch.isPresent()) {
      return Verification.invalid(mismatch.get());
    }
    Usage billed = proof.billedUsage();
    Charge charge;
    try {
      charge = Charge.of(billed, token.token().price(), fees);
    } catch (ArithmeticException e) {
      return Verification.invalid("cannot price the request: " + e.getMessage());
    }
    long issuedAt = Math.max(clock.millis(), delivery.endedAtMs());
    Receipt receipt =
        new Receipt(
            Receipt.VERSION,
            proof.requestId(),
            accountRef,
            proof.model(),
            proof.nodeId(),
            B64.encode(nodePublicKey),
            token.token().coordinatorKeyId(),
            token.sha256(),
            proof.requestSha256(),
            proof.responseSha256(),
            proof.outcome(),
            note(proof, delivery.reason()),
            new Receipt.Times(
                delivery.dispatchedAtMs(),
                delivery.firstTokenAtMs(),
                delivery.endedAtMs(),
                issuedAt),
            proof.usage(),
            billed,
            charge,
            signedProof);
    return ReceiptChecks.firstFailure(receipt)
        .<Verification<Receipt>>map(Verification::invalid)
        .orElseGet(() -> Verification.valid(receipt));
  }

  private static Optional<String> againstToken(ProofOfInference proof, SignedDispatchToken signed) {
    DispatchToken token = signed.token();
    if (!proof.nodeId().equals(token.nodeId())) {
      return Optional.of("node proof: node_id is not the node the token dispatched to");
    }
    if (!proof.requestId().equals(token.requestId())) {
      return Optional.of("node proof: request_id differs from the dispatch token's");
    }
    if (!proof.model().equals(token.model())) {
      return Optional.of("node proof: model differs from the dispatch token's");
    }
    if (!proof.requestSha256().equals(token.requestSha256())) {
      return Optional.of("node proof: request_sha256 differs from the dispatch token's");
    }
    if (!proof.dispatchTokenSha256().equals(signed.sha256())) {
      return Optional.of("node proof: dispatch_token_sha256 is not the hash of this token");
    }
    return Optional.empty();
  }

  private static Optional<String> againstGateway(ProofOfInference proof, Delivery delivery) {
    String received = delivery.receivedResponseSha256();
    if (received != null && !received.equals(proof.responseSha256())) {
      return Optional.of("node proof: response_sha256 differs from what the gateway received");
    }
    return Optional.empty();
  }

  private static String note(ProofOfInference proof, String reason) {
    if (proof.outcome() == Outcome.COMPLETED) {
      return proof.usageEstimated()
          ? "usage counted by the node: the inference server reported none"
          : null;
    }
    String why = reason == null || reason.isBlank() ? "" : " (" + shortened(reason.strip()) + ")";
    if (proof.deliveredCompletionTokens() == 0) {
      return proof.outcome().wire() + why + ": nothing was delivered, so nothing is billed";
    }
    return String.format(
        "%s%s: billed the prompt and the %d completion tokens delivered (of %d generated)",
        proof.outcome().wire(),
        why,
        proof.deliveredCompletionTokens(),
        proof.usage().completionTokens());
  }

  private static String shortened(String reason) {
    return reason.length() <= 200 ? reason : reason.substring(0, 200) + "…";
  }
}
