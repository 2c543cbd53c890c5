package dev.pinaivu.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.node.NodeId;

/**
 * Whom the per-operator limit counts a node under: the optional {@code operator} member of its
 * signed offer ({@code op:} and the name), or its own node id when it names none. The name is the
 * operator's claim, not proved: it bounds an operator's own fleet, and the allowlist is what keeps
 * others out (ADR 22).
 */
public final class OfferOperator {
  public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._@:-]{0,63}";

  private OfferOperator() {}

  public static String of(ObjectNode offer, NodeId node) {
    JsonNode value = offer.get("operator");
    if (value == null || value.isNull()) {
      return "node:" + node.value();
    }
    if (!value.isTextual() || !value.asText().matches(PATTERN)) {
      throw new IllegalArgumentException(
          "offer.operator must be 1 to 64 of A-Z a-z 0-9 . _ @ : - (starting with a letter or"
              + " digit)");
    }
    return "op:" + value.asText();
  }
}
