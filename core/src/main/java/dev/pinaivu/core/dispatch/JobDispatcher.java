package dev.pinaivu.core.dispatch;

import dev.pinaivu.core.node.NodeId;

/** Port: delivers a job to a node (WebSocket push locally; SQS and a bridge on AWS). */
public interface JobDispatcher {
  /**
   * Sends the job to the node and returns its stream of frames.
   *
   * @throws NodeUnavailableException when the node is gone or full; try another
   */
  JobStream dispatch(NodeId node, Job job) throws NodeUnavailableException;
}
