package dev.pinaivu.core.coordinator;

/**
 * Coordinators whose log their parent has opened empty, as a gateway does at its start: a
 * coordinator settles nothing before that (docs/coordinator-protocol.md §3.5).
 */
public final class OpenedLogs {
  private OpenedLogs() {}

  /** A dev coordinator with an empty, open log. */
  public static CoordinatorService dev(CoordinatorOptions options) {
    return open(CoordinatorService.dev(options));
  }

  /** {@code service}, its log opened empty. */
  public static CoordinatorService open(CoordinatorService service) {
    service.openLog(Coordinator.LogState.EMPTY);
    return service;
  }
}
