package dev.pinaivu.core.receipt;

import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeOffer;
import java.util.Optional;

/**
 * The rule that ties a dispatch token's prices to the node: the token names the node's signed offer
 * by hash, the offer verifies under the node's key, and its price for the token's model is exactly
 * the token's. The coordinator checks it before it signs a token and again before it signs a
 * receipt (the signature once per settlement, {@link VerifiedOffer}); every verifier checks it in
 * the receipt.
 */
final class OfferCheck {
  private OfferCheck() {}

  /** The first way {@code offer} fails to back {@code token}'s prices, or empty. */
  static Optional<String> firstFailure(Verification<VerifiedOffer> verified, DispatchToken token) {
    if (!verified.valid()) {
      return Optional.of(verified.reason());
    }
    NodeOffer offer = verified.value().offer();
    if (!offer.nodeId().equals(token.nodeId())) {
      return Optional.of("node offer: node_id is not the node the token dispatched to");
    }
    if (!verified.value().sha256().equals(token.offerSha256())) {
      return Optional.of("node offer: its SHA-256 is not the dispatch token's offer_sha256");
    }
    Optional<ModelOffer> model = SignedOffer.model(offer, token.model());
    if (model.isEmpty()) {
      return Optional.of("node offer: the node does not offer model " + token.model());
    }
    if (model.get().inputMicrosPerMtok() != token.inputMicrosPerMtok()
        || model.get().outputMicrosPerMtok() != token.outputMicrosPerMtok()) {
      return Optional.of(
          String.format(
              "dispatch token: prices %d/%d µUSD per Mtok are not the node's offer %d/%d",
              token.inputMicrosPerMtok(),
              token.outputMicrosPerMtok(),
              model.get().inputMicrosPerMtok(),
              model.get().outputMicrosPerMtok()));
    }
    return Optional.empty();
  }
}
