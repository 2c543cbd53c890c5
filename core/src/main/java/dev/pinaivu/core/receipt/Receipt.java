package dev.pinaivu.core.receipt;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.pricing.Charge;
import java.util.regex.Pattern;

/**
 * The routing receipt: everything the coordinator attests about one request, all of it signed
 * ({@link ReceiptSigner}). docs/receipts.md specifies every member; {@link ReceiptChecks} holds the
 * rules that tie them together (proof, billed usage, arithmetic).
 *
 * @param v format version, {@value #VERSION}
 * @param accountRef opaque reference to the paying account, unlinkable across receipts ({@link
 *     AccountRef})
 * @param nodePublicKey base64url of the node's 32-byte Ed25519 key; it must derive {@code nodeId}
 * @param coordinatorKeyId the signing key's id (hex SHA-256 of its public key)
 * @param dispatchToken the wire form of the dispatch token the job ran under (its prices, fee and
 *     limits, signed by a coordinator key)
 * @param dispatchTokenSha256 SHA-256 of the dispatch token's wire form
 * @param nodeOffer the node's signed offer the token's prices come from, embedded unchanged
 * @param requestSha256 SHA-256 of the exact request bytes the client sent
 * @param responseSha256 the node's {@link ResponseDigest}
 * @param clientResponseSha256 SHA-256 of exactly the bytes the gateway wrote to the client (the
 *     response body, or the whole event stream)
 * @param note for humans; required when the outcome is not completed or a limit cut the bill
 * @param usage what the node reports it processed and generated (from its proof)
 * @param billing what the node claimed, the limits, and which of them cut the claim
 * @param billedUsage what is billed: the claim, cut to every limit below it
 * @param nodeProof the node's signed proof, embedded unchanged
 */
public record Receipt(
    int v,
    RequestId requestId,
    String accountRef,
    String model,
    NodeId nodeId,
    String nodePublicKey,
    String coordinatorKeyId,
    String dispatchToken,
    String dispatchTokenSha256,
    SignedOffer nodeOffer,
    String requestSha256,
    String responseSha256,
    String clientResponseSha256,
    Outcome outcome,
    String note,
    Times times,
    Usage usage,
    Billing billing,
    Usage billedUsage,
    Charge charge,
    SignedProof nodeProof) {
  public static final int VERSION = 2;
  private static final Pattern ACCOUNT_REF = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  /**
   * The coordinator's clock. {@code firstTokenAtMs} is null when no output reached the client.
   *
   * @param issuedAtMs when the receipt was signed
   */
  public record Times(long dispatchedAtMs, Long firstTokenAtMs, long endedAtMs, long issuedAtMs) {
    public Times {
      Fields.millis(dispatchedAtMs, "times.dispatched_at_ms");
      if (firstTokenAtMs != null) {
        Fields.millis(firstTokenAtMs, "times.first_token_at_ms");
      }
      Fields.millis(endedAtMs, "times.ended_at_ms");
      Fields.millis(issuedAtMs, "times.issued_at_ms");
    }
  }

  public Receipt {
    Fields.version(v, VERSION, "receipt");
    Fields.present(requestId, "request_id");
    if (accountRef == null || !ACCOUNT_REF.matcher(accountRef).matches()) {
      throw new IllegalArgumentException("account_ref must be 1..128 characters of [A-Za-z0-9_-]");
    }
    Fields.model(model);
    Fields.present(nodeId, "node_id");
    Fields.publicKey(nodePublicKey, "node_public_key");
    Fields.sha256Hex(coordinatorKeyId, "coordinator_key_id");
    Fields.present(dispatchToken, "dispatch_token");
    Fields.sha256Hex(dispatchTokenSha256, "dispatch_token_sha256");
    Fields.present(nodeOffer, "node_offer");
    Fields.sha256Hex(requestSha256, "request_sha256");
    Fields.sha256Hex(responseSha256, "response_sha256");
    Fields.sha256Hex(clientResponseSha256, "client_response_sha256");
    Fields.present(outcome, "outcome");
    if (note != null && (note.isBlank() || note.length() > 1000)) {
      throw new IllegalArgumentException("note must be null or 1..1000 characters");
    }
    Fields.present(times, "times");
    Fields.present(usage, "usage");
    Fields.present(billing, "billing");
    Fields.present(billedUsage, "billed_usage");
    Fields.present(charge, "charge");
    Fields.present(nodeProof, "node_proof");
  }
}
