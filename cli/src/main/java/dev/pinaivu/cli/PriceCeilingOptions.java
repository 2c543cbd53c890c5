package dev.pinaivu.cli;

import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.money.Usd;
import dev.pinaivu.core.routing.PriceCeilings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The operator's price ceilings (ADR 20), a picocli mixin of {@code gateway} and {@code up}: nodes
 * offering more are neither routed to nor listed.
 */
final class PriceCeilingOptions {
  @Option(
      names = "--max-price-in",
      paramLabel = "USD",
      description =
          "The most a node may charge per million prompt tokens (default: " + "${DEFAULT-VALUE})",
      defaultValue = "10")
  String maxPriceIn;

  @Option(
      names = "--max-price-out",
      paramLabel = "USD",
      description =
          "The most a node may charge per million completion tokens (default: "
              + "${DEFAULT-VALUE})",
      defaultValue = "30")
  String maxPriceOut;

  @Option(
      names = "--model-max-price",
      paramLabel = "MODEL=IN,OUT",
      description =
          "Another ceiling for one model, USD per million prompt and completion tokens"
              + " (repeatable), e.g. llama3.1:405b=20,60")
  List<String> perModel = new ArrayList<>();

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  PriceCeilings ceilings() {
    PriceCeilings ceilings =
        new PriceCeilings(
            price(maxPriceIn, maxPriceOut, "--max-price-in/--max-price-out"), Map.of());
    for (String entry : perModel) {
      int equals = entry.lastIndexOf('=');
      String[] prices = equals < 1 ? new String[0] : entry.substring(equals + 1).split(",", -1);
      if (prices.length != 2) {
        throw usage("--model-max-price must be MODEL=IN,OUT, got " + entry);
      }
      ceilings = ceilings.withModel(entry.substring(0, equals), price(prices[0], prices[1], entry));
    }
    return ceilings;
  }

  private TokenPrice price(String in, String out, String what) {
    try {
      return new TokenPrice(Usd.parseMicros(in), Usd.parseMicros(out));
    } catch (IllegalArgumentException e) {
      throw usage(what + ": " + e.getMessage());
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
