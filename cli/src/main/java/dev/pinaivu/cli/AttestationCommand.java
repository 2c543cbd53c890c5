package dev.pinaivu.cli;

import dev.pinaivu.core.attestation.AttestationFile;
import dev.pinaivu.core.attestation.AttestationVerifier;
import dev.pinaivu.core.attestation.Verification;
import dev.pinaivu.core.attestation.VerifyOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pinaivu attestation verify}: checks an AWS Nitro Enclaves attestation document offline.
 */
@Command(
    name = "attestation",
    mixinStandardHelpOptions = true,
    description = "Work with AWS Nitro Enclaves attestation documents.",
    subcommands = {AttestationCommand.Verify.class})
final class AttestationCommand {
  static final int REFUSED = 1;
  static final int UNUSABLE = 2;

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Verify a document (raw CBOR, base64 or hex): chain to the pinned AWS Nitro root,"
              + " ES384 signature, debug mode, PCR pins. Exit 0 only when valid.")
  static final class Verify implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(
        names = "--at-ms",
        description = "Check the certificates at this time (default: the document's own timestamp)")
    Long atMs;

    @Option(names = "--allow-debug", description = "Accept debug-mode documents (PCR0 all zeros)")
    boolean allowDebug;

    @Option(
        names = "--pcr0",
        paramLabel = "HEX",
        description = "Require this PCR0 (the enclave image measurement)")
    String pcr0;

    @Override
    public Integer call() {
      VerifyOptions options = VerifyOptions.DEFAULTS;
      byte[] document;
      try {
        if (atMs != null) {
          options = options.at(atMs);
        }
        if (allowDebug) {
          options = options.allowingDebug();
        }
        if (pcr0 != null) {
          options = options.expectingPcr(0, pcr0);
        }
        document = AttestationFile.read(file);
      } catch (IllegalArgumentException | IOException e) {
        System.err.println("cannot check " + file + ": " + e.getMessage());
        return UNUSABLE;
      }
      Verification result = new AttestationVerifier().verify(document, options);
      System.out.println((result.valid() ? "valid: " : "refused: ") + result.reason());
      return result.valid() ? 0 : REFUSED;
    }
  }
}
