package dev.pinaivu.core.billing;

import dev.pinaivu.core.auth.Caller;
import dev.pinaivu.core.dispatch.JobStream;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.receipt.Settlement;

/**
 * A job whose output reached the client (whole, in part, or cut short by the client): what settling
 * it needs once the node's proof arrives.
 *
 * @param stream the job's stream: the node's proof, its key, and the digest of what the gateway
 *     received (read only after the proof, which the node sends after its last output frame)
 * @param dispatchToken the wire form of the token the node ran under
 * @param firstTokenAtMs when the first output reached the client
 * @param stopReason why the job stopped early ("client disconnected"); null when it did not
 */
public record FinishedJob(
    Caller caller,
    RequestId requestId,
    NodeId nodeId,
    JobStream stream,
    String dispatchToken,
    long dispatchedAtMs,
    long firstTokenAtMs,
    long endedAtMs,
    String stopReason) {

  /** What the gateway observed, for the coordinator to check the proof against. */
  public Settlement.Delivery delivery() {
    return new Settlement.Delivery(
        dispatchedAtMs, firstTokenAtMs, endedAtMs, stream.receivedResponseSha256(), stopReason);
  }
}
