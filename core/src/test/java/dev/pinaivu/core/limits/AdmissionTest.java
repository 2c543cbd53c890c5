package dev.pinaivu.core.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.auth.Caller;
import dev.pinaivu.core.auth.Scope;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.ledger.InMemoryLedger;
import dev.pinaivu.core.openai.ChatRequest;
import dev.pinaivu.core.openai.ChatRequestParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  private final InMemoryLedger ledger = new InMemoryLedger();
  private final RateLimiter limiter = new RateLimiter(() -> Instant.ofEpochMilli(1_000_000));
  private final Admission admission =
      new Admission(new Quota(ledger, new InMemoryKeySpend()), limiter);

  private static final ChatRequest REQUEST =
      ChatRequestParser.parse(
          "{\"model\":\"a\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
              .getBytes(StandardCharsets.UTF_8));

  private static Caller caller(Set<Scope> scopes, Set<String> models, Integer rpm) {
    return new Caller("key_1", "acct_a", scopes, models, rpm, null, null);
  }

  private ErrorKind refusal(Caller caller) {
    try {
      admission.admit(caller, REQUEST);
    } catch (ApiException e) {
      return e.kind();
    }
    return null;
  }

  @Test
  void admit_checksScopeThenModelThenQuotaThenRate() {
    Caller everythingWrong = caller(EnumSet.of(Scope.MODELS), Set.of("b"), 1);
    assertThat(refusal(everythingWrong)).isEqualTo(ErrorKind.PERMISSION);
    assertThatThrownBy(() -> admission.admit(caller(Scope.all(), Set.of("b"), 1), REQUEST))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("model_not_allowed"));
    assertThat(refusal(caller(Scope.all(), Set.of("a"), 1)))
        .isEqualTo(ErrorKind.INSUFFICIENT_QUOTA);

    ledger.credit("acct_a", 1_000, "pay_1");
    assertThat(refusal(caller(Scope.all(), Set.of("a"), 1))).isNull();
    assertThat(refusal(caller(Scope.all(), Set.of("a"), 1))).isEqualTo(ErrorKind.RATE_LIMITED);
  }

  @Test
  void refusalsBeforeTheRateCheck_takeNoRateLimitRoom() {
    for (int i = 0; i < 3; i++) {
      refusal(caller(EnumSet.of(Scope.MODELS), Set.of(), 1));
      refusal(caller(Scope.all(), Set.of(), 1)); // no credit
    }
    ledger.credit("acct_a", 1_000, "pay_1");

    Ticket ticket = admission.admit(caller(Scope.all(), Set.of(), 1), REQUEST);

    assertThat(ticket.status().remainingRequests()).isZero();
  }

  @Test
  void admit_reservesThePromptAndMaxTokens() {
    ledger.credit("acct_a", 1_000, "pay_1");
    Caller limited = new Caller("key_1", "acct_a", Scope.all(), Set.of(), null, 1000, null);

    Ticket ticket = admission.admit(limited, REQUEST);

    assertThat(ticket.reservedTokens())
        .isEqualTo(TokenReservation.promptEstimate(REQUEST.text()) + 10);
    assertThat(limiter.tokensInWindow("key_1")).isEqualTo(ticket.reservedTokens());
  }
}
