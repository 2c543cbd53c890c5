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
 * @param stream the job's stream, for the node's proof, key and the digest of what was received
 * @param dispatchToken the wire form of the token the node ran under
 */
public record FinishedJob(
    Caller caller,
    RequestId requestId,
    NodeId nodeId,
    JobStream stream,
    String dispatchToken,
    Settlement.Delivery delivery) {}
