package dev.pinaivu.coordinator;

import dev.pinaivu.coordinator.kms.KmsSealedState;
import dev.pinaivu.coordinator.kms.RecipientAttestation;
import dev.pinaivu.coordinator.kms.SealedIdentity;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The options of a sealed identity (ADR 12), a picocli mixin of {@link CoordinatorMain}: which blob
 * keeps the key and which KMS key seals it ({@link EnclaveKmsOptions}: how KMS is reached).
 */
final class SealedIdentityOptions {
  /**
   * The identity to load, the KMS client it uses (closed by the caller), and whether to replace.
   */
  record Opened(SealedIdentity identity, KmsClient kms, boolean replace) {}

  @Option(
      names = "--sealed-identity",
      paramLabel = "FILE",
      description =
          "Enclave mode: keep one coordinator key across restarts, sealed with --kms-key-id in"
              + " FILE (a blob the parent keeps); created at the first start. Without it every"
              + " start has a new key")
  Path sealedIdentity;

  @Option(
      names = "--kms-key-id",
      paramLabel = "ARN",
      description = "The KMS key that seals the identity; its policy requires this enclave's PCRs")
  String kmsKeyId;

  @Option(
      names = "--new-identity",
      description =
          "With --sealed-identity: replace the sealed key with a new one, even when the old one"
              + " still unseals (verifiers must then trust the new key id)")
  boolean newIdentity;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  /** Whether a sealed identity is asked for. */
  boolean given() {
    return sealedIdentity != null;
  }

  /**
   * The sealed identity the options ask for; empty for a new key at this start.
   *
   * @param attestation attests the enclave's ephemeral key for KMS's Recipient
   */
  Optional<Opened> open(boolean dev, RecipientAttestation attestation, EnclaveKmsOptions kms) {
    if (sealedIdentity == null) {
      if (kmsKeyId != null || newIdentity) {
        throw usage("--kms-key-id and --new-identity go with --sealed-identity");
      }
      return Optional.empty();
    }
    if (dev) {
      throw usage("--sealed-identity is for --enclave; dev mode has a new key at every start");
    }
    if (kmsKeyId == null) {
      throw usage("--sealed-identity needs --kms-key-id, the KMS key that seals it");
    }
    KmsClient client = kms.client(kmsKeyId);
    SealedIdentity identity =
        new SealedIdentity(new KmsSealedState(client, kmsKeyId, attestation), sealedIdentity);
    return Optional.of(new Opened(identity, client, newIdentity));
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
