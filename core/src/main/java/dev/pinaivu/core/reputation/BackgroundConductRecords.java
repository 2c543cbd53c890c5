package dev.pinaivu.core.reputation;

import dev.pinaivu.core.concurrent.LatestWrites;
import dev.pinaivu.core.node.NodeId;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * {@link ConductRecords} saved off the caller's thread, the latest record of each node only and in
 * order; a record read back before its save landed is the one waiting. A gateway wraps a remote
 * store in it, so that recording a job's result never holds up the job's client.
 */
public final class BackgroundConductRecords implements ConductRecords {
  private final ConductRecords records;
  private final LatestWrites<NodeId, ConductRecord> saves;

  public BackgroundConductRecords(ConductRecords records, Executor executor) {
    this.records = records;
    this.saves = new LatestWrites<>("conduct record", records::save, executor);
  }

  @Override
  public Optional<ConductRecord> find(NodeId node) {
    Optional<ConductRecord> waiting = saves.waiting(node);
    return waiting.isPresent() ? waiting : records.find(node);
  }

  @Override
  public void save(NodeId node, ConductRecord record) {
    saves.submit(node, record);
  }
}
