package dev.pinaivu.core.receipt;

import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.pricing.Charge;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The coordinator's last step for a request: check the node's proof against the dispatch token and
 * against what the gateway received, bill the node's claim cut to every limit the node cannot move
 * ({@link Billing}), price it at the token's prices and fee, and build the receipt for {@link
 * ReceiptSigner}. The node's proof and offer are verified here, once each, and travel with the
 * receipt as {@link SettledReceipt}, so neither the final rules nor the signer checks them again.
 */
public final class Settlement {
  private final Clock clock;

  /**
   * What the gateway observed, on the coordinator's clock.
   *
   * @param firstTokenAtMs when output first reached the client; null when none did (then nothing is
   *     billed)
   * @param receivedResponseSha256 the gateway's {@link ResponseDigest} of the frames it received;
   *     null to skip that check
   * @param clientResponseSha256 SHA-256 of exactly the bytes the gateway wrote to the client
   * @param deliveredCompletionLimit the completion tokens the output that reached the client can
   *     account for ({@code OutputMeter}); 0 when none did
   * @param shownUsage the usage in the response the client received; null when it was shown none
   * @param reason why a job stopped early ("client disconnected"); null when it did not
   */
  public record Delivery(
      long dispatchedAtMs,
      Long firstTokenAtMs,
      long endedAtMs,
      String receivedResponseSha256,
      String clientResponseSha256,
      long deliveredCompletionLimit,
      Usage shownUsage,
      String reason) {
    public Delivery {
      if (receivedResponseSha256 != null) {
        Fields.sha256Hex(receivedResponseSha256, "received_response_sha256");
      }
      Fields.sha256Hex(clientResponseSha256, "client_response_sha256");
      Fields.count(deliveredCompletionLimit, "delivered_completion_limit");
    }

    public boolean outputReachedClient() {
      return firstTokenAtMs != null;
    }
  }

  public Settlement(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A receipt to be signed by the key that signed {@code token}; {@code token} is verified by the
   * caller ({@link SignedDispatchToken#read}), the proof and the offer here.
   *
   * @param offer the signed offer the token names ({@code offer_sha256}); checked here against the
   *     token and the node key
   */
  public Verification<SettledReceipt> settle(
      SignedDispatchToken token,
      SignedOffer offer,
      SignedProof signedProof,
      byte[] nodePublicKey,
      Delivery delivery,
      String accountRef) {
    return settle(
        token,
        offer,
        signedProof,
        nodePublicKey,
        delivery,
        accountRef,
        token.token().coordinatorKeyId());
  }

  /**
   * A receipt to be signed by the key {@code signerKeyId}: a successor's, for a token its
   * predecessor signed before it restarted.
   */
  public Verification<SettledReceipt> settle(
      SignedDispatchToken token,
      SignedOffer offer,
      SignedProof signedProof,
      byte[] nodePublicKey,
      Delivery delivery,
      String accountRef,
      String signerKeyId) {
    Verification<VerifiedProof> verified = VerifiedProof.of(signedProof, nodePublicKey);
    if (!verified.valid()) {
      return verified.failure("");
    }
    ProofOfInference proof = verified.value().proof();
    Optional<String> beforeOffer = againstToken(proof, token);
    if (beforeOffer.isPresent()) {
      return Verification.invalid(beforeOffer.get());
    }
    Verification<VerifiedOffer> verifiedOffer = VerifiedOffer.of(offer, nodePublicKey);
    Optional<String> mismatch =
        OfferCheck.firstFailure(verifiedOffer, token.token())
            .or(() -> againstGateway(proof, delivery));
    if (mismatch.isPresent()) {
      return Verification.invalid(mismatch.get());
    }
    DispatchToken t = token.token();
    Billing.Computed billing =
        Billing.compute(
            proof.billedUsage(),
            t.limits(),
            delivery.outputReachedClient(),
            delivery.deliveredCompletionLimit(),
            delivery.shownUsage());
    Charge charge;
    try {
      charge = Charge.of(billing.billed(), t.price(), t.fees());
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
            signerKeyId,
            token.wire(),
            token.sha256(),
            offer,
            proof.requestSha256(),
            proof.responseSha256(),
            delivery.clientResponseSha256(),
            proof.outcome(),
            BillingNote.of(proof, billing, delivery.outputReachedClient(), delivery.reason()),
            new Receipt.Times(
                delivery.dispatchedAtMs(),
                delivery.firstTokenAtMs(),
                delivery.endedAtMs(),
                issuedAt),
            proof.usage(),
            billing.billing(),
            billing.billed(),
            charge,
            signedProof);
    SettledReceipt settled = new SettledReceipt(receipt, verified.value(), verifiedOffer.value());
    return ReceiptChecks.firstFailure(
            settled) // every rule a verifier checks, signatures done above
        .<Verification<SettledReceipt>>map(Verification::invalid)
        .orElseGet(() -> Verification.valid(settled));
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
}
