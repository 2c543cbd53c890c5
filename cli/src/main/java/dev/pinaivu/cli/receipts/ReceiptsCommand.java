package dev.pinaivu.cli.receipts;

import picocli.CommandLine.Command;

/** {@code pinaivu receipts}: work with routing receipts. */
@Command(
    name = "receipts",
    mixinStandardHelpOptions = true,
    description = "Work with signed routing receipts (docs/receipts.md).",
    subcommands = {VerifyCommand.class})
public final class ReceiptsCommand {}
