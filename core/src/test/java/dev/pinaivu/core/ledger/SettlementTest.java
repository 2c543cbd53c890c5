package dev.pinaivu.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.node.NodeId;
import org.junit.jupiter.api.Test;

class SettlementTest {
  private static final RequestId ID = RequestId.next();
  private static final AccountId CLIENT = AccountId.client("acct_alice");
  private static final AccountId NODE = AccountId.node(new NodeId("node_" + "a".repeat(26)));

  @Test
  void entries_areBalanced_andCarryTheRequestId() {
    Settlement s = new Settlement(ID, CLIENT, NODE, 1_000, 900, 100);

    assertThat(s.entries(7))
        .containsExactly(
            new JournalEntry(CLIENT, -1_000, EntryKind.CHARGE, ID.value(), 7),
            new JournalEntry(NODE, 900, EntryKind.EARNING, ID.value(), 7),
            new JournalEntry(AccountId.FEE, 100, EntryKind.FEE, ID.value(), 7));
    assertThat(s.entries(7).stream().mapToLong(JournalEntry::amountMicros).sum()).isZero();
  }

  @Test
  void refusesNegativeAmounts_withAClearMessage() {
    assertThatThrownBy(() -> new Settlement(ID, CLIENT, NODE, -100, -100, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be negative");
    assertThatThrownBy(() -> new Settlement(ID, CLIENT, NODE, 100, 200, -100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fee -100");
  }

  @Test
  void refusesANodePlusFeeThatOverflows_withAClearMessage() {
    assertThatThrownBy(
            () -> new Settlement(ID, CLIENT, NODE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overflows");
    assertThatThrownBy(() -> new Settlement(ID, CLIENT, NODE, Long.MAX_VALUE, Long.MAX_VALUE, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overflows");
  }

  @Test
  void refusesAccountsOfTheWrongKind() {
    assertThatThrownBy(() -> new Settlement(ID, NODE, NODE, 1, 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("client");
    assertThatThrownBy(() -> new Settlement(ID, CLIENT, AccountId.FEE, 1, 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node");
    assertThatThrownBy(() -> new Settlement(ID, CLIENT, CLIENT, 1, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
