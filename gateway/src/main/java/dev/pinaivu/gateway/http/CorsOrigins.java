package dev.pinaivu.gateway.http;

import io.javalin.config.JavalinConfig;
import io.javalin.plugin.bundled.CorsPlugin;
import java.net.URI;
import java.util.List;

/**
 * Which web origins may call the public API ({@code /v1}) from a browser (ADR 29): any (the
 * default, as OpenAI's and OpenRouter's APIs allow), a list, or none. The admin API never answers a
 * browser's cross-origin call. No credentials mode: callers authenticate with a bearer key, never a
 * cookie, so {@code Access-Control-Allow-Origin: *} is safe and no origin is reflected.
 *
 * @param origins {@code ["*"]} for any, exact origins ({@code https://app.example}), or empty for
 *     none
 */
public record CorsOrigins(List<String> origins) {
  /** Every origin: the default. */
  public static final CorsOrigins ANY = new CorsOrigins(List.of("*"));

  /** No cross-origin calls at all. */
  public static final CorsOrigins NONE = new CorsOrigins(List.of());

  /** What the browser may read of a response besides the CORS-safelisted headers. */
  static final List<String> EXPOSED =
      List.of(
          "x-request-id",
          "x-pinaivu-node",
          "retry-after",
          "x-ratelimit-limit-requests",
          "x-ratelimit-limit-tokens",
          "x-ratelimit-remaining-requests",
          "x-ratelimit-remaining-tokens",
          "x-ratelimit-reset-requests",
          "x-ratelimit-reset-tokens");

  /** How long a browser may cache a preflight's answer, in seconds. */
  static final int PREFLIGHT_MAX_AGE = 600;

  public CorsOrigins {
    origins = List.copyOf(origins);
    if (origins.contains("*") && origins.size() > 1) {
      throw new IllegalArgumentException("'*' allows every origin: list no others beside it");
    }
    for (String origin : origins) {
      if (!origin.equals("*")) {
        requireOrigin(origin);
      }
    }
  }

  /**
   * Parses the operator's flag: {@code *}, {@code none}, or origins separated by commas, each a
   * scheme, host and optional port with no path ({@code https://app.example:8443}).
   */
  public static CorsOrigins parse(String flag) {
    String value = flag.strip();
    if (value.equals("*")) {
      return ANY;
    }
    if (value.equals("none")) {
      return NONE;
    }
    return new CorsOrigins(
        java.util.Arrays.stream(value.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList());
  }

  /** Registers the CORS rule for {@code /v1} with Javalin's CORS plugin, unless none is allowed. */
  public void register(JavalinConfig cfg) {
    if (origins.isEmpty()) {
      return;
    }
    cfg.registerPlugin(
        new CorsPlugin(cors ->
            cors.addRule(rule -> {
              rule.path = "/v1/*";
              rule.maxAge = PREFLIGHT_MAX_AGE;
              if (origins.contains("*")) {
                rule.anyHost();
              } else {
                rule.allowHost(
                    origins.getFirst(), origins.subList(1, origins.size()).toArray(String[]::new));
              }
              EXPOSED.forEach(rule::exposeHeader);
            })));
  }

  private static void requireOrigin(String origin) {
    URI uri;
    try {
      uri = URI.create(origin);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an origin: " + origin);
    }
    boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
    boolean bare =
        uri.getHost() != null
            && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
            && uri.getRawQuery() == null
            && uri.getRawFragment() == null
            && uri.getRawUserInfo() == null;
    if (!web || !bare) {
      throw new IllegalArgumentException(
          "not an origin (scheme://host[:port], no path): " + origin);
    }
  }
}
