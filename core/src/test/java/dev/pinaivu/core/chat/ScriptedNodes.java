package dev.pinaivu.core.chat;

import dev.pinaivu.core.dispatch.Job;
import dev.pinaivu.core.dispatch.JobDispatcher;
import dev.pinaivu.core.dispatch.JobStream;
import dev.pinaivu.core.dispatch.NodeUnavailableException;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.receipt.SignedOffer;
import dev.pinaivu.core.routing.LiveOffer;
import dev.pinaivu.core.routing.NodeCandidate;
import dev.pinaivu.core.routing.NodeDirectory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Test double for the node side: each node answers every job with a scripted list of frames; a null
 * in the script stands for "nothing arrives" (a timeout). Records dispatches and cancels.
 */
final class ScriptedNodes implements NodeDirectory, JobDispatcher {
  final Map<NodeId, Function<String, List<Frame.JobFrame>>> scripts = new LinkedHashMap<>();
  final Map<NodeId, Long> prices = new LinkedHashMap<>();
  final List<NodeId> dispatched = new ArrayList<>();
  final List<String> cancels = new ArrayList<>();
  final List<Job> jobs = new ArrayList<>();
  final List<NodeId> failures = new ArrayList<>();
  final List<NodeId> successes = new ArrayList<>();
  int closed;

  final Map<NodeId, NodeKey> keys = new LinkedHashMap<>();

  /** Nodes that never send their proof (as a crashed node would not). */
  final java.util.Set<NodeId> silent = new java.util.HashSet<>();

  /** How long every node takes to produce each frame. */
  volatile Duration frameDelay = Duration.ZERO;

  private void pause() {
    try {
      Thread.sleep(frameDelay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  NodeId add(long price, Function<String, List<Frame.JobFrame>> script) {
    NodeKey key = NodeKey.generate();
    NodeId id = key.id();
    keys.put(id, key);
    scripts.put(id, script);
    prices.put(id, price);
    return id;
  }

  @Override
  public List<NodeCandidate> candidates(String model) {
    return scripts.keySet().stream()
        .map(id -> {
          ModelOffer offer = new ModelOffer(model, prices.get(id), prices.get(id), null);
          return new NodeCandidate(
              id,
              offer,
              SignedOffer.sign(new NodeOffer(id, 1, 4, List.of(offer)), keys.get(id)),
              keys.get(id).publicKey(),
              0,
              4,
              Double.NaN,
              0);
        })
        .toList();
  }

  @Override
  public List<LiveOffer> liveOffers() {
    return List.of();
  }

  @Override
  public void recordSuccess(NodeId node, double latencyMs) {
    successes.add(node);
  }

  @Override
  public void recordFailure(NodeId node) {
    failures.add(node);
  }

  @Override
  public JobStream dispatch(NodeId node, Job job) throws NodeUnavailableException {
    dispatched.add(node);
    jobs.add(job);
    List<Frame.JobFrame> script = scripts.get(node).apply(job.requestId().value());
    if (script == null) {
      throw new NodeUnavailableException("scripted: unavailable");
    }
    Deque<Frame.JobFrame> queue = new ArrayDeque<>();
    for (Frame.JobFrame f : script) {
      queue.add(f == null ? TIMEOUT : f);
    }
    ScriptedProof proof = new ScriptedProof(keys.get(node), job, script);
    return new JobStream() {
      @Override
      public Frame.JobFrame next(Duration timeout) {
        pause();
        Frame.JobFrame f = queue.poll();
        return f == TIMEOUT || f == null ? null : f;
      }

      @Override
      public void cancel(String reason) {
        cancels.add(reason);
        proof.cancelled = true;
      }

      @Override
      public java.util.concurrent.CompletableFuture<dev.pinaivu.core.receipt.SignedProof> proof() {
        return java.util.concurrent.CompletableFuture.completedFuture(
            silent.contains(node) ? null : proof.sign());
      }

      @Override
      public String receivedResponseSha256() {
        return proof.responseSha256();
      }

      @Override
      public byte[] nodePublicKey() {
        return keys.get(node).publicKey();
      }

      @Override
      public void close() {
        closed++;
      }
    };
  }

  private static final Frame.JobFrame TIMEOUT =
      new Frame.Chunk("timeout", -99, dev.pinaivu.core.json.Json.object());
}
