package dev.pinaivu.core.reputation;

import dev.pinaivu.core.node.NodeId;
import java.util.Optional;

/**
 * Port: every node's conduct record, shared by the gateway processes its connections may land on.
 * The process holding a node's connection writes its record after each event and reads it when the
 * node connects, so one writer per node at a time (a node has one connection); a record may be
 * forgotten after its {@link ConductRecord#keepUntilMs}. Every adapter passes {@code
 * ConductRecordsContract}.
 */
public interface ConductRecords {
  /** The record of {@code node}; empty when there is none (or it was forgotten). */
  Optional<ConductRecord> find(NodeId node);

  /** Keeps {@code record} as {@code node}'s, replacing what was kept. */
  void save(NodeId node, ConductRecord record);
}
