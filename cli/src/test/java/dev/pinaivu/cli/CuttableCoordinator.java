package dev.pinaivu.cli;

import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorUnavailableException;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.Verification;
import java.util.List;

/**
 * Test code: a coordinator whose settlements can be cut, as an outage or a crash between the owed
 * settlement and its receipt would: {@code settle} then fails as an unreachable coordinator does,
 * and everything else goes through.
 */
final class CuttableCoordinator implements Coordinator {
  private final Coordinator real;
  private volatile boolean settlementsCut;

  CuttableCoordinator(Coordinator real) {
    this.real = real;
  }

  void cutSettlements(boolean cut) {
    settlementsCut = cut;
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
    if (settlementsCut) {
      throw new CoordinatorUnavailableException(
          "settlements cut by the test", new java.io.IOException("cut"));
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
