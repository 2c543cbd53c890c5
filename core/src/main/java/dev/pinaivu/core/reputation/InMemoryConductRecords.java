package dev.pinaivu.core.reputation;

import dev.pinaivu.core.node.NodeId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The conduct records of one process (the one-machine gateway). */
public final class InMemoryConductRecords implements ConductRecords {
  private final Map<NodeId, ConductRecord> records = new ConcurrentHashMap<>();

  @Override
  public Optional<ConductRecord> find(NodeId node) {
    return Optional.ofNullable(records.get(node));
  }

  @Override
  public void save(NodeId node, ConductRecord record) {
    records.put(node, record);
  }
}
