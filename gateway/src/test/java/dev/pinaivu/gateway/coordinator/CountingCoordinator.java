package dev.pinaivu.gateway.coordinator;

import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorUnavailableException;
import dev.pinaivu.core.coordinator.ForwardingCoordinator;
import dev.pinaivu.core.receipt.CoordinatorKey;
import java.util.concurrent.atomic.AtomicInteger;

/** A coordinator that counts the identity requests reaching it, for the server side of tests. */
final class CountingCoordinator extends ForwardingCoordinator {
  final AtomicInteger identityCalls = new AtomicInteger();

  CountingCoordinator(Coordinator delegate) {
    super(delegate);
  }

  @Override
  public CoordinatorKey identity() throws CoordinatorUnavailableException {
    identityCalls.incrementAndGet();
    return super.identity();
  }
}
