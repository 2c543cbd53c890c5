package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.Settlement;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedProof;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.Verification;

/**
 * Port: the attested coordinator, the only holder of the key that signs dispatch tokens and
 * receipts. In production it runs in an AWS Nitro Enclave behind vsock; locally it is the same app
 * in dev mode on loopback TCP. Implementations must be safe for concurrent use.
 */
public interface Coordinator {
  /** The coordinator's current key and how it is attested (a marked dev document locally). */
  CoordinatorKey identity() throws CoordinatorUnavailableException;

  /** Signs a dispatch token for one job on one node. */
  SignedDispatchToken dispatch(DispatchRequest request) throws CoordinatorUnavailableException;

  /**
   * Checks the node's proof against the token and what the gateway observed, prices it and signs
   * the receipt; an invalid proof yields an invalid verification with the reason (no receipt).
   */
  Verification<SignedReceipt> settle(SettleRequest request) throws CoordinatorUnavailableException;

  /** What the gateway asks a token for. */
  record DispatchRequest(
      String requestId,
      String requestSha256,
      String nodeId,
      String model,
      long inputMicrosPerMtok,
      long outputMicrosPerMtok,
      Integer maxTokens) {}

  /** What the gateway hands over once a job ended. */
  record SettleRequest(
      String dispatchToken,
      SignedProof proof,
      byte[] nodePublicKey,
      Settlement.Delivery delivery,
      String accountRef) {}
}
