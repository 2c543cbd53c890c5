package dev.pinaivu.cli;

import dev.pinaivu.core.auth.ApiKeyRecord;
import dev.pinaivu.core.auth.IssuedKey;
import dev.pinaivu.core.auth.KeyIssuer;
import dev.pinaivu.core.auth.NewKey;
import dev.pinaivu.core.auth.Scope;
import dev.pinaivu.core.limits.KeySpend;
import dev.pinaivu.core.money.Usd;
import dev.pinaivu.gateway.DevApiKey;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pinaivu keys create|list|revoke}: the operator's key management, on the data directory.
 */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description =
        "Issue, list and revoke API keys. Works on the data directory, also while a gateway"
            + " runs on it.",
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {
  static final int REFUSED = 1;
  static final int USAGE = 2;

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Create a key and print it once (first line), then its id. Only its hash is kept.")
  static final class Create implements Callable<Integer> {
    @Mixin DataStore store;

    @Option(
        names = "--new-database",
        description =
            "Create the database when the data directory has none (before a gateway's first"
                + " start there); without it a missing database is refused, as a key in a database"
                + " no gateway reads would be refused by every gateway")
    boolean newDatabase;

    @Option(names = "--name", required = true, description = "What the key is for")
    String name;

    @Option(
        names = "--account",
        defaultValue = DevApiKey.ACCOUNT,
        description = "Account the key spends from (default: ${DEFAULT-VALUE})")
    String account;

    @Option(
        names = "--scopes",
        split = ",",
        description = "Endpoints allowed: chat, models, usage, receipts (default: all)")
    List<String> scopes;

    @Option(names = "--models", split = ",", description = "Models allowed (default: all)")
    List<String> models;

    @Option(names = "--rpm", description = "Requests per minute (default: unlimited)")
    Integer rpm;

    @Option(names = "--tpm", description = "Tokens per minute (default: unlimited)")
    Integer tpm;

    @Option(
        names = "--budget",
        paramLabel = "USD",
        description =
            "Most the key may spend over its life, in USD, e.g. 5.00: digits, optionally a"
                + " point and 1 to 6 decimals (default: no cap)")
    String budget;

    @Override
    public Integer call() {
      Long budgetMicros;
      try {
        budgetMicros = budget == null ? null : Usd.parseMicros(budget);
      } catch (IllegalArgumentException e) {
        System.err.println("cannot create the key: --budget: " + e.getMessage());
        return USAGE;
      }
      NewKey spec;
      try {
        spec =
            new NewKey(
                name,
                account,
                scopes(),
                models == null ? Set.of() : new LinkedHashSet<>(models),
                rpm,
                tpm,
                budgetMicros);
      } catch (IllegalArgumentException e) {
        System.err.println("cannot create the key: " + e.getMessage());
        return USAGE;
      }
      try (DataStore.Opened db = newDatabase ? store.openOrCreate() : store.openExisting()) {
        IssuedKey issued;
        try {
          issued = new KeyIssuer(db.keys(), InstantSource.system()).issue(spec);
        } catch (IllegalArgumentException e) {
          System.err.println("cannot create the key: " + e.getMessage());
          return USAGE;
        }
        System.out.println(issued.key().reveal());
        System.out.println(
            issued.record().id()
                + "  "
                + issued.record().name()
                + "  "
                + describe(issued.record()));
        System.err.println("Keep the key now: only its hash is stored, it cannot be shown again.");
        return 0;
      }
    }

    private Set<Scope> scopes() {
      if (scopes == null) {
        return Scope.all();
      }
      Set<Scope> out = new LinkedHashSet<>();
      for (String s : scopes) {
        out.add(Scope.parse(s));
      }
      return out;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List every key (never the secret): id, name, hint, account, limits, dates.")
  static final class ListKeys implements Callable<Integer> {
    @Mixin DataStore store;

    @Override
    public Integer call() {
      try (DataStore.Opened db = store.openExisting()) {
        KeySpend spend = db.spend();
        List<String[]> rows = new ArrayList<>();
        rows.add(
            new String[] {
              "ID", "NAME", "KEY", "ACCOUNT", "SCOPES", "MODELS", "RPM", "TPM", "BUDGET", "SPENT",
              "CREATED", "REVOKED"
            });
        for (ApiKeyRecord k : db.keys().list()) {
          rows.add(
              new String[] {
                k.id(),
                k.name(),
                k.hint(),
                k.accountId(),
                Scope.names(k.scopes()),
                k.models().isEmpty() ? "*" : String.join(",", k.models()),
                k.rpm() == null ? "-" : k.rpm().toString(),
                k.tpm() == null ? "-" : k.tpm().toString(),
                k.budgetMicros() == null ? "-" : "$" + Usd.format(k.budgetMicros()),
                "$" + Usd.format(spend.spentMicros(k.id())),
                time(k.createdAtMs()),
                k.revokedAtMs() == null ? "-" : time(k.revokedAtMs())
              });
        }
        Table.print(rows);
        return 0;
      } catch (IllegalArgumentException e) {
        System.err.println(e.getMessage());
        return REFUSED;
      }
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke a key: the gateway refuses it (401) from its next request on.")
  static final class Revoke implements Callable<Integer> {
    @Mixin DataStore store;

    @Parameters(index = "0", paramLabel = "KEY_ID")
    String id;

    @Override
    public Integer call() {
      try (DataStore.Opened db = store.openExisting()) {
        KeyIssuer.Revocation result = new KeyIssuer(db.keys(), InstantSource.system()).revoke(id);
        switch (result) {
          case REVOKED -> System.out.println("revoked " + id);
          case ALREADY_REVOKED -> System.out.println(id + " was already revoked");
          case UNKNOWN_KEY -> {
            System.err.println("no key with id " + id + " (see: pinaivu keys list)");
            return REFUSED;
          }
        }
        return 0;
      } catch (IllegalArgumentException e) {
        System.err.println(e.getMessage());
        return REFUSED;
      }
    }
  }

  static String describe(ApiKeyRecord k) {
    return "account="
        + k.accountId()
        + " scopes="
        + Scope.names(k.scopes())
        + " models="
        + (k.models().isEmpty() ? "*" : String.join(",", k.models()))
        + " rpm="
        + (k.rpm() == null ? "-" : k.rpm())
        + " tpm="
        + (k.tpm() == null ? "-" : k.tpm())
        + " budget="
        + (k.budgetMicros() == null ? "-" : "$" + Usd.format(k.budgetMicros()));
  }

  private static String time(long ms) {
    return Instant.ofEpochMilli(ms).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
