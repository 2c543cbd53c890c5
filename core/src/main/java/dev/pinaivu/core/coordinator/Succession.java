package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.receipt.CoordinatorKey;

/**
 * Whether a coordinator may take over a log another key signed: the key of the checkpoint it
 * resumes from ({@code log_open}), or the key of a coordinator that crashed before any checkpoint
 * covered its announcement, whose receipts it is asked to log again ({@code log_relog}). A
 * coordinator continues a history only from keys this policy accepts, so a parent cannot have an
 * enclave extend a log that some other program signed.
 */
@FunctionalInterface
public interface Succession {
  /**
   * Refuses a Nitro coordinator anything a development key signed; accepts the rest. The default
   * where no attestation can be checked (dev mode, tests).
   */
  Succession NO_DEV_AFTER_NITRO =
      (own, predecessor) -> {
        if (own.kind() == CoordinatorKey.Kind.NITRO
            && predecessor.kind() == CoordinatorKey.Kind.DEV) {
          throw new IllegalArgumentException(
              "an enclave coordinator does not continue a log signed by a development key");
        }
      };

  /**
   * @throws IllegalArgumentException saying why {@code own} may not continue what {@code
   *     predecessor} signed
   */
  void check(CoordinatorKey own, CoordinatorKey predecessor);
}
