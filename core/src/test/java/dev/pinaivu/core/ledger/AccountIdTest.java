package dev.pinaivu.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.node.NodeId;
import org.junit.jupiter.api.Test;

class AccountIdTest {
  @Test
  void parse_tellsTheKindOfEachAccount() {
    assertThat(AccountId.parse("acct_dev").kind()).isEqualTo(AccountId.Kind.CLIENT);
    assertThat(AccountId.parse("node_" + "a".repeat(26)).kind()).isEqualTo(AccountId.Kind.NODE);
    assertThat(AccountId.parse("fee")).isEqualTo(AccountId.FEE);
    assertThat(AccountId.parse("external")).isEqualTo(AccountId.EXTERNAL);
    assertThat(AccountId.node(new NodeId("node_" + "b".repeat(26))).value())
        .isEqualTo("node_" + "b".repeat(26));
  }

  @Test
  void parse_refusesAnythingElse() {
    for (String bad :
        new String[] {
          "", "acct_", "acct_UPPER", "acct_a b", "node_short", "fees", "FEE", "user_1"
        }) {
      assertThatThrownBy(() -> AccountId.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a ledger account");
    }
    assertThatThrownBy(() -> AccountId.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void client_refusesOtherKinds() {
    assertThatThrownBy(() -> AccountId.client("fee"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("acct_");
  }
}
