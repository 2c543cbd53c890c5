package dev.pinaivu.cli.receipts;

import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.translog.Checkpoint;
import dev.pinaivu.core.translog.InvalidNoteException;
import dev.pinaivu.core.translog.LogVerifier;
import dev.pinaivu.core.translog.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pinaivu log verify-consistency OLD}: the live log must extend a checkpoint saved earlier.
 * Both checkpoints must be signed by attested coordinator keys (the gateway's listing, checked as
 * by {@code receipts verify}); then the consistency proof between their sizes must verify. Exit 0
 * consistent, 1 inconsistent (rewritten, deleted or rolled back), 2 nothing to check.
 */
@Command(
    name = "verify-consistency",
    mixinStandardHelpOptions = true,
    description =
        "Check that the live log extends an older checkpoint saved in FILE (GET"
            + " /v1/log/checkpoint). Exit 0 consistent, 1 inconsistent, 2 unusable input.")
public final class ConsistencyCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "An older signed checkpoint")
  Path older;

  @Option(
      names = "--gateway",
      paramLabel = "URL",
      description =
          "Gateway base URL (default: the one ./pinaivu up wrote in --data-dir, else"
              + " http://127.0.0.1:8080/v1)")
  URI gateway;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = LocalNetwork.DEFAULT_DATA_DIR,
      description =
          "Data directory of the local network, for its gateway URL (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Option(names = "--allow-dev", description = "Accept checkpoints signed by development keys")
  boolean allowDev;

  @Option(
      names = "--pcr0",
      paramLabel = "HEX",
      description = "Require this PCR0 (the enclave image) in Nitro attestation documents")
  String pcr0;

  @Option(
      names = "--coordinator-key",
      paramLabel = "FILE_OR_B64",
      description =
          "Also trust this key (a saved GET /v1/attestation, an attestation document, a key):"
              + " the one that signed your older checkpoint, should the gateway no longer list it."
              + " Repeatable.")
  List<String> coordinatorKeys = List.of();

  @Option(
      names = "--save",
      description = "When consistent, overwrite FILE with the live checkpoint for next time")
  boolean save;

  @Option(
      names = "--log-origin",
      paramLabel = "ORIGIN",
      defaultValue = CoordinatorOptions.DEFAULT_LOG_ORIGIN,
      description = "The log's origin; both checkpoints must name it (default: ${DEFAULT-VALUE})")
  String logOrigin;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (GatewayClient client = new GatewayClient(LocalNetwork.gateway(gateway, dataDir), null)) {
      VerifyCommand.requireOrigin(logOrigin);
      String olderNote = read(older);
      String newerNote = client.logCheckpoint();
      KeyAttestation attestation = new KeyAttestation(NitroCheck.withPcr0(pcr0));
      KeyTrust trust = KeyListing.read(client.keyListing(), attestation);
      for (String value : coordinatorKeys) {
        trust = trust.plus(CoordinatorKeyArg.read(value, attestation));
      }
      LogVerifier verifier =
          new LogVerifier(
              trust.keys().stream()
                  .filter(k -> allowDev || k.kind() != CoordinatorKey.Kind.DEV)
                  .toList(),
              logOrigin);
      Checkpoint before;
      Checkpoint now;
      try {
        before = verifier.checkpoint(olderNote);
        now = verifier.checkpoint(newerNote);
      } catch (InvalidNoteException e) {
        return report(
            out, false, e.getMessage() + (allowDev ? "" : " (dev keys need --allow-dev)"));
      }
      Verdict verdict =
          now.treeSize() <= before.treeSize()
              ? LogVerifier.consistency(before, now, List.of())
              : LogVerifier.consistency(
                  before,
                  now,
                  LogVerifier.hashes(
                      client
                          .consistencyProof(before.treeSize(), now.treeSize())
                          .path("consistency_path")));
      if (verdict.accepted() && save) {
        write(older, newerNote);
      }
      return report(
          out,
          verdict.accepted(),
          verdict.accepted()
              ? now.origin() + " grew from " + before.treeSize() + " to " + now.treeSize()
              : verdict.reason());
    } catch (UnusableInputException | IllegalArgumentException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("cannot check consistency: " + e.getMessage());
      err.flush();
      return VerifyCommand.UNUSABLE;
    }
  }

  private static int report(PrintWriter out, boolean consistent, String why) {
    out.println(Printable.line((consistent ? "consistent: " : "inconsistent: ") + why));
    out.flush();
    return consistent ? 0 : VerifyCommand.INVALID;
  }

  private static String read(Path file) throws UnusableInputException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UnusableInputException("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static void write(Path file, String note) throws UnusableInputException {
    try {
      Files.writeString(file, note, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UnusableInputException("cannot write " + file + ": " + e.getMessage());
    }
  }
}
