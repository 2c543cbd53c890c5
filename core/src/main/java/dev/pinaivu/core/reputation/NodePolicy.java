package dev.pinaivu.core.reputation;

import java.util.Objects;

/** The operator's node policy: who may join ({@link NodeAdmission}) and how conduct is treated. */
public record NodePolicy(NodeAdmission admission, ConductRules conduct) {
  public static final NodePolicy DEFAULTS =
      new NodePolicy(NodeAdmission.DEFAULTS, ConductRules.DEFAULTS);

  public NodePolicy {
    Objects.requireNonNull(admission, "admission");
    Objects.requireNonNull(conduct, "conduct");
  }

  public NodePolicy withAdmission(NodeAdmission next) {
    return new NodePolicy(next, conduct);
  }

  public NodePolicy withConduct(ConductRules next) {
    return new NodePolicy(admission, next);
  }
}
