package dev.pinaivu.cli.receipts;

import picocli.CommandLine.Command;

/** {@code pinaivu log}: audit the transparency log. */
@Command(
    name = "log",
    mixinStandardHelpOptions = true,
    description = "Audit the transparency log of receipts (docs/transparency-log.md).",
    subcommands = {ConsistencyCommand.class})
public final class LogCommand {}
