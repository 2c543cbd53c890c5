package dev.pinaivu.core.billing;

import dev.pinaivu.core.auth.Caller;
import dev.pinaivu.core.dispatch.JobStream;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.receipt.Settlement;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedOffer;

/**
 * A job that ended, to be settled once the node's proof arrives: the one attempt of a request that
 * delivered output to the client, or the attempt running when the client left before any output
 * (settled at zero, so that the receipt says so).
 *
 * @param stream the job's stream: the node's proof, its key, and the digest of what the gateway
 *     received (read only after the proof, which the node sends after its last output frame)
 * @param token the token the node ran under
 * @param offer the node's signed offer the token's prices come from
 * @param firstTokenAtMs when output first reached the client; null when none did
 * @param clientResponseSha256 SHA-256 of every byte written to the client
 * @param deliveredCompletionLimit the completion tokens the output that reached the client can
 *     account for
 * @param shownUsage the usage the client's response carried; null when it carried none
 * @param stopReason why the job stopped early ("client disconnected"); null when it did not
 */
public record FinishedJob(
    Caller caller,
    RequestId requestId,
    NodeId nodeId,
    JobStream stream,
    SignedDispatchToken token,
    SignedOffer offer,
    long dispatchedAtMs,
    Long firstTokenAtMs,
    long endedAtMs,
    String clientResponseSha256,
    long deliveredCompletionLimit,
    Usage shownUsage,
    String stopReason) {

  /** What the gateway observed, for the coordinator to check the proof against. */
  public Settlement.Delivery delivery() {
    return new Settlement.Delivery(
        dispatchedAtMs,
        firstTokenAtMs,
        endedAtMs,
        stream.receivedResponseSha256(),
        clientResponseSha256,
        deliveredCompletionLimit,
        shownUsage,
        stopReason);
  }
}
