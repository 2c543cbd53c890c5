package dev.pinaivu.core.receipt;

import dev.pinaivu.core.openai.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a receipt's billed usage follows from what the node claimed and from limits the node cannot
 * move: the {@code billing} member of a receipt (docs/receipts.md, "What is billed"). Billed is the
 * claim, cut to every limit below it; {@code limited_by} names those limits, so a receipt says when
 * and why it billed less than the node claimed.
 *
 * <ul>
 *   <li>{@value #NO_OUTPUT}: no output reached the client, so nothing is billed;
 *   <li>{@value #MAX_PROMPT_TOKENS}, {@value #MAX_COMPLETION_TOKENS}: the dispatch token's limits
 *       (the request's bytes, the client's {@code max_tokens});
 *   <li>{@value #DELIVERED_OUTPUT}: the completion tokens the output that reached the client can
 *       account for ({@code delivered_completion_limit});
 *   <li>{@value #SHOWN_USAGE}: the usage the client was shown in its response, when it was shown
 *       one: a client is never billed more than its response said.
 * </ul>
 *
 * @param claimed what the node's proof bills by its outcome (all of a completed job; the prompt and
 *     the delivered tokens of a cancelled or failed one)
 * @param deliveredCompletionLimit the gateway's limit from the output that reached the client
 * @param shownUsage the usage in the response the client received; null when it was shown none
 * @param limitedBy the limits below the claim, in the order above
 */
public record Billing(
    Usage claimed, long deliveredCompletionLimit, Usage shownUsage, List<String> limitedBy) {
  public static final String NO_OUTPUT = "no_output";
  public static final String MAX_PROMPT_TOKENS = "max_prompt_tokens";
  public static final String MAX_COMPLETION_TOKENS = "max_completion_tokens";
  public static final String DELIVERED_OUTPUT = "delivered_output";
  public static final String SHOWN_USAGE = "shown_usage";

  public Billing {
    Fields.present(claimed, "billing.claimed");
    Fields.count(deliveredCompletionLimit, "billing.delivered_completion_limit");
    limitedBy = List.copyOf(Fields.present(limitedBy, "billing.limited_by"));
  }

  /** The billing of a claim under these limits, and the usage it bills. */
  public record Computed(Billing billing, Usage billed) {}

  /**
   * Applies every limit to {@code claimed}.
   *
   * @param tokenLimits the dispatch token's {@code max_prompt_tokens} and {@code
   *     max_completion_tokens}
   * @param outputReachedClient false when nothing reached the client: then nothing is billed
   */
  public static Computed compute(
      Usage claimed,
      Usage tokenLimits,
      boolean outputReachedClient,
      long deliveredCompletionLimit,
      Usage shownUsage) {
    Objects.requireNonNull(claimed, "claimed");
    Objects.requireNonNull(tokenLimits, "tokenLimits");
    List<String> limitedBy = new ArrayList<>();
    if (!outputReachedClient) {
      if (claimed.totalTokens() > 0) {
        limitedBy.add(NO_OUTPUT);
      }
      return new Computed(
          new Billing(claimed, deliveredCompletionLimit, shownUsage, limitedBy), Usage.of(0, 0));
    }
    long prompt = claimed.promptTokens();
    long completion = claimed.completionTokens();
    if (tokenLimits.promptTokens() < prompt) {
      limitedBy.add(MAX_PROMPT_TOKENS);
    }
    if (tokenLimits.completionTokens() < completion) {
      limitedBy.add(MAX_COMPLETION_TOKENS);
    }
    if (deliveredCompletionLimit < completion) {
      limitedBy.add(DELIVERED_OUTPUT);
    }
    long billedPrompt = Math.min(prompt, tokenLimits.promptTokens());
    long billedCompletion =
        Math.min(completion, Math.min(tokenLimits.completionTokens(), deliveredCompletionLimit));
    if (shownUsage != null
        && (shownUsage.promptTokens() < prompt || shownUsage.completionTokens() < completion)) {
      limitedBy.add(SHOWN_USAGE);
      billedPrompt = Math.min(billedPrompt, shownUsage.promptTokens());
      billedCompletion = Math.min(billedCompletion, shownUsage.completionTokens());
    }
    return new Computed(
        new Billing(claimed, deliveredCompletionLimit, shownUsage, limitedBy),
        Usage.of(billedPrompt, billedCompletion));
  }
}
