package dev.pinaivu.core.billing;

import dev.pinaivu.core.receipt.SignedReceipt;
import java.util.Optional;

/**
 * Port: the receipts in the parent's stored copy of the transparency log, by leaf index: where a
 * receipt is found when the coordinator's answer to its settlement was lost and the coordinator no
 * longer keeps it ({@link dev.pinaivu.core.coordinator.AlreadySettledException}).
 */
@FunctionalInterface
public interface LoggedReceipts {
  /** The receipt that is leaf {@code index}, once the stored log holds it; empty otherwise. */
  Optional<SignedReceipt> at(long index);

  LoggedReceipts NONE = index -> Optional.empty();
}
