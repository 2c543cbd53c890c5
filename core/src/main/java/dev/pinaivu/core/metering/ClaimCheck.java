package dev.pinaivu.core.metering;

/**
 * Whether a node's completion claim is credible next to what it delivered: a claim more than
 * {@value #TOLERANCE} times a tokenizer's estimate of the delivered text (plus the allowances of
 * {@link OutputMeter}) marks the node as over-claiming, and routing sends it less. The billing
 * limits cut such a claim anyway; this catches the slack they leave (a node claiming one token per
 * byte of English text is within them, at about four times the truth).
 *
 * <p>The estimate is only computed when the claim is above one token per {@value #CHEAP_BYTES}
 * bytes of output, which honest claims for most text are not, so an honest request costs no
 * tokenizing.
 */
public final class ClaimCheck {
  static final double TOLERANCE = 1.5;
  static final int CHEAP_BYTES = 3;

  private final TokenCounter counter;

  public ClaimCheck(TokenCounter counter) {
    this.counter = counter;
  }

  /**
   * True when {@code claimedCompletion} tokens are not credible for the output {@code meter} saw.
   */
  public boolean overclaims(long claimedCompletion, OutputMeter meter) {
    long allowances = meter.completionLimit() - meter.outputBytes();
    if (claimedCompletion <= allowances + meter.outputBytes() / CHEAP_BYTES) {
      return false;
    }
    long estimate = counter.count(meter.text());
    return claimedCompletion > Math.ceil(TOLERANCE * estimate) + allowances;
  }
}
