package dev.pinaivu.coordinator;

import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.money.Usd;
import dev.pinaivu.core.pricing.FeePolicy;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What the coordinator charges and how long its tokens live, a picocli mixin of {@link
 * CoordinatorMain}. In an enclave these are part of the measured command line, so a parent cannot
 * change them.
 */
final class PricingOptions {
  @Option(
      names = "--fee-bps",
      defaultValue = "500",
      description = "Network fee in basis points of the node's amount (default: ${DEFAULT-VALUE})")
  int feeBps;

  @Option(
      names = "--token-ttl-seconds",
      defaultValue = "960",
      description =
          "How long a dispatch token lets a node start its job (default: ${DEFAULT-VALUE})")
  long tokenTtlSeconds;

  @Option(
      names = "--settle-window-seconds",
      defaultValue = "2700",
      description =
          "How long after a token expires its job may still be settled (default:"
              + " ${DEFAULT-VALUE})")
  long settleWindowSeconds;

  @Option(
      names = "--max-price",
      paramLabel = "USD",
      defaultValue = "100",
      description =
          "The most a token may pay per million prompt or completion tokens, whatever a node"
              + " offers (default: ${DEFAULT-VALUE})")
  String maxPrice;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  CoordinatorOptions options() {
    if (feeBps < 0 || feeBps > FeePolicy.MAX_BPS) {
      throw usage("--fee-bps must be 0..10000");
    }
    if (tokenTtlSeconds < 1) {
      throw usage("--token-ttl-seconds must be positive");
    }
    if (settleWindowSeconds < 0) {
      throw usage("--settle-window-seconds cannot be negative");
    }
    long ceiling;
    try {
      ceiling = Usd.parseMicros(maxPrice);
    } catch (IllegalArgumentException e) {
      throw usage("--max-price: " + e.getMessage());
    }
    return CoordinatorOptions.withFees(new FeePolicy(feeBps))
        .withTokenTtl(Duration.ofSeconds(tokenTtlSeconds))
        .withSettleWindow(Duration.ofSeconds(settleWindowSeconds))
        .withPriceCeiling(new TokenPrice(ceiling, ceiling));
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
