package dev.pinaivu.core.receipt;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.pricing.Charge;
import dev.pinaivu.core.pricing.FeePolicy;
import java.util.Objects;

/**
 * The coordinator's authorisation for one node to run one request, at the price of the node's own
 * signed offer, within token limits, until a deadline. A node refuses a job whose token does not
 * verify ({@link DispatchTokenVerifier}). It travels in the job frame's {@code dispatch_token} as
 * the compact form of {@link SignedDispatchToken}, and a receipt embeds it, so that anyone can
 * check the prices and limits the request was billed under.
 *
 * @param v format version, {@value #VERSION}
 * @param requestSha256 lower-case hex SHA-256 of the exact HTTP body bytes the client sent
 * @param inputMicrosPerMtok the node's offered price, µUSD per million prompt tokens
 * @param outputMicrosPerMtok the node's offered price, µUSD per million completion tokens
 * @param offerSha256 SHA-256 of the canonical signed offer the prices come from ({@link
 *     SignedOffer#sha256()})
 * @param feeBps the network fee the coordinator charges on top, in basis points
 * @param maxPromptTokens the most prompt tokens this request can bill: the gateway's limit from the
 *     request bytes (docs/receipts.md, "Usage limits")
 * @param maxCompletionTokens the most completion tokens the job can bill, all choices together: n ×
 *     the client's max_tokens, or n × the network's default when the client set none; the node
 *     stops generating there
 * @param expiresAtMs after this the node must not start the job
 * @param settleByMs after this the coordinator settles the job no more
 * @param coordinatorKeyId the signing key's id (hex SHA-256 of its public key)
 */
public record DispatchToken(
    int v,
    RequestId requestId,
    String requestSha256,
    NodeId nodeId,
    String model,
    long inputMicrosPerMtok,
    long outputMicrosPerMtok,
    String offerSha256,
    int feeBps,
    long maxPromptTokens,
    long maxCompletionTokens,
    long issuedAtMs,
    long expiresAtMs,
    long settleByMs,
    String coordinatorKeyId) {
  public static final int VERSION = 2;

  public DispatchToken {
    Fields.version(v, VERSION, "dispatch token");
    Fields.present(requestId, "request_id");
    Fields.sha256Hex(requestSha256, "request_sha256");
    Fields.present(nodeId, "node_id");
    Fields.model(model);
    new TokenPrice(inputMicrosPerMtok, outputMicrosPerMtok);
    Fields.sha256Hex(offerSha256, "offer_sha256");
    new FeePolicy(feeBps);
    Fields.count(maxPromptTokens, "max_prompt_tokens");
    Fields.count(maxCompletionTokens, "max_completion_tokens");
    if (maxCompletionTokens < 1) {
      throw new IllegalArgumentException("max_completion_tokens must be at least 1");
    }
    Fields.millis(issuedAtMs, "issued_at_ms");
    if (expiresAtMs <= issuedAtMs) {
      throw new IllegalArgumentException("expires_at_ms must be after issued_at_ms");
    }
    if (settleByMs < expiresAtMs) {
      throw new IllegalArgumentException("settle_by_ms must not be before expires_at_ms");
    }
    Fields.sha256Hex(coordinatorKeyId, "coordinator_key_id");
  }

  public TokenPrice price() {
    return new TokenPrice(inputMicrosPerMtok, outputMicrosPerMtok);
  }

  public FeePolicy fees() {
    return new FeePolicy(feeBps);
  }

  /** The token limits as a usage: the most this job can bill. */
  public Usage limits() {
    return Usage.of(maxPromptTokens, maxCompletionTokens);
  }

  /**
   * The most this job can cost the client, in µUSD: its token limits at its prices plus the fee.
   * What admission holds against the client's credit and the key's budget.
   *
   * @throws ArithmeticException when that overflows 64 bits (the coordinator signs no such token)
   */
  public long maxChargeMicros() {
    return Charge.of(limits(), price(), fees()).totalCharged();
  }

  /** True when this token pays at least {@code offer} for both input and output tokens. */
  public boolean paysAtLeast(TokenPrice offer) {
    Objects.requireNonNull(offer, "offer");
    return inputMicrosPerMtok >= offer.inputMicrosPerMillion()
        && outputMicrosPerMtok >= offer.outputMicrosPerMillion();
  }
}
