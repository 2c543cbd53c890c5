package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.Verification;
import java.util.List;

/**
 * A real coordinator that cannot be reached for settling while {@link #down}: it dispatches as
 * usual, so requests are served, and their settlements must wait. For the tests of owed
 * settlements.
 */
public final class SettlingOutage implements Coordinator {
  private final Coordinator real;
  private volatile boolean down = true;

  /** Down from the start. */
  public SettlingOutage(Coordinator real) {
    this.real = real;
  }

  public void end() {
    down = false;
  }

  @Override
  public CoordinatorKey identity() throws CoordinatorUnavailableException {
    return real.identity();
  }

  @Override
  public SignedDispatchToken dispatch(DispatchRequest request)
      throws CoordinatorUnavailableException {
    return real.dispatch(request);
  }

  @Override
  public Verification<SignedReceipt> settle(SettleRequest request)
      throws CoordinatorUnavailableException {
    if (down) {
      throw new CoordinatorUnavailableException("the coordinator is down (test)", null);
    }
    return real.settle(request);
  }

  @Override
  public long openLog(LogState state) throws CoordinatorUnavailableException {
    return real.openLog(state);
  }

  @Override
  public LogHead logCheckpoint(long heldSize, long from) throws CoordinatorUnavailableException {
    return real.logCheckpoint(heldSize, from);
  }

  @Override
  public List<Long> relog(List<byte[]> entries) throws CoordinatorUnavailableException {
    return real.relog(entries);
  }
}
