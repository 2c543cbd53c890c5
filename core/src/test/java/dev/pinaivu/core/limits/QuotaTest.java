package dev.pinaivu.core.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.auth.Caller;
import dev.pinaivu.core.auth.Scope;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.InMemoryLedger;
import dev.pinaivu.core.ledger.Settlement;
import dev.pinaivu.core.node.NodeId;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuotaTest {
  private final InMemoryLedger ledger = new InMemoryLedger();
  private final InMemoryKeySpend spend = new InMemoryKeySpend();
  private final Quota quota = new Quota(ledger, spend);

  private static Caller caller(String account, Long budget) {
    return new Caller("key_1", account, Scope.all(), Set.of(), null, null, budget);
  }

  private static void assertInsufficientQuota(Runnable check, String messagePart) {
    assertThatThrownBy(check::run)
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INSUFFICIENT_QUOTA);
              assertThat(e.kind().type()).isEqualTo("insufficient_quota");
              assertThat(e.code()).isEqualTo("insufficient_quota");
              assertThat(e.getMessage()).contains(messagePart);
              assertThat(e.headers()).isEmpty();
            });
  }

  @Test
  void accountWithCredit_passes() {
    ledger.credit("acct_a", 1, "pay_1");

    assertThatCode(() -> quota.require(caller("acct_a", null))).doesNotThrowAnyException();
  }

  @Test
  void accountWithoutCredit_isRefused() {
    assertInsufficientQuota(() -> quota.require(caller("acct_a", null)), "no credit left");
  }

  @Test
  void accountBelowZeroAfterSettlement_isRefused() {
    ledger.credit("acct_a", 100, "pay_1");
    ledger.settle(
        new Settlement(
            RequestId.next(),
            AccountId.client("acct_a"),
            AccountId.node(new NodeId("node_" + "a".repeat(26))),
            150,
            150,
            0));

    assertInsufficientQuota(() -> quota.require(caller("acct_a", null)), "acct_a");
  }

  @Test
  void keyThatSpentItsBudget_isRefusedEvenWithCredit() {
    ledger.credit("acct_a", 10_000_000, "pay_1");
    spend.recordSpend("key_1", RequestId.next(), 499_999);

    assertThatCode(() -> quota.require(caller("acct_a", 500_000L))).doesNotThrowAnyException();

    spend.recordSpend("key_1", RequestId.next(), 1);
    assertInsufficientQuota(() -> quota.require(caller("acct_a", 500_000L)), "spent $0.5 of $0.5");
  }

  @Test
  void zeroBudget_refusesEveryRequest() {
    ledger.credit("acct_a", 10_000_000, "pay_1");

    assertInsufficientQuota(() -> quota.require(caller("acct_a", 0L)), "budget");
  }

  @Test
  void keyOfAnAccountThatIsNotAClientAccount_hasNoCredit() {
    assertInsufficientQuota(() -> quota.require(caller("legacy", null)), "no credit left");
  }
}
