package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.receipt.DispatchToken;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedOffer;
import java.util.Objects;

/**
 * The coordinator's dispatch step: a token priced from the node's own signed offer (verified, and
 * within the coordinator's ceiling), within the request's token limits, with the coordinator's fee
 * and time limits. The gateway names the offer, never a price (docs/receipts.md §4).
 */
final class TokenIssuer {
  private final Ed25519.PrivateKey key;
  private final String keyId;
  private final CoordinatorOptions options;
  private final VerifiedOffers offers = new VerifiedOffers(4096);

  TokenIssuer(Ed25519.PrivateKey key, String keyId, CoordinatorOptions options) {
    this.key = key;
    this.keyId = keyId;
    this.options = options;
  }

  /**
   * @throws IllegalArgumentException when a member is malformed, the offer does not verify or does
   *     not offer the model, its price is above the ceiling, or the limits are out of range
   */
  SignedDispatchToken issue(Coordinator.DispatchRequest request) {
    Objects.requireNonNull(request, "request");
    NodeOffer offer = offers.verified(request.offer(), request.nodePublicKey());
    ModelOffer model =
        SignedOffer.model(offer, request.model())
            .orElseThrow(() ->
                new IllegalArgumentException(
                    "node offer: the node does not offer model " + request.model()));
    TokenPrice ceiling = options.priceCeiling();
    if (model.inputMicrosPerMtok() > ceiling.inputMicrosPerMillion()
        || model.outputMicrosPerMtok() > ceiling.outputMicrosPerMillion()) {
      throw new IllegalArgumentException(
          "node offer: its price for "
              + request.model()
              + " is above this coordinator's ceiling of "
              + ceiling.inputMicrosPerMillion()
              + "/"
              + ceiling.outputMicrosPerMillion()
              + " µUSD per Mtok");
    }
    if (request.maxPromptTokens() > CoordinatorOptions.MAX_PROMPT_TOKENS
        || request.maxCompletionTokens() > CoordinatorOptions.MAX_COMPLETION_TOKENS) {
      throw new IllegalArgumentException(
          "token limits above "
              + CoordinatorOptions.MAX_PROMPT_TOKENS
              + " prompt or "
              + CoordinatorOptions.MAX_COMPLETION_TOKENS
              + " completion tokens are refused");
    }
    long now = options.clock().millis();
    long expires = Math.addExact(now, options.tokenTtl().toMillis());
    DispatchToken token =
        new DispatchToken(
            DispatchToken.VERSION,
            RequestId.parse(request.requestId()),
            request.requestSha256(),
            offer.nodeId(),
            request.model(),
            model.inputMicrosPerMtok(),
            model.outputMicrosPerMtok(),
            request.offer().sha256(),
            options.fees().feeBps(),
            request.maxPromptTokens(),
            request.maxCompletionTokens(),
            now,
            expires,
            Math.addExact(expires, options.settleWindow().toMillis()),
            keyId);
    token.maxChargeMicros(); // refuses limits and prices whose cost would overflow
    return SignedDispatchToken.sign(token, key);
  }

  @Override
  public String toString() {
    return "TokenIssuer[" + keyId + ", private key redacted]";
  }
}
