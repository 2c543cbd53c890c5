package dev.pinaivu.core.usage;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.receipt.SignedReceipt;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The one in-memory fake of {@link ReceiptStore}, for use-case tests; held to the same contract.
 */
public final class InMemoryReceiptStore implements ReceiptStore {
  private static final Comparator<StoredReceipt> OLDEST_FIRST =
      Comparator.comparingLong(StoredReceipt::issuedAtMs).thenComparing(r -> r.requestId().value());

  private final ConcurrentMap<RequestId, StoredReceipt> byId = new ConcurrentHashMap<>();

  @Override
  public boolean save(StoredReceipt receipt) {
    return byId.putIfAbsent(receipt.requestId(), receipt) == null;
  }

  @Override
  public Optional<StoredReceipt> find(RequestId requestId) {
    return Optional.ofNullable(byId.get(requestId));
  }

  @Override
  public List<StoredReceipt> list(String accountId, long fromMs, long toMs) {
    if (fromMs > toMs) {
      throw new IllegalArgumentException("fromMs " + fromMs + " is after toMs " + toMs);
    }
    return byId.values().stream()
        .filter(r -> r.accountId().equals(accountId))
        .filter(r -> r.issuedAtMs() >= fromMs && r.issuedAtMs() < toMs)
        .sorted(OLDEST_FIRST)
        .toList();
  }

  @Override
  public List<SignedReceipt> loggedFrom(long index) {
    return byId.values().stream()
        .filter(r -> r.logIndex().isPresent() && r.logIndex().getAsLong() >= index)
        .sorted(Comparator.comparingLong(r -> r.logIndex().getAsLong()))
        .map(StoredReceipt::signed)
        .toList();
  }
}
