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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Test double for the node side: each node answers every job with a scripted list of frames; a null
 * in the script stands for "nothing arrives" (a timeout, at once), {@link #HANG} for a node that
 * really keeps the relay waiting until the job is cancelled or the timeout passes. Records
 * dispatches and cancels (the first of each job, as {@link JobStream#cancel} counts only that).
 */
final class ScriptedNodes implements NodeDirectory, JobDispatcher {
  final Map<NodeId, Function<String, List<Frame.JobFrame>>> scripts = new LinkedHashMap<>();
  final Map<NodeId, Long> prices = new LinkedHashMap<>();
  final List<NodeId> dispatched = new ArrayList<>();
  final List<String> cancels = new CopyOnWriteArrayList<>(); // cancels come from any thread
  final List<Job> jobs = new ArrayList<>();
  final List<NodeId> failures = new ArrayList<>();
  final List<NodeId> successes = new ArrayList<>();
  int closed;

  final Map<NodeId, NodeKey> keys = new LinkedHashMap<>();

  /** Nodes whose offer says every slot is taken (4 jobs of 4). */
  final java.util.Set<NodeId> full = new java.util.HashSet<>();

  /** Nodes that never send their proof (as a crashed node would not). */
  final java.util.Set<NodeId> silent = new java.util.HashSet<>();

  /** Counted down when a relay starts waiting on {@link #HANG}. */
  final CountDownLatch hanging = new CountDownLatch(1);

  /** Models the directory says no node offered lately: a request for one is a 404 (ADR 29). */
  final java.util.Set<String> unknownModels = new java.util.HashSet<>();

  @Override
  public boolean offeredRecently(String model) {
    return !unknownModels.contains(model);
  }

  /** How long every node takes to produce each frame. */
  volatile Duration frameDelay = Duration.ZERO;

  private void pause() {
    try {
      Thread.sleep(frameDelay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Nodes whose agents predate the Responses API: they say they run chat jobs only. */
  final java.util.Set<NodeId> chatOnly = new java.util.HashSet<>();

  /** The context length each node's offer says; a node missing here does not say one. */
  final Map<NodeId, Integer> contextLengths = new LinkedHashMap<>();

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
          ModelOffer offer =
              new ModelOffer(model, prices.get(id), prices.get(id), contextLengths.get(id));
          return new NodeCandidate(
              id,
              offer,
              SignedOffer.sign(new NodeOffer(id, 1, 4, List.of(offer)), keys.get(id)),
              keys.get(id).publicKey(),
              full.contains(id) ? 4 : 0,
              4,
              Double.NaN,
              0,
              dev.pinaivu.core.reputation.Standing.UNKNOWN,
              chatOnly.contains(id)
                  ? java.util.Set.of(dev.pinaivu.core.openai.ApiKind.CHAT)
                  : java.util.EnumSet.allOf(dev.pinaivu.core.openai.ApiKind.class));
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
    CountDownLatch cancelled = new CountDownLatch(1);
    return new JobStream() {
      @Override
      public Frame.JobFrame next(Duration timeout) throws InterruptedException {
        if (cancelled.getCount() == 0) {
          return cancelledFrame(job);
        }
        pause();
        Frame.JobFrame f = queue.poll();
        if (f == HANG) {
          hanging.countDown();
          return cancelled.await(timeout.toNanos(), TimeUnit.NANOSECONDS)
              ? cancelledFrame(job)
              : null;
        }
        return f == TIMEOUT || f == null ? null : f;
      }

      @Override
      public synchronized void cancel(String reason) {
        if (cancelled.getCount() == 0) {
          return;
        }
        cancels.add(reason);
        proof.cancelled = true;
        cancelled.countDown();
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

  private static Frame.JobFrame cancelledFrame(Job job) {
    return new Frame.JobError(
        job.requestId().value(), -1, JobStream.CANCELLED, "cancelled", false, null);
  }

  /** In a script: nothing arrives until the job is cancelled, or the relay's timeout passes. */
  static final Frame.JobFrame HANG =
      new Frame.Chunk("hang", -98, dev.pinaivu.core.json.Json.object());

  private static final Frame.JobFrame TIMEOUT =
      new Frame.Chunk("timeout", -99, dev.pinaivu.core.json.Json.object());
}
