package dev.pinaivu.agent;

import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.receipt.Outcome;
import dev.pinaivu.core.receipt.ProofOfInference;
import dev.pinaivu.core.receipt.SignedProof;
import java.nio.charset.StandardCharsets;

/** Signs a job's proof of inference with the node key and encodes it as a {@code proof} frame. */
final class ProofWriter {
  private final NodeKey key;

  ProofWriter(NodeKey key) {
    this.key = key;
  }

  String write(
      Frame.Job job,
      String responseSha256,
      Outcome outcome,
      Usage usage,
      boolean usageEstimated,
      long delivered,
      long startedAtMs,
      long endedAtMs) {
    ProofOfInference proof =
        new ProofOfInference(
            ProofOfInference.VERSION,
            RequestId.parse(job.jobId()),
            key.id(),
            job.model(),
            Sha256.hex(job.request().getBytes(StandardCharsets.UTF_8)),
            responseSha256,
            Sha256.hex(job.dispatchToken().getBytes(StandardCharsets.UTF_8)),
            outcome,
            usage,
            usageEstimated,
            delivered,
            startedAtMs,
            Math.max(endedAtMs, startedAtMs));
    SignedProof signed = SignedProof.sign(proof, key);
    return FrameCodec.encode(new Frame.Proof(job.jobId(), signed.proof(), signed.signature()));
  }
}
