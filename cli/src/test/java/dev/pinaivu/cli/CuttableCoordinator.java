package dev.pinaivu.cli;

import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorUnavailableException;
import dev.pinaivu.core.coordinator.ForwardingCoordinator;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.Verification;
import java.io.IOException;

/**
 * Test code: a coordinator whose settlements can be cut, as an outage or a crash between the owed
 * settlement and its receipt would: {@code settle} then fails as an unreachable coordinator does,
 * and everything else goes through.
 */
final class CuttableCoordinator extends ForwardingCoordinator {
  private volatile boolean settlementsCut;

  CuttableCoordinator(Coordinator real) {
    super(real);
  }

  void cutSettlements(boolean cut) {
    settlementsCut = cut;
  }

  @Override
  public Verification<SignedReceipt> settle(SettleRequest request)
      throws CoordinatorUnavailableException {
    if (settlementsCut) {
      throw new CoordinatorUnavailableException(
          "settlements cut by the test", new IOException("cut"));
    }
    return super.settle(request);
  }
}
