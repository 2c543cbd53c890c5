package dev.pinaivu.core.models;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.auth.Authenticator;
import dev.pinaivu.core.auth.Caller;
import dev.pinaivu.core.auth.Permissions;
import dev.pinaivu.core.auth.Scope;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.routing.LiveOffer;
import dev.pinaivu.core.routing.NodeDirectory;
import dev.pinaivu.core.routing.PriceCeilings;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Use case {@code GET /v1/models} and {@code GET /v1/models/{id}}: the models at least one live
 * node serves now, in OpenAI's list shape, with what OpenRouter users expect beside it: the lowest
 * live price (per token as {@code pricing.prompt}/{@code completion}, and per million tokens), the
 * number of live nodes and the context length where a node states it.
 *
 * <p>Both need the {@code models} scope. A key restricted to some models sees only those: the list
 * leaves the others out, and {@code GET /v1/models/{id}} answers 404 for them exactly as for a
 * model nobody serves, so a restricted key learns nothing about models it may not use (OpenAI
 * answers the same way for models a project cannot access).
 */
public final class ModelCatalog {
  private final Authenticator authenticator;
  private final NodeDirectory directory;
  private final PriceCeilings ceilings;

  /**
   * @param ceilings offers above these are left out, as routing leaves them out
   */
  public ModelCatalog(
      Authenticator authenticator, NodeDirectory directory, PriceCeilings ceilings) {
    this.authenticator = authenticator;
    this.directory = directory;
    this.ceilings = ceilings;
  }

  public ObjectNode list(String authorization) {
    Caller caller = authenticator.authenticate(authorization);
    Permissions.require(caller, Scope.MODELS);
    ObjectNode list = Json.object();
    list.put("object", "list");
    ArrayNode data = list.putArray("data");
    byModel()
        .forEach((id, offers) -> {
          if (caller.mayUse(id)) {
            data.add(describe(id, offers));
          }
        });
    return list;
  }

  public ObjectNode get(String authorization, String modelId) {
    Caller caller = authenticator.authenticate(authorization);
    Permissions.require(caller, Scope.MODELS);
    List<LiveOffer> offers = caller.mayUse(modelId) ? byModel().get(modelId) : null;
    if (offers == null) {
      throw new ApiException(
          dev.pinaivu.core.error.ErrorKind.NOT_FOUND,
          "The model '"
              + modelId
              + "' does not exist, is not served by any live node right now, or this key may not"
              + " use it.",
          "model",
          "model_not_found");
    }
    return describe(modelId, offers);
  }

  private Map<String, List<LiveOffer>> byModel() {
    return directory.liveOffers().stream()
        .filter(o -> ceilings.allow(o.offer().id(), o.offer().price()))
        .collect(Collectors.groupingBy(o -> o.offer().id(), TreeMap::new, Collectors.toList()));
  }

  private static ObjectNode describe(String id, List<LiveOffer> offers) {
    LiveOffer cheapest =
        offers.stream()
            .min(Comparator.comparingLong(o -> o.offer().price().blendedMicrosPerMillion()))
            .orElseThrow();
    long created = offers.stream().mapToLong(LiveOffer::connectedAtMs).min().orElse(0) / 1000;
    ObjectNode model = Json.object();
    model.put("id", id);
    model.put("object", "model");
    model.put("created", created);
    model.put("owned_by", "pinaivu-network");
    ObjectNode pricing = model.putObject("pricing");
    long in = cheapest.offer().inputMicrosPerMtok();
    long out = cheapest.offer().outputMicrosPerMtok();
    pricing.put("prompt", perToken(in));
    pricing.put("completion", perToken(out));
    pricing.put("prompt_per_million", perMillion(in));
    pricing.put("completion_per_million", perMillion(out));
    pricing.put("currency", "USD");
    offers.stream()
        .map(o -> o.offer().contextLength())
        .filter(java.util.Objects::nonNull)
        .max(Integer::compare)
        .ifPresentOrElse(
            c -> model.put("context_length", c), () -> model.putNull("context_length"));
    model.put("nodes", offers.stream().map(LiveOffer::nodeId).distinct().count());
    return model;
  }

  /** Dollars per token: micro-dollars per million tokens, shifted by 12 decimal places. */
  private static String perToken(long microsPerMillion) {
    return plain(BigDecimal.valueOf(microsPerMillion, 12));
  }

  private static String perMillion(long microsPerMillion) {
    return plain(BigDecimal.valueOf(microsPerMillion, 6));
  }

  private static String plain(BigDecimal value) {
    return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
  }
}
