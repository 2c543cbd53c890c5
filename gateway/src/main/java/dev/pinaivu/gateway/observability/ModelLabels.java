package dev.pinaivu.gateway.observability;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code model} label of request metrics, bounded: clients name any model they like and nodes
 * offer any name, and every distinct label value is a new time series in Prometheus. The first
 * {@code max} models that were actually dispatched keep their name; the rest are {@value #OTHER}.
 */
final class ModelLabels {
  static final String NONE = "none";
  static final String OTHER = "other";

  private final int max;
  private final Set<String> named = ConcurrentHashMap.newKeySet();

  ModelLabels(int max) {
    this.max = max;
  }

  /**
   * @param dispatched whether a node was sent the request: a model no node serves is never named
   */
  String label(String model, boolean dispatched) {
    if (model == null) {
      return NONE;
    }
    if (!dispatched) {
      return named.contains(model) ? model : OTHER;
    }
    if (named.contains(model)) {
      return model;
    }
    synchronized (named) {
      if (named.size() < max) {
        named.add(model);
        return model;
      }
    }
    return OTHER;
  }
}
