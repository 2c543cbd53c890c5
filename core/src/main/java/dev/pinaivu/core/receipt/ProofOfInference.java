package dev.pinaivu.core.receipt;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.openai.Usage;

/**
 * What a node signs when a job ends: which request it ran, on which model, what it streamed (by
 * hash), how many tokens, when, and how it ended. Signed with the node key as {@code
 * "pinaivu/proof/v1\n" + JCS(proof)} ({@link SignedProof}).
 *
 * @param v format version, {@value #VERSION}
 * @param requestSha256 the dispatch token's request hash (the exact client bytes)
 * @param responseSha256 the {@link ResponseDigest} of the output frames the node sent
 * @param dispatchTokenSha256 SHA-256 of the dispatch token's wire form, binding the authorisation
 * @param usage the tokens the inference server processed and generated
 * @param usageEstimated true when the server reported no usage and the node counted itself
 * @param deliveredCompletionTokens completion tokens in the frames the node sent; equals {@code
 *     usage.completion_tokens} when completed, and may be lower when cancelled or failed
 * @param startedAtMs node clock, when it sent the job upstream
 * @param endedAtMs node clock, when the job ended
 */
public record ProofOfInference(
    int v,
    RequestId requestId,
    NodeId nodeId,
    String model,
    String requestSha256,
    String responseSha256,
    String dispatchTokenSha256,
    Outcome outcome,
    Usage usage,
    boolean usageEstimated,
    long deliveredCompletionTokens,
    long startedAtMs,
    long endedAtMs) {
  public static final int VERSION = 1;

  public ProofOfInference {
    Fields.version(v, VERSION, "proof");
    Fields.present(requestId, "request_id");
    Fields.present(nodeId, "node_id");
    Fields.model(model);
    Fields.sha256Hex(requestSha256, "request_sha256");
    Fields.sha256Hex(responseSha256, "response_sha256");
    Fields.sha256Hex(dispatchTokenSha256, "dispatch_token_sha256");
    Fields.present(outcome, "outcome");
    Fields.present(usage, "usage");
    if (deliveredCompletionTokens < 0) {
      throw new IllegalArgumentException("delivered_completion_tokens cannot be negative");
    }
    Fields.millis(startedAtMs, "started_at_ms");
    if (endedAtMs < startedAtMs) {
      throw new IllegalArgumentException("ended_at_ms is before started_at_ms");
    }
  }

  /**
   * What this job bills: everything when completed; otherwise the completion tokens delivered, and
   * the prompt only if some output was delivered (a job that failed or was cancelled before its
   * first token costs nothing, so a silent failover never bills the client twice).
   */
  public Usage billedUsage() {
    if (outcome == Outcome.COMPLETED) {
      return usage;
    }
    long prompt = deliveredCompletionTokens > 0 ? usage.promptTokens() : 0;
    return Usage.of(prompt, deliveredCompletionTokens);
  }
}
