package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.Verification;
import java.util.List;

/**
 * A coordinator that hands every call to another one; tests extend it and change the one call they
 * are about (an outage of settling, a count of identity requests).
 */
public abstract class ForwardingCoordinator implements Coordinator {
  private final Coordinator delegate;

  protected ForwardingCoordinator(Coordinator delegate) {
    this.delegate = delegate;
  }

  @Override
  public CoordinatorKey identity() throws CoordinatorUnavailableException {
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
