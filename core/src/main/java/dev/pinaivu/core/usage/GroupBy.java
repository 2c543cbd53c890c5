package dev.pinaivu.core.usage;

import dev.pinaivu.core.error.ApiException;

/** A field a usage report may split its results by ({@code group_by}). */
public enum GroupBy {
  MODEL("model"),
  KEY_ID("key_id");

  private final String wire;

  GroupBy(String wire) {
    this.wire = wire;
  }

  public static GroupBy parse(String value) {
    for (GroupBy field : values()) {
      if (field.wire.equals(value)) {
        return field;
      }
    }
    throw ApiException.invalid(
        "group_by",
        "Invalid value for 'group_by': " + Shown.of(value) + ". Expected 'model' or 'key_id'.");
  }

  public String wire() {
    return wire;
  }
}
