package dev.pinaivu.core.chat;

import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.openai.ChatRequest;
import dev.pinaivu.core.routing.NodeCandidate;
import dev.pinaivu.core.routing.PriceCeilings;
import java.util.List;

/** Which live nodes a request may go to at all, by price: before any ranking (ADR 20). */
final class CandidatePrices {
  private CandidatePrices() {}

  /**
   * The live nodes of the model within the operator's ceiling and the client's max price.
   *
   * @throws ApiException 503 {@code no_node_available} when none is live, {@code
   *     no_node_within_price} when none is within the prices
   */
  static List<NodeCandidate> within(
      List<NodeCandidate> live, ChatRequest request, PriceCeilings ceilings) {
    if (live.isEmpty()) {
      throw ApiException.noCapacity(request.model());
    }
    List<NodeCandidate> priced =
        live.stream()
            .filter(c -> ceilings.allow(request.model(), c.offer().price()))
            .filter(c ->
                request.maxPrice() == null
                    || PriceCeilings.within(c.offer().price(), request.maxPrice()))
            .toList();
    if (priced.isEmpty()) {
      throw new ApiException(
          ErrorKind.NO_CAPACITY,
          "No GPU node serves model '"
              + request.model()
              + "' within "
              + (request.maxPrice() != null
                  ? "your provider.max_price and the network's price ceiling"
                  : "the network's price ceiling")
              + " right now. Retry later, or raise provider.max_price.",
          request.maxPrice() != null ? "provider.max_price" : "model",
          "no_node_within_price");
    }
    return priced;
  }
}
