package dev.pinaivu.gateway.coordinator;

import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorUnavailableException;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.Verification;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A coordinator that counts the identity requests reaching it, for the server side of tests. */
final class CountingCoordinator implements Coordinator {
  final AtomicInteger identityCalls = new AtomicInteger();
  private final Coordinator delegate;

  CountingCoordinator(Coordinator delegate) {
    this.delegate = delegate;
  }

  @Override
  public CoordinatorKey identity() throws CoordinatorUnavailableException {
    identityCalls.incrementAndGet();
    return delegate.identity();
  }

  @Override
  public SignedDispatchToken dispatch(DispatchRequest request)
      throws CoordinatorUnavailableException {
    return delegate.dispatch(request);
  }

  @Override
  public Verification<SignedReceipt> settle(SettleRequest request)
      throws CoordinatorUnavailableException {
    return delegate.settle(request);
  }

  @Override
  public long openLog(LogState state) throws CoordinatorUnavailableException {
    return delegate.openLog(state);
  }

  @Override
  public LogHead logCheckpoint(long heldSize, long from) throws CoordinatorUnavailableException {
    return delegate.logCheckpoint(heldSize, from);
  }

  @Override
  public List<Long> relog(List<byte[]> entries) throws CoordinatorUnavailableException {
    return delegate.relog(entries);
  }
}
