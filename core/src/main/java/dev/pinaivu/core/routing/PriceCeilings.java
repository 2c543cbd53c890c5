package dev.pinaivu.core.routing;

import dev.pinaivu.core.money.TokenPrice;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The operator's ceilings on what a node may charge, per million tokens: offers above the ceiling
 * of their model are neither routed to nor listed, so a node offering an absurd price earns nothing
 * and costs no client anything. One default for every model, and overrides by model id.
 */
public record PriceCeilings(TokenPrice defaults, Map<String, TokenPrice> byModel) {
  /**
   * $10 per million prompt and $30 per million completion tokens: ten times today's dearest open
   * models.
   */
  public static final TokenPrice DEFAULT_CEILING = new TokenPrice(10_000_000, 30_000_000);

  public static final PriceCeilings DEFAULTS = new PriceCeilings(DEFAULT_CEILING, Map.of());

  public PriceCeilings {
    Objects.requireNonNull(defaults, "defaults");
    byModel = Map.copyOf(byModel);
  }

  public TokenPrice of(String model) {
    return byModel.getOrDefault(model, defaults);
  }

  /** True when {@code price} is within the ceiling of {@code model}. */
  public boolean allow(String model, TokenPrice price) {
    return within(price, of(model));
  }

  /** True when both of {@code price}'s figures are at most {@code ceiling}'s. */
  public static boolean within(TokenPrice price, TokenPrice ceiling) {
    return price.inputMicrosPerMillion() <= ceiling.inputMicrosPerMillion()
        && price.outputMicrosPerMillion() <= ceiling.outputMicrosPerMillion();
  }

  public PriceCeilings withModel(String model, TokenPrice ceiling) {
    Map<String, TokenPrice> next = new HashMap<>(byModel);
    next.put(model, ceiling);
    return new PriceCeilings(defaults, next);
  }
}
