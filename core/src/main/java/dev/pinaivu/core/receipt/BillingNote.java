package dev.pinaivu.core.receipt;

import java.util.ArrayList;
import java.util.List;

/**
 * The receipt's {@code note}: in words, what was billed when the job did not complete or a limit
 * cut the node's claim. A completed job billed as claimed has none, unless the node counted the
 * usage itself.
 */
final class BillingNote {
  private static final int MAX_REASON = 200;

  private BillingNote() {}

  static String of(
      ProofOfInference proof, Billing.Computed computed, boolean outputReached, String reason) {
    Billing billing = computed.billing();
    List<String> parts = new ArrayList<>();
    if (proof.outcome() != Outcome.COMPLETED) {
      String why = reason == null || reason.isBlank() ? "" : " (" + shortened(reason.strip()) + ")";
      parts.add(proof.outcome().wire() + why);
    }
    if (!outputReached) {
      parts.add("no output reached the client, so nothing is billed");
    } else if (proof.outcome() != Outcome.COMPLETED && proof.deliveredCompletionTokens() == 0) {
      parts.add("nothing was delivered, so nothing is billed");
    } else if (proof.outcome() != Outcome.COMPLETED) {
      parts.add(
          String.format(
              "billed the prompt and the %d completion tokens delivered (of %d generated)",
              proof.deliveredCompletionTokens(), proof.usage().completionTokens()));
    } else if (proof.usageEstimated()) {
      parts.add("usage counted by the node: the inference server reported none");
    }
    List<String> limits = new ArrayList<>(billing.limitedBy());
    limits.remove(Billing.NO_OUTPUT);
    if (!limits.isEmpty()) {
      parts.add(
          String.format(
              "the node claimed %d prompt and %d completion tokens; billed %d and %d, limited by %s",
              billing.claimed().promptTokens(),
              billing.claimed().completionTokens(),
              computed.billed().promptTokens(),
              computed.billed().completionTokens(),
              String.join(", ", limits)));
    }
    return parts.isEmpty() ? null : String.join(": ", parts);
  }

  private static String shortened(String reason) {
    return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON) + "…";
  }
}
