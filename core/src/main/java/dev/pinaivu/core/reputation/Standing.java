package dev.pinaivu.core.reputation;

/**
 * What the network makes of one node at one moment: what routing weighs, what the admin view and
 * the metrics show.
 *
 * @param phase probation, established or quarantined
 * @param reputation 0.6 × success + 0.4 × latency ({@link Reputation})
 * @param capacityCap the most concurrent jobs it is trusted with now (before its offer's claim)
 * @param quarantinedUntilMs when its quarantine ends; 0 when it is not quarantined
 * @param quarantines how many times it was quarantined since it last ended a probation
 * @param successes jobs that succeeded on it since it was first seen
 * @param failures jobs that failed on it (including missed deadlines) since it was first seen
 * @param overclaims usage claims found inflated since it was first seen
 */
public record Standing(
    Phase phase,
    double reputation,
    double success,
    double latency,
    int capacityCap,
    long quarantinedUntilMs,
    int quarantines,
    long successes,
    long failures,
    long overclaims) {

  public enum Phase {
    PROBATION,
    ESTABLISHED,
    QUARANTINED;

    /** As the admin API and metrics spell it. */
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A node routing may try. */
  public boolean routable() {
    return phase != Phase.QUARANTINED;
  }

  public boolean onProbation() {
    return phase == Phase.PROBATION;
  }

  /** What routing assumes of a node it knows nothing about (tests, other directories). */
  public static final Standing UNKNOWN =
      new Standing(Phase.ESTABLISHED, 0.5, 0.5, 0.5, Integer.MAX_VALUE, 0, 0, 0, 0, 0);
}
