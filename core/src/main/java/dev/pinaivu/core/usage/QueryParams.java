package dev.pinaivu.core.usage;

import dev.pinaivu.core.error.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a URL query as an HTTP server hands it over (name to every value given). A list parameter
 * may be repeated ({@code group_by=model&group_by=key_id}), written with brackets ({@code
 * group_by[]=model}) or comma-separated ({@code group_by=model,key_id}); all three mean the same.
 */
final class QueryParams {
  private final Map<String, List<String>> params;

  QueryParams(Map<String, List<String>> params) {
    this.params = Map.copyOf(params);
  }

  /** The one value of {@code name}, if given; given twice is a 400. */
  Optional<String> scalar(String name) {
    List<String> values = params.getOrDefault(name, List.of());
    if (values.size() > 1) {
      throw ApiException.invalid(name, "'" + name + "' may be given only once.");
    }
    return values.stream().findFirst().map(String::strip);
  }

  /** Every value of {@code name} and {@code name[]}, comma-separated ones split, blanks dropped. */
  List<String> list(String name) {
    List<String> out = new ArrayList<>();
    for (String key : List.of(name, name + "[]")) {
      for (String value : params.getOrDefault(key, List.of())) {
        for (String part : value.split(",", -1)) {
          if (!part.isBlank()) {
            out.add(part.strip());
          }
        }
      }
    }
    return out;
  }

  /** A whole number of Unix seconds. */
  long seconds(String name, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiException.invalid(
          name,
          "Invalid value for '"
              + name
              + "': "
              + Shown.of(value)
              + ". Expected a Unix time in whole seconds.");
    }
  }
}
