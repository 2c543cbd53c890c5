package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.billing.LoggedReceipts;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.translog.TransparencyLog;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LoggedReceipts} from the parent's stored copy of the log, synced with the coordinator
 * first when the leaf is not stored yet. The entry is the receipt envelope without its {@code log}
 * member, which is added back with the leaf index.
 */
public final class SyncedLogReceipts implements LoggedReceipts {
  private static final Logger LOG = LoggerFactory.getLogger(SyncedLogReceipts.class);

  private final TransparencyLog log;
  private final LogSync sync;

  public SyncedLogReceipts(TransparencyLog log, LogSync sync) {
    this.log = log;
    this.sync = sync;
  }

  @Override
  public Optional<SignedReceipt> at(long index) {
    if (index < 0) {
      return Optional.empty();
    }
    if (index >= log.size()) {
      try {
        sync.sync();
      } catch (CoordinatorUnavailableException | RuntimeException e) {
        LOG.warn("cannot sync the log to find entry {}: {}", index, e.getMessage());
        return Optional.empty();
      }
      if (index >= log.size()) {
        return Optional.empty();
      }
    }
    try {
      SignedReceipt receipt = Json.MAPPER.readValue(log.entry(index), SignedReceipt.class);
      return Optional.of(receipt.withLog(Json.object().put("index", index)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // a key announcement, or not a receipt this version reads
    }
  }
}
