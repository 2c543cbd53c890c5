package dev.pinaivu.core.auth;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What an API key may call; a key holds one or more. Written in lower case on the wire. */
public enum Scope {
  /** {@code POST /v1/chat/completions} */
  CHAT,
  /** {@code GET /v1/models}, {@code GET /v1/models/{id}} */
  MODELS,
  /** {@code GET /v1/usage} */
  USAGE,
  /** {@code GET /v1/receipts/...} */
  RECEIPTS;

  /** Every scope: what a key gets when none are named, and what keys made before scopes hold. */
  public static Set<Scope> all() {
    return EnumSet.allOf(Scope.class);
  }

  /** The name used in flags, JSON and the store: {@code chat}, {@code models}, ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a scope a person typed; unknown names are refused, naming the known ones. */
  public static Scope parse(String name) {
    Scope scope = fromWire(name == null ? null : name.strip());
    if (scope == null) {
      throw new IllegalArgumentException(
          "unknown scope '" + name + "' (known: " + names(all()) + ")");
    }
    return scope;
  }

  /** Lenient reading of stored names: null for a name this build does not know. */
  public static Scope fromWire(String name) {
    if (name == null) {
      return null;
    }
    for (Scope s : values()) {
      if (s.wireName().equals(name)) {
        return s;
      }
    }
    return null;
  }

  /** {@code chat,models} for a set of scopes, in declaration order. */
  public static String names(Set<Scope> scopes) {
    return Arrays.stream(values())
        .filter(scopes::contains)
        .map(Scope::wireName)
        .collect(Collectors.joining(","));
  }
}
