package dev.pinaivu.cli;

import dev.pinaivu.agent.AgentCommand;
import dev.pinaivu.cli.bench.BenchCommand;
import dev.pinaivu.cli.bench.SoakCommand;
import dev.pinaivu.cli.receipts.LogCommand;
import dev.pinaivu.cli.receipts.ReceiptsCommand;
import dev.pinaivu.coordinator.CoordinatorMain;
import dev.pinaivu.coordinator.CoordinatorSecretCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./pinaivu} command: one entry point for every local operation. */
@Command(
    name = "pinaivu",
    mixinStandardHelpOptions = true,
    version = "pinaivu 0.1.0",
    description = "OpenAI-compatible API in front of a peer-to-peer market of GPU nodes.",
    subcommands = {
      UpCommand.class,
      GatewayCommand.class,
      AgentCommand.class,
      KeysCommand.class,
      AccountsCommand.class,
      AttestationCommand.class,
      CoordinatorMain.class,
      CoordinatorSecretCommand.class,
      ReceiptsCommand.class,
      LogCommand.class,
      BenchCommand.class,
      SoakCommand.class
    })
public final class Pinaivu {
  public static void main(String[] args) {
    System.exit(new CommandLine(new Pinaivu()).execute(args));
  }
}
