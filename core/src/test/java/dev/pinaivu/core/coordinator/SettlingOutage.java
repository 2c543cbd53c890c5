package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.Verification;

/**
 * A real coordinator that cannot be reached for settling until {@link #end}: it dispatches as
 * usual, so requests are served, and their settlements must wait. For the tests of owed
 * settlements.
 */
public final class SettlingOutage extends ForwardingCoordinator {
  private volatile boolean down = true;

  /** Down from the start. */
  public SettlingOutage(Coordinator real) {
    super(real);
  }

  public void end() {
    down = false;
  }

  @Override
  public Verification<SignedReceipt> settle(SettleRequest request)
      throws CoordinatorUnavailableException {
    if (down) {
      throw new CoordinatorUnavailableException("the coordinator is down (test)", null);
    }
    return super.settle(request);
  }
}
