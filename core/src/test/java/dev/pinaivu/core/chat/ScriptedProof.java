package dev.pinaivu.core.chat;

import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.dispatch.Job;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.openai.ChunkContent;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.receipt.Outcome;
import dev.pinaivu.core.receipt.ProofOfInference;
import dev.pinaivu.core.receipt.ResponseDigest;
import dev.pinaivu.core.receipt.SignedProof;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The proof a scripted node signs: it "sent" every frame of its script, as a real node would. */
final class ScriptedProof {
  private final NodeKey key;
  private final Job job;
  private final List<Frame.JobFrame> script;
  volatile boolean cancelled;

  ScriptedProof(NodeKey key, Job job, List<Frame.JobFrame> script) {
    this.key = key;
    this.job = job;
    this.script = script;
  }

  String responseSha256() {
    ResponseDigest digest = new ResponseDigest();
    for (Frame.JobFrame f : script) {
      if (f instanceof Frame.Chunk || f instanceof Frame.Result) {
        digest.add(FrameCodec.encode((Frame) f));
      }
    }
    return digest.hex();
  }

  SignedProof sign() {
    Usage usage = null;
    Outcome outcome = cancelled ? Outcome.CANCELLED : Outcome.FAILED;
    long chunks = 0;
    for (Frame.JobFrame f : script) {
      switch (f) {
        case Frame.Chunk c -> chunks += ChunkContent.carriesOutput(c.data()) ? 1 : 0;
        case Frame.Done d -> {
          usage = d.usage();
          outcome = cancelled ? Outcome.CANCELLED : Outcome.COMPLETED;
        }
        case Frame.Result r -> {
          usage = Usage.from(r.data().get("usage"));
          outcome = Outcome.COMPLETED;
        }
        case null, default -> {}
      }
    }
    if (usage == null) {
      usage = Usage.of(3, chunks);
    }
    long delivered =
        outcome == Outcome.COMPLETED
            ? usage.completionTokens()
            : Math.min(chunks, usage.completionTokens());
    return SignedProof.sign(
        new ProofOfInference(
            ProofOfInference.VERSION,
            job.requestId(),
            key.id(),
            job.model(),
            Sha256.hex(job.request().getBytes(StandardCharsets.UTF_8)),
            responseSha256(),
            Sha256.hex(job.dispatchToken().getBytes(StandardCharsets.UTF_8)),
            outcome,
            usage,
            false,
            delivered,
            1_000,
            2_000),
        key);
  }
}
