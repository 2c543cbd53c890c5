package dev.pinaivu.core.receipt;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.node.NodeId;
import java.util.Objects;

/**
 * The coordinator's authorisation for one node to run one request, at one price, until a deadline.
 * A node refuses a job whose token does not verify ({@link DispatchTokenVerifier}). It travels in
 * the job frame's {@code dispatch_token} as the compact form of {@link SignedDispatchToken}.
 *
 * @param v format version, {@value #VERSION}
 * @param requestSha256 lower-case hex SHA-256 of the exact HTTP body bytes the client sent
 * @param inputMicrosPerMtok the winning offer's price, µUSD per million prompt tokens
 * @param outputMicrosPerMtok the winning offer's price, µUSD per million completion tokens
 * @param maxTokens the client's {@code max_completion_tokens}/{@code max_tokens}; null when unset
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
    Integer maxTokens,
    long issuedAtMs,
    long expiresAtMs,
    String coordinatorKeyId) {
  public static final int VERSION = 1;

  public DispatchToken {
    Fields.version(v, VERSION, "dispatch token");
    Fields.present(requestId, "request_id");
    Fields.sha256Hex(requestSha256, "request_sha256");
    Fields.present(nodeId, "node_id");
    Fields.model(model);
    new TokenPrice(inputMicrosPerMtok, outputMicrosPerMtok);
    if (maxTokens != null && maxTokens < 1) {
      throw new IllegalArgumentException("max_tokens must be positive or null");
    }
    Fields.millis(issuedAtMs, "issued_at_ms");
    if (expiresAtMs <= issuedAtMs) {
      throw new IllegalArgumentException("expires_at_ms must be after issued_at_ms");
    }
    Fields.sha256Hex(coordinatorKeyId, "coordinator_key_id");
  }

  public TokenPrice price() {
    return new TokenPrice(inputMicrosPerMtok, outputMicrosPerMtok);
  }

  /** True when this token pays at least {@code offer} for both input and output tokens. */
  public boolean paysAtLeast(TokenPrice offer) {
    Objects.requireNonNull(offer, "offer");
    return inputMicrosPerMtok >= offer.inputMicrosPerMillion()
        && outputMicrosPerMtok >= offer.outputMicrosPerMillion();
  }
}
