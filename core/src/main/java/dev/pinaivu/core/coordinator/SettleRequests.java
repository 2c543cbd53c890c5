package dev.pinaivu.core.coordinator;

/** The checks every adapter makes before a settle request goes anywhere. */
final class SettleRequests {
  private SettleRequests() {}

  /** Throws {@link IllegalArgumentException} naming the first member that is missing. */
  static void requireComplete(Coordinator.SettleRequest request) {
    if (request == null) {
      throw new IllegalArgumentException("a settle request is required");
    }
    require(request.dispatchToken(), "dispatch_token");
    require(request.offer(), "node_offer");
    require(request.proof(), "proof");
    require(request.nodePublicKey(), "node_public_key");
    require(request.delivery(), "delivery");
    require(request.accountRef(), "account_ref");
  }

  private static void require(Object value, String member) {
    if (value == null) {
      throw new IllegalArgumentException("settle: " + member + " is required");
    }
  }
}
