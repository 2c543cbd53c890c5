package dev.pinaivu.core.receipt;

import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.openai.Usage;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules that tie a receipt together, beyond its signature: the embedded proof is the node's and
 * agrees with the receipt, the embedded token and offer back the prices, billed usage follows from
 * the claim and the limits, and the money adds up. Run by verifiers after the signature, and by
 * {@link ReceiptSigner} before signing (then without the node's signatures again, when the receipt
 * comes from a {@link Settlement} that checked them: {@link SettledReceipt}). Order and wording are
 * those of docs/receipts.md, "What a verifier checks". The dispatch token's own signature is
 * checked by {@link ReceiptVerifier}, which holds the trusted keys.
 */
final class ReceiptChecks {
  private ReceiptChecks() {}

  /**
   * Where the node's two signatures in a receipt are checked: here, or already by the {@link
   * Settlement} that built it, which then hands over what it verified.
   */
  private interface NodeSignatures {
    Verification<VerifiedProof> proof(SignedProof embedded, byte[] nodeKey);

    Verification<VerifiedOffer> offer(SignedOffer embedded, byte[] nodeKey);
  }

  private static final NodeSignatures CHECK_HERE =
      new NodeSignatures() {
        @Override
        public Verification<VerifiedProof> proof(SignedProof embedded, byte[] nodeKey) {
          return VerifiedProof.of(embedded, nodeKey);
        }

        @Override
        public Verification<VerifiedOffer> offer(SignedOffer embedded, byte[] nodeKey) {
          return VerifiedOffer.of(embedded, nodeKey);
        }
      };

  /** The first rule {@code receipt} breaks, or empty; the node's signatures are checked here. */
  static Optional<String> firstFailure(Receipt receipt) {
    return firstFailure(receipt, CHECK_HERE);
  }

  /**
   * The first rule {@code settled} breaks, or empty, the node's proof and offer being those its
   * {@link Settlement} verified: each must be exactly the one embedded, under the embedded key.
   */
  static Optional<String> firstFailure(SettledReceipt settled) {
    return firstFailure(
        settled.receipt(),
        new NodeSignatures() {
          @Override
          public Verification<VerifiedProof> proof(SignedProof embedded, byte[] nodeKey) {
            return settled.proof().as(embedded, nodeKey);
          }

          @Override
          public Verification<VerifiedOffer> offer(SignedOffer embedded, byte[] nodeKey) {
            return settled.offer().as(embedded, nodeKey);
          }
        });
  }

  private static Optional<String> firstFailure(Receipt receipt, NodeSignatures signatures) {
    byte[] nodeKey = Fields.publicKey(receipt.nodePublicKey(), "node_public_key");
    if (!NodeId.of(nodeKey).equals(receipt.nodeId())) {
      return Optional.of("node_public_key does not derive node_id " + receipt.nodeId());
    }
    Verification<VerifiedProof> verified = signatures.proof(receipt.nodeProof(), nodeKey);
    if (!verified.valid()) {
      return Optional.of(verified.reason());
    }
    ProofOfInference proof = verified.value().proof();
    Verification<DispatchToken> token = token(receipt);
    if (!token.valid()) {
      return Optional.of(token.reason());
    }
    return agreement(receipt, proof)
        .or(() -> usage(receipt.usage(), "usage"))
        .or(() -> usage(receipt.billing().claimed(), "billing.claimed"))
        .or(() -> shown(receipt.billing().shownUsage()))
        .or(() -> usage(receipt.billedUsage(), "billed_usage"))
        .or(() -> delivered(proof))
        .or(() -> tokenAgreement(receipt, token.value()))
        .or(() ->
            OfferCheck.firstFailure(signatures.offer(receipt.nodeOffer(), nodeKey), token.value()))
        .or(() -> billing(receipt, proof, token.value()))
        .or(() -> times(receipt.times()))
        .or(() -> charged(receipt, token.value()))
        .or(() -> receipt.charge().mismatchFor(receipt.billedUsage()));
  }

  /** The embedded token, read but not yet verified: its hash must be the receipt's. */
  private static Verification<DispatchToken> token(Receipt receipt) {
    String wire = receipt.dispatchToken();
    if (!SignedDispatchToken.sha256Of(wire).equals(receipt.dispatchTokenSha256())) {
      return Verification.invalid("dispatch_token_sha256 is not the SHA-256 of dispatch_token");
    }
    Verification<SignedDispatchToken.Parts> parts = SignedDispatchToken.split(wire);
    if (!parts.valid()) {
      return parts.failure("");
    }
    return SignedJson.read(parts.value().payload(), DispatchToken.class, "dispatch token");
  }

  private static Optional<String> agreement(Receipt receipt, ProofOfInference proof) {
    return differs("request_id", receipt.requestId(), proof.requestId())
        .or(() -> differs("node_id", receipt.nodeId(), proof.nodeId()))
        .or(() -> differs("model", receipt.model(), proof.model()))
        .or(() -> differs("request_sha256", receipt.requestSha256(), proof.requestSha256()))
        .or(() -> differs("response_sha256", receipt.responseSha256(), proof.responseSha256()))
        .or(() ->
            differs(
                "dispatch_token_sha256",
                receipt.dispatchTokenSha256(),
                proof.dispatchTokenSha256()))
        .or(() -> differs("outcome", receipt.outcome(), proof.outcome()))
        .or(() -> differs("usage", receipt.usage(), proof.usage()));
  }

