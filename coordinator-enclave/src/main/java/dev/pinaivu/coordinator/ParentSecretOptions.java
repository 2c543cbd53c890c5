package dev.pinaivu.coordinator;

import dev.pinaivu.coordinator.kms.KmsSealedState;
import dev.pinaivu.coordinator.kms.RecipientAttestation;
import dev.pinaivu.coordinator.kms.SealedParentSecret;
import dev.pinaivu.core.coordinator.ParentSecret;
import dev.pinaivu.core.coordinator.ParentSecretFile;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Where the coordinator gets the secret it shares with its parent (ADR 16), a picocli mixin of
 * {@link CoordinatorMain}: an owner-only file, or, in the enclave, a blob the parent sealed with
 * KMS.
 */
final class ParentSecretOptions {
  @Option(
      names = "--parent-secret-file",
      paramLabel = "FILE",
      description =
          "The secret shared with the parent (the gateway), 64 hex digits in an owner-only file;"
              + " only clients that prove they know it are served")
  Path file;

  @Option(
      names = "--parent-secret-sealed",
      paramLabel = "FILE",
      description =
          "Enclave mode: the parent secret as a blob the parent sealed with KMS Encrypt under"
              + " --parent-secret-kms-key; unsealed here with an attested Recipient")
  Path sealed;

  @Option(
      names = "--parent-secret-kms-key",
      paramLabel = "KEY",
      description =
          "The KMS key (id, ARN or alias) that sealed --parent-secret-sealed; its policy lets"
              + " the parent encrypt and only this image decrypt")
  String kmsKey;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  /** Refuses a combination that cannot work, before anything is read or bound. */
  void check(boolean dev) {
    if (file != null && sealed != null) {
      throw usage("pass one of --parent-secret-file and --parent-secret-sealed, not both");
    }
    if (file == null && sealed == null) {
      throw usage(
          "--parent-secret-file FILE is required"
              + (dev ? "" : " (or --parent-secret-sealed in an enclave)")
              + ": the coordinator serves only the parent that knows this secret"
              + " (docs/coordinator-protocol.md §3.0)");
    }
    if (sealed != null && dev) {
      throw usage("--parent-secret-sealed is for --enclave; dev mode reads --parent-secret-file");
    }
    if (sealed != null && kmsKey == null) {
      throw usage("--parent-secret-sealed needs --parent-secret-kms-key, the key that sealed it");
    }
    if (sealed == null && kmsKey != null) {
      throw usage("--parent-secret-kms-key goes with --parent-secret-sealed");
    }
  }

  boolean isSealed() {
    return sealed != null;
  }

  /**
   * The secret, from the file or unsealed with KMS.
   *
   * @throws IllegalArgumentException when the file is missing, open to others or malformed
   * @throws dev.pinaivu.coordinator.kms.SealingException when the sealed blob does not unseal
   */
  ParentSecret load(RecipientAttestation attestation, EnclaveKmsOptions kms) {
    if (sealed == null) {
      return ParentSecretFile.read(file);
    }
    try (KmsClient client = kms.client(kmsKey)) {
      return SealedParentSecret.unseal(new KmsSealedState(client, kmsKey, attestation), sealed);
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
