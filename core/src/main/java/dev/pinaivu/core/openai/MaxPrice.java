package dev.pinaivu.core.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.money.TokenPrice;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * OpenRouter's provider routing parameter {@code provider.max_price}: {@code {"prompt": 1,
 * "completion": 2}}, the most the client pays in USD per million tokens; nodes above it are not
 * tried. Either member may be left out (no limit on that side). Other {@code provider} members are
 * not interpreted here, and the node is told to ignore the whole object.
 */
final class MaxPrice {
  private MaxPrice() {}

  /** The client's ceiling, or null when it set none. */
  static TokenPrice of(JsonNode body) {
    JsonNode provider = body.get("provider");
    if (provider == null || provider.isNull()) {
      return null;
    }
    if (!provider.isObject()) {
      throw ApiException.invalidType("provider", "an object");
    }
    JsonNode max = provider.get("max_price");
    if (max == null || max.isNull()) {
      return null;
    }
    if (!max.isObject()) {
      throw ApiException.invalidType("provider.max_price", "an object");
    }
    return new TokenPrice(
        micros(max.get("prompt"), "provider.max_price.prompt"),
        micros(max.get("completion"), "provider.max_price.completion"));
  }

  /** USD per million tokens as µUSD per million, rounded down; no limit when absent. */
  private static long micros(JsonNode usd, String param) {
    if (usd == null || usd.isNull()) {
      return Long.MAX_VALUE;
    }
    if (!usd.isNumber()) {
      throw ApiException.invalidType(param, "a number (USD per million tokens)");
    }
    BigDecimal dollars = usd.decimalValue();
    if (dollars.signum() < 0) {
      throw ApiException.invalid(param, "'" + param + "' cannot be negative.");
    }
    BigDecimal micros = dollars.movePointRight(6).setScale(0, RoundingMode.DOWN);
    return micros.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0
        ? Long.MAX_VALUE
        : micros.longValueExact();
  }
}