  private static Optional<String> differs(String field, Object inReceipt, Object inProof) {
    return Objects.equals(inReceipt, inProof)
        ? Optional.empty()
        : Optional.of("node proof: " + field + " differs from the receipt's");
  }

  private static Optional<String> tokenAgreement(Receipt receipt, DispatchToken token) {
    String mismatch = null;
    if (!token.requestId().equals(receipt.requestId())) {
      mismatch = "request_id";
    } else if (!token.nodeId().equals(receipt.nodeId())) {
      mismatch = "node_id";
    } else if (!token.model().equals(receipt.model())) {
      mismatch = "model";
    } else if (!token.requestSha256().equals(receipt.requestSha256())) {
      mismatch = "request_sha256";
    }
    return mismatch == null
        ? Optional.empty()
        : Optional.of("dispatch token: " + mismatch + " differs from the receipt's");
  }

  private static Optional<String> usage(Usage usage, String field) {
    if (usage.totalTokens() != usage.promptTokens() + usage.completionTokens()) {
      return Optional.of(
          String.format(
              "%s.total_tokens %d != prompt_tokens %d + completion_tokens %d",
              field, usage.totalTokens(), usage.promptTokens(), usage.completionTokens()));
    }
    return Optional.empty();
  }

  private static Optional<String> shown(Usage shown) {
    return shown == null ? Optional.empty() : usage(shown, "billing.shown_usage");
  }

  private static Optional<String> delivered(ProofOfInference proof) {
    long delivered = proof.deliveredCompletionTokens();
    if (delivered > proof.usage().completionTokens()) {
      return Optional.of(
          String.format(
              "node proof: delivered_completion_tokens %d > usage.completion_tokens %d",
              delivered, proof.usage().completionTokens()));
    }
    if (proof.outcome() == Outcome.COMPLETED && delivered != proof.usage().completionTokens()) {
      return Optional.of(
          "node proof: a completed job must deliver all usage.completion_tokens, but delivered "
              + delivered);
    }
    return Optional.empty();
  }

  private static Optional<String> billing(
      Receipt receipt, ProofOfInference proof, DispatchToken token) {
    Billing billing = receipt.billing();
    Usage claimed = proof.billedUsage();
    if (!billing.claimed().equals(claimed)) {
      return Optional.of(
          String.format(
              "billing.claimed %d/%d != %d/%d: %s",
              billing.claimed().promptTokens(),
              billing.claimed().completionTokens(),
              claimed.promptTokens(),
              claimed.completionTokens(),
              claimRule(proof)));
    }
    Billing.Computed expected =
        Billing.compute(
            claimed,
            token.limits(),
            receipt.times().firstTokenAtMs() != null,
            billing.deliveredCompletionLimit(),
            billing.shownUsage());
    if (!billing.limitedBy().equals(expected.billing().limitedBy())) {
      return Optional.of(
          "billing.limited_by "
              + billing.limitedBy()
              + " != "
              + expected.billing().limitedBy()
              + ": the limits below the claim");
    }
    Usage billed = receipt.billedUsage();
    if (!billed.equals(expected.billed())) {
      return Optional.of(
          String.format(
              "billed_usage %d/%d != %d/%d: the claim cut to every limit",
              billed.promptTokens(),
              billed.completionTokens(),
              expected.billed().promptTokens(),
              expected.billed().completionTokens()));
    }
    if (receipt.note() == null
        && (receipt.outcome() != Outcome.COMPLETED || !billing.limitedBy().isEmpty())) {
      return Optional.of(
          "note is missing: a receipt that is not completed, or billed less than claimed, must say"
              + " what was billed");
    }
    return Optional.empty();
  }

  private static String claimRule(ProofOfInference proof) {
    if (proof.outcome() == Outcome.COMPLETED) {
      return "a completed job claims its whole usage";
    }
    return proof.deliveredCompletionTokens() == 0
        ? "a " + proof.outcome().wire() + " job that delivered nothing claims nothing"
        : "a " + proof.outcome().wire() + " job claims the prompt and the delivered tokens";
  }

  private static Optional<String> charged(Receipt receipt, DispatchToken token) {
    if (receipt.charge().inputMicrosPerMtok() != token.inputMicrosPerMtok()
        || receipt.charge().outputMicrosPerMtok() != token.outputMicrosPerMtok()) {
      return Optional.of("charge: prices are not the dispatch token's");
    }
    if (receipt.charge().feeBps() != token.feeBps()) {
      return Optional.of(
          "charge.fee_bps "
              + receipt.charge().feeBps()
              + " is not the dispatch token's fee_bps "
              + token.feeBps());
    }
    return Optional.empty();
  }

  private static Optional<String> times(Receipt.Times times) {
    Long first = times.firstTokenAtMs();
    if (first != null && first < times.dispatchedAtMs()) {
      return Optional.of("times.first_token_at_ms is before times.dispatched_at_ms");
    }
    if (times.endedAtMs() < (first != null ? first : times.dispatchedAtMs())) {
      return Optional.of("times.ended_at_ms is before the dispatch or the first token");
    }
    if (times.issuedAtMs() < times.endedAtMs()) {
      return Optional.of("times.issued_at_ms is before times.ended_at_ms");
    }
    return Optional.empty();
  }
}
