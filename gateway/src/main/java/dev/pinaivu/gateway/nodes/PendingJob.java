package dev.pinaivu.gateway.nodes;

import dev.pinaivu.core.dispatch.ReceivedJob;
import dev.pinaivu.core.protocol.Frame;

/**
 * One job on one node session, its frames from the node's socket. The session keeps the job until
 * the proof arrives or times out, even after the relay closed it.
 */
final class PendingJob extends ReceivedJob {
  private final NodeSession session;

  PendingJob(String jobId, NodeSession session) {
    super(jobId);
    this.session = session;
  }

  @Override
  protected void tellNodeToStop(String reason) {
    session.sendQuietly(new Frame.Cancel(jobId(), reason));
  }

  @Override
  protected void released() {
    session.release(this);
  }

  @Override
  public byte[] nodePublicKey() {
    return session.publicKey();
  }
}
