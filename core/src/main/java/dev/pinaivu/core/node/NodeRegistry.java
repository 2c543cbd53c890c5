package dev.pinaivu.core.node;

import java.util.List;
import java.util.Optional;

/**
 * Port: the write side of the node registry, shared by every process that holds node connections or
 * routes jobs (ADR 21). A node is in it from its first accepted offer until its connection leaves;
 * a newer connection of the same node replaces an older one, and writes on behalf of a replaced
 * connection change nothing. A job holds a <em>slot</em> on its node while it runs: a slot has a
 * lease, renewed by the process that holds the job, so that a slot held by a process that died is
 * free again when its lease runs out. Every adapter passes {@code NodeRegistryContract}.
 *
 * <p>Every value here was checked before it is written (the node's signatures, the offer's fields):
 * the registry trusts its writers, not the nodes.
 */
public interface NodeRegistry {
  /** How long a slot is held without being renewed: a dead holder's slots are free after it. */
  long SLOT_LEASE_MS = 60_000;

  /** What came of a reservation. */
  enum Reservation {
    /** The job holds a slot (also when it already held one). */
    RESERVED,
    /** Every slot the node may have is taken. */
    AT_CAPACITY,
    /** The node is not in the registry on that connection. */
    NOT_HELD
  }

  /**
   * Enters {@code entry}, live from {@code nowMs}, with no slots and no history. Replaces an entry
   * of an older connection (its slots go with it).
   *
   * @return false, and nothing is written, when a connection that opened later holds the node
   */
  boolean join(NodeEntry entry, long nowMs);

  /**
   * The node's newer offer on {@code connection}.
   *
   * @return false, and nothing is written, when the connection no longer holds the node or the
   *     offer is not newer than the one held
   */
  boolean offer(NodeEntry withOffer, long nowMs);

  /**
   * A heartbeat on {@code connection}: the node is seen at {@code nowMs} and says it runs {@code
   * runningJobs} (clamped to 0 and its offer's capacity). Nothing happens for another connection.
   */
  void heartbeat(NodeId node, String connection, int runningJobs, long nowMs);

  /**
   * Takes a slot for {@code jobId} on the node held by {@code connection} when it runs fewer than
   * {@code capacity} jobs ({@link RegisteredNode#busy}), leased until {@code leaseUntilMs}. Slots
   * whose lease ended by {@code nowMs} are free. Reserving a job that holds a slot renews it.
   */
  Reservation reserve(
      NodeId node, String connection, String jobId, int capacity, long leaseUntilMs, long nowMs);

  /** Extends the lease of {@code jobId}'s slot; nothing when it holds none. */
  void renew(NodeId node, String jobId, long leaseUntilMs);

  /**
   * Frees {@code jobId}'s slot; the node's reported count drops by one with it (a new slot raises
   * it by one: the count follows the jobs sent and ended since the heartbeat). Releasing a slot
   * that is not held (twice, or after its lease ran out) changes nothing.
   */
  void release(NodeId node, String jobId);

  /** A job on the node produced its first token after {@code latencyMs}. */
  void succeeded(NodeId node, double latencyMs);

  /** A job on the node failed. */
  void failed(NodeId node);

  /** {@code connection} closed: the node leaves, with its slots. Nothing for another connection. */
  void leave(NodeId node, String connection);

  /** The node as it stands at {@code nowMs}; empty when it is not in the registry. */
  Optional<RegisteredNode> find(NodeId node, long nowMs);

  /** Every node in the registry at {@code nowMs}, in no promised order. */
  List<RegisteredNode> all(long nowMs);

  /** The moving average's weight of a new latency sample. */
  double LATENCY_WEIGHT = 0.2;

  /** The moving average after {@code sampleMs}, from {@code averageMs} (NaN: none yet). */
  static double averaged(double averageMs, double sampleMs) {
    return Double.isNaN(averageMs)
        ? sampleMs
        : LATENCY_WEIGHT * sampleMs + (1 - LATENCY_WEIGHT) * averageMs;
  }

  /** A heartbeat's count as the registry keeps it: never negative, never above the capacity. */
  static int clampedRunning(int runningJobs, int capacity) {
    return Math.max(0, Math.min(runningJobs, capacity));
  }
}
