package dev.pinaivu.cli.receipts;

import dev.pinaivu.cli.Pinaivu;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One in-process run of a command, with what it printed. */
record CliRun(int exit, String out, String err) {
  /** {@code ./pinaivu ARGS}, through the top-level command as a user runs it. */
  static CliRun pinaivu(String... args) {
    return run(new CommandLine(new Pinaivu()), args);
  }

  /** {@code ./pinaivu receipts verify ARGS} with {@code nitro} in place of the real check. */
  static CliRun verifyWith(NitroCheck nitro, String... args) {
    return run(new CommandLine(new VerifyCommand(nitro)), args);
  }

  private static CliRun run(CommandLine command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exit = command.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }
}
