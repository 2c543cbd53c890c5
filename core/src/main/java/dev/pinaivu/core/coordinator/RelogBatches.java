package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.DispatchToken;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.translog.KeyAnnouncement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the parent hands a restarted coordinator to log again ({@code log_relog}), one batch per
 * signing key, each checked whole by the coordinator: the predecessor's lost receipts; then, for
 * every other coordinator that crashed before a checkpoint covered its key announcement, that
 * announcement and its lost receipts (the announcement alone when it lost none, so that its tokens
 * still settle). A receipt whose dispatch token an older coordinator signed is preceded by that
 * key's announcement, which the coordinator needs to check it. Receipts of keys the parent never
 * saw are left out (logged as an error), so they cannot make the rest refused.
 */
final class RelogBatches {
  private static final Logger LOG = LoggerFactory.getLogger(RelogBatches.class);

  /** One {@code log_relog} call: the entries, and whose they are, for the log. */
  record Batch(String signer, List<byte[]> entries) {}

  private final String origin;
  private final CoordinatorKey current;
  private final CoordinatorKey predecessor;
  private final Map<String, CoordinatorKey> known = new LinkedHashMap<>();

  /**
   * @param current the restarted coordinator
   * @param predecessor the key of the checkpoint it resumed from
   * @param known every key the parent worked with
   */
  RelogBatches(
      String origin,
      CoordinatorKey current,
      CoordinatorKey predecessor,
      List<CoordinatorKey> known) {
    this.origin = origin;
    this.current = current;
    this.predecessor = predecessor;
    known.forEach(key -> this.known.put(key.keyId(), key));
  }

  /**
   * @param lost the stored receipts no stored checkpoint covers, oldest first
   * @param unlogged whether the stored log lacks a key's announcement
   */
  List<Batch> of(List<SignedReceipt> lost, Predicate<CoordinatorKey> unlogged) {
    Map<String, List<SignedReceipt>> bySigner = new LinkedHashMap<>();
    for (SignedReceipt receipt : lost) {
      bySigner.computeIfAbsent(receipt.keyId(), id -> new ArrayList<>()).add(receipt);
    }
    List<Batch> batches = new ArrayList<>();
    List<SignedReceipt> predecessors = bySigner.remove(predecessor.keyId());
    if (predecessors != null) {
      batches.add(batch(predecessor.keyId(), null, predecessors));
    }
    bySigner.forEach((signer, receipts) -> {
      if (!known.containsKey(signer)) {
        LOG.error(
            "{} receipt(s) of unknown coordinator key {} cannot be logged again",
            receipts.size(),
            signer);
      }
    });
    for (CoordinatorKey key : known.values()) {
      boolean other = !isCurrentOrPredecessor(key.keyId());
      if (other && (bySigner.containsKey(key.keyId()) || unlogged.test(key))) {
        batches.add(batch(key.keyId(), key, bySigner.getOrDefault(key.keyId(), List.of())));
      }
    }
    batches.removeIf(batch -> batch.entries().isEmpty());
    return batches;
  }

  /** {@code receipts} of {@code signer}, after the announcements the coordinator needs. */
  private Batch batch(String signer, CoordinatorKey announce, List<SignedReceipt> receipts) {
    Set<String> tokenSigners = new LinkedHashSet<>();
    List<byte[]> logged = new ArrayList<>();
    for (SignedReceipt receipt : receipts) {
      String tokenSigner = tokenSigner(receipt).orElse(signer);
      if (tokenSigner.equals(signer) || isCurrentOrPredecessor(tokenSigner)) {
        logged.add(receipt.logEntry());
      } else if (known.containsKey(tokenSigner)) {
        tokenSigners.add(tokenSigner);
        logged.add(receipt.logEntry());
      } else {
        LOG.error(
            "receipt of {} cannot be logged again: its token's key {} is unknown",
            receipt.receipt().requestId(),
            tokenSigner);
      }
    }
    List<byte[]> entries = new ArrayList<>();
    tokenSigners.forEach(id -> entries.add(new KeyAnnouncement(origin, known.get(id)).entry()));
    if (announce != null) {
      entries.add(new KeyAnnouncement(origin, announce).entry());
    }
    entries.addAll(logged);
    return new Batch(signer, entries);
  }

  private boolean isCurrentOrPredecessor(String keyId) {
    return keyId.equals(current.keyId()) || keyId.equals(predecessor.keyId());
  }

  private static Optional<String> tokenSigner(SignedReceipt receipt) {
    return SignedDispatchToken.payload(receipt.receipt().dispatchToken())
        .map(DispatchToken::coordinatorKeyId);
  }
}
