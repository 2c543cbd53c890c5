package dev.pinaivu.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.LedgerTotals;
import dev.pinaivu.core.ledger.Settlement;
import dev.pinaivu.core.ledger.SettlementResult;
import dev.pinaivu.core.ledger.TopUp;
import dev.pinaivu.core.node.NodeId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process that dies inside a settlement leaves nothing of it behind; a retry applies it once. */
class SqliteLedgerCrashIT {
  private static final AccountId CLIENT = AccountId.client("acct_crash");
  private static final AccountId NODE = AccountId.node(new NodeId("node_" + "c".repeat(26)));

  @TempDir Path dir;

  @Test
  void settle_whenTheProcessDiesMidway_appliesNothing_andARetryAppliesOnce() throws Exception {
    Path file = dir.resolve("pinaivu.db");
    try (SqliteDatabase db = SqliteDatabase.open(file)) {
      new SqliteLedger(db).credit(new TopUp(CLIENT, 10_000, "pay_1"));
    }
    RequestId committed = RequestId.next();
    RequestId doomed = RequestId.next();

    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                HaltDuringSettlement.class.getName(),
                file.toString(),
                CLIENT.value(),
                NODE.value(),
                committed.value(),
                doomed.value())
            .redirectErrorStream(true)
            .start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(output).isEqualTo(HaltDuringSettlement.HALTED);

    try (SqliteDatabase db = SqliteDatabase.open(file)) {
      SqliteLedger ledger = new SqliteLedger(db);
      assertThat(ledger.settlement(committed)).isPresent();
      assertThat(ledger.settlement(doomed)).isEmpty();
      assertThat(ledger.balance(CLIENT)).isEqualTo(9_000);
      assertThat(ledger.balance(NODE)).isEqualTo(900);
      assertThat(ledger.entries(CLIENT, Long.MIN_VALUE, Long.MAX_VALUE)).hasSize(2);
      assertThat(ledger.totals()).isEqualTo(new LedgerTotals(10_000, 1_000, 900, 100));

      Settlement retry = new Settlement(doomed, CLIENT, NODE, 1_000, 900, 100);
      assertThat(ledger.settle(retry).status()).isEqualTo(SettlementResult.Status.APPLIED);
      assertThat(ledger.settle(retry).status()).isEqualTo(SettlementResult.Status.ALREADY_SETTLED);
      assertThat(ledger.balance(CLIENT)).isEqualTo(8_000);
      assertThat(ledger.balance(NODE)).isEqualTo(1_800);
      assertThat(ledger.balance(AccountId.FEE)).isEqualTo(200);
      assertThat(ledger.totals()).isEqualTo(new LedgerTotals(10_000, 2_000, 1_800, 200));
    }
  }
}
