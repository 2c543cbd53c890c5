package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code keys} and {@code accounts} on a data directory, without a gateway. */
class KeysCommandTest {
  @TempDir Path dir;

  /** The command on {@link #dir}; {@code keys create} may make the database there. */
  private CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--data-dir", dir.toString()));
    if (args.length > 1 && args[0].equals("keys") && args[1].equals("create")) {
      all.add("--new-database");
    }
    return CliRun.of(all.toArray(String[]::new));
  }

  @Test
  void create_withoutADatabase_refusesSayingWhichFlag_andCreatesNothing() {
    CliRun create = CliRun.of("keys", "create", "--name", "x", "--data-dir", dir.toString());

    assertThat(create.exit()).isNotZero();
    assertThat(create.out()).doesNotContain("sk-pnv-");
    assertThat(create.err()).contains("no Pinaivu database in").contains("--data-dir");
    assertThat(dir.resolve("pinaivu.db")).doesNotExist();
  }

  @Test
  void create_withNewDatabase_makesTheDatabaseForAGatewayStartedLater() {
    CliRun create = run("keys", "create", "--name", "x");

    assertThat(create.exit()).as(create.err()).isZero();
    assertThat(dir.resolve("pinaivu.db")).exists();
  }

  @Test
  void create_printsTheKeyOnceThenItsId_andListNeverShowsIt() throws Exception {
    CliRun created =
        run(
            "keys",
            "create",
            "--name",
            "ci",
            "--scopes",
            "chat,models",
            "--models",
            "a,b",
            "--rpm",
            "60",
            "--tpm",
            "90000",
            "--budget",
            "2.50");

    assertThat(created.exit()).as(created.err()).isZero();
    String key = created.firstLine();
    assertThat(key).startsWith("sk-pnv-").hasSize(59);
    assertThat(created.out().lines().skip(1).findFirst().orElseThrow())
        .startsWith("key_")
        .contains("ci")
        .contains("scopes=chat,models")
        .contains("models=a,b")
        .contains("rpm=60")
        .contains("tpm=90000")
        .contains("budget=$2.5");
    assertThat(created.err()).contains("cannot be shown again");

    CliRun list = run("keys", "list");
    assertThat(list.exit()).isZero();
    assertThat(list.out())
        .doesNotContain(key)
        .contains(key.substring(0, 11) + "..." + key.substring(55))
        .contains("acct_dev")
        .contains("chat,models")
        .contains("$2.5")
        .contains("$0");
    for (Path file : Files.list(dir).toList()) {
      assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
          .doesNotContain(key);
    }
  }

  @Test
  void create_withUnknownScopeOrBadNumbers_isRefusedWithExit2() {
    CliRun scope = run("keys", "create", "--name", "x", "--scopes", "chat,admin");
    CliRun budget = run("keys", "create", "--name", "x", "--budget", "-1");
    CliRun rpm = run("keys", "create", "--name", "x", "--rpm", "0");
    CliRun account = run("keys", "create", "--name", "x", "--account", "bob");

    assertThat(scope.exit()).isEqualTo(2);
    assertThat(scope.err()).contains("unknown scope 'admin'");
    assertThat(budget.exit()).isEqualTo(2);
    assertThat(rpm.exit()).isEqualTo(2);
    assertThat(account.exit()).isEqualTo(2);
    assertThat(run("keys", "list").out().lines().count()).isEqualTo(1); // the header only
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"1e3", "+1.00", "-1", "1.0000001", "", " 1", "01", "1.", ".5", "NaN"})
  void moneyFlags_takeOnlyAPlainDecimal_andNameTheFlag(String amount) {
    CliRun budget = run("keys", "create", "--name", "x", "--budget", amount);
    CliRun credit = run("accounts", "credit", "--account", "acct_x", "--amount", amount);

    assertThat(budget.exit()).as(budget.err()).isEqualTo(2);
    assertThat(budget.err()).contains("--budget");
    assertThat(credit.exit()).as(credit.err()).isEqualTo(2);
    assertThat(credit.err()).contains("--amount");
    assertThat(dir.resolve("pinaivu.db")).as("refused before anything is written").doesNotExist();
  }

  @Test
  void revoke_marksTheKey_andUnknownIdsExitNonZero() {
    String id =
        run("keys", "create", "--name", "x").out().lines().skip(1).findFirst().orElseThrow();
    id = id.substring(0, id.indexOf(' '));

    CliRun revoked = run("keys", "revoke", id);
    CliRun again = run("keys", "revoke", id);
    CliRun unknown = run("keys", "revoke", "key_nope");

    assertThat(revoked.exit()).isZero();
    assertThat(revoked.out()).contains("revoked " + id);
    assertThat(again.exit()).isZero();
    assertThat(again.out()).contains("already revoked");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("no key with id key_nope");
    assertThat(run("keys", "list").out()).containsPattern(id + ".*\\d{4}-\\d\\d-\\d\\dT.*Z\\s*$");
  }

  @Test
  void list_withoutADatabase_saysSoInsteadOfCreatingOne() {
    CliRun list = run("keys", "list");

    assertThat(list.exit()).isEqualTo(1);
    assertThat(list.err()).contains("no Pinaivu database");
    assertThat(Files.exists(dir.resolve("pinaivu.db"))).isFalse();
  }

  @Test
  void accountsCredit_isIdempotentByReference_andPrintsAGeneratedOne() {
    CliRun first =
        run(
            "accounts",
            "credit",
            "--account",
            "acct_x",
            "--amount",
            "5.00",
            "--reference",
            "pay_1");
    CliRun again =
        run("accounts", "credit", "--account", "acct_x", "--amount", "5", "--reference", "pay_1");
    CliRun conflict =
        run("accounts", "credit", "--account", "acct_x", "--amount", "6", "--reference", "pay_1");
    CliRun generated = run("accounts", "credit", "--account", "acct_x", "--amount", "0.25");

    assertThat(first.exit()).isZero();
    assertThat(first.out()).contains("credited $5 to acct_x").contains("balance $5");
    assertThat(again.out()).contains("already credited").contains("balance $5");
    assertThat(conflict.exit()).isEqualTo(1);
    assertThat(generated.out())
        .containsPattern("reference cli-[0-9a-z]{26}")
        .contains("balance $5.25");
    assertThat(run("accounts", "balance", "--account", "acct_x").out()).contains("acct_x  $5.25");
    assertThat(run("accounts", "credit", "--account", "node_x", "--amount", "1").exit())
        .isEqualTo(2);
    assertThat(run("accounts", "credit", "--account", "acct_x", "--amount", "0").exit())
        .isEqualTo(2);
  }
}
