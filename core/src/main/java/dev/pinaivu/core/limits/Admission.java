package dev.pinaivu.core.limits;

import dev.pinaivu.core.auth.Caller;
import dev.pinaivu.core.auth.Permissions;
import dev.pinaivu.core.auth.Scope;
import dev.pinaivu.core.openai.ChatRequest;
import dev.pinaivu.core.openai.Usage;

/**
 * Use case step: may this authenticated, validated chat request go to a node? Checks, in order, the
 * {@code chat} scope and the model (403), the account's credit and the key's budget (429 {@code
 * insufficient_quota}), then the key's RPM and TPM (429 {@code rate_limit_exceeded}), which reserve
 * the request's tokens. Checks that cost nothing come first, so that a refused request takes no
 * rate-limit room.
 */
public final class Admission {
  private final Quota quota;
  private final RateLimits limiter;

  public Admission(Quota quota, RateLimits limiter) {
    this.quota = quota;
    this.limiter = limiter;
  }

  /**
   * Admits the request or throws the refusal; the returned ticket must be settled or released when
   * the request ends.
   */
  public Ticket admit(Caller caller, ChatRequest request) {
    Permissions.require(caller, Scope.CHAT);
    Permissions.requireModel(caller, request.model());
    quota.require(caller);
    return limiter.admit(
        caller.keyId(), caller.rpm(), caller.tpm(), TokenReservation.of(request, caller.tpm()));
  }

  /**
   * The request ended having used {@code usage} (null: unknown, so the reservation stands), as TPM
   * counts it.
   */
  public void settle(Ticket ticket, Usage usage) {
    if (usage != null) {
      limiter.settle(ticket, usage.totalTokens());
    }
  }

  /** The request ended before any output: it used none of its tokens. */
  public void release(Ticket ticket) {
    limiter.release(ticket);
  }
}
