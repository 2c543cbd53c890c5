package dev.pinaivu.core.receipt;

import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.openai.Usage;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules that tie a receipt together, beyond its signature: the embedded proof is the node's and
 * agrees with the receipt, billed usage follows from the outcome, and the money adds up. Run by
 * verifiers after the signature, and by {@link ReceiptSigner} before signing. Order and wording are
 * those of docs/receipts.md, "What a verifier checks".
 */
final class ReceiptChecks {
  private ReceiptChecks() {}

  /** The first rule {@code receipt} breaks, or empty. */
  static Optional<String> firstFailure(Receipt receipt) {
    byte[] nodeKey = Fields.publicKey(receipt.nodePublicKey(), "node_public_key");
    if (!NodeId.of(nodeKey).equals(receipt.nodeId())) {
      return Optional.of("node_public_key does not derive node_id " + receipt.nodeId());
    }
    Verification<ProofOfInference> proof = receipt.nodeProof().verify(nodeKey);
    if (!proof.valid()) {
      return Optional.of(proof.reason());
    }
    return agreement(receipt, proof.value())
        .or(() -> usage(receipt.usage(), "usage"))
        .or(() -> usage(receipt.billedUsage(), "billed_usage"))
        .or(() -> billing(receipt, proof.value()))
        .or(() -> times(receipt.times()))
        .or(() -> receipt.charge().mismatchFor(receipt.billedUsage()));
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

  private static Optional<String> usage(Usage usage, String field) {
    if (usage.totalTokens() != usage.promptTokens() + usage.completionTokens()) {
      return Optional.of(
          String.format(
              "%s.total_tokens %d != prompt_tokens %d + completion_tokens %d",
              field, usage.totalTokens(), usage.promptTokens(), usage.completionTokens()));
    }
    return Optional.empty();
  }

  private static Optional<String> billing(Receipt receipt, ProofOfInference proof) {
    long delivered = proof.deliveredCompletionTokens();
    Usage billed = receipt.billedUsage();
    if (delivered > proof.usage().completionTokens()) {
      return Optional.of(
          String.format(
              "node proof: delivered_completion_tokens %d > usage.completion_tokens %d",
              delivered, proof.usage().completionTokens()));
    }
    if (receipt.outcome() == Outcome.COMPLETED && delivered != proof.usage().completionTokens()) {
      return Optional.of(
          "node proof: a completed job must deliver all usage.completion_tokens, but delivered "
              + delivered);
    }
    Usage expected = proof.billedUsage();
    String rule = billingRule(receipt.outcome(), delivered);
    if (billed.promptTokens() != expected.promptTokens()) {
      return Optional.of(
          String.format(
              "billed_usage.prompt_tokens %d != %d: %s",
              billed.promptTokens(), expected.promptTokens(), rule));
    }
    if (billed.completionTokens() != expected.completionTokens()) {
      return Optional.of(
          String.format(
              "billed_usage.completion_tokens %d != delivered_completion_tokens %d: %s",
              billed.completionTokens(), expected.completionTokens(), rule));
    }
    if (receipt.outcome() != Outcome.COMPLETED && receipt.note() == null) {
      return Optional.of(
          "note is missing: a " + receipt.outcome().wire() + " receipt must say what was billed");
    }
    return Optional.empty();
  }

  private static String billingRule(Outcome outcome, long delivered) {
    if (outcome == Outcome.COMPLETED) {
      return "a completed job bills its whole usage";
    }
    return delivered == 0
        ? "a " + outcome.wire() + " job that delivered nothing bills nothing"
        : "a " + outcome.wire() + " job bills the prompt and the delivered tokens";
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
