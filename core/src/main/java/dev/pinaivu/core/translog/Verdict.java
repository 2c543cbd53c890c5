package dev.pinaivu.core.translog;

/** The outcome of checking a proof or a signature: accepted, or rejected with the reason why. */
public record Verdict(boolean accepted, String reason) {
  private static final Verdict ACCEPTED = new Verdict(true, "");

  public Verdict {
    if (reason == null || accepted != reason.isEmpty()) {
      throw new IllegalArgumentException("a rejection needs a reason and an acceptance has none");
    }
  }

  public static Verdict accept() {
    return ACCEPTED;
  }

  public static Verdict reject(String reason) {
    return new Verdict(false, reason);
  }
}
