package dev.pinaivu.coordinator;

import dev.pinaivu.coordinator.kms.EnclaveKms;
import dev.pinaivu.coordinator.kms.KmsSealedState;
import dev.pinaivu.coordinator.kms.RecipientAttestation;
import dev.pinaivu.coordinator.kms.SealedIdentity;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The options of a sealed identity (ADR 12), a picocli mixin of {@link CoordinatorMain}: which blob
 * keeps the key, which KMS key seals it, and how the enclave reaches KMS and its credentials.
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
      names = "--kms-region",
      description = "The KMS key's region (default: the region in its ARN)")
  String kmsRegion;

  @Option(
      names = "--kms-endpoint",
      paramLabel = "URL",
      description =
          "KMS as reached from the enclave (default: https://kms.REGION.amazonaws.com:"
              + EnclaveKms.PROXY_PORT
              + ", the vsock-proxy bridge)")
  URI kmsEndpoint;

  @Option(
      names = "--instance-metadata",
      paramLabel = "URL",
      description =
          "The parent's instance metadata, for the role's credentials (default: http://127.0.0.1:"
              + EnclaveKms.METADATA_PORT
              + ", the metadata bridge)")
  URI instanceMetadata;

  @Option(
      names = "--new-identity",
      description =
          "With --sealed-identity: replace the sealed key with a new one, even when the old one"
              + " still unseals (verifiers must then trust the new key id)")
  boolean newIdentity;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  /**
   * The sealed identity the options ask for; empty for a new key at this start.
   *
   * @param attestation attests the enclave's ephemeral key for KMS's Recipient
   */
  Optional<Opened> open(boolean dev, RecipientAttestation attestation) {
    if (sealedIdentity == null) {
      if (kmsKeyId != null
          || kmsRegion != null
          || kmsEndpoint != null
          || instanceMetadata != null
          || newIdentity) {
        throw usage("--kms-*, --instance-metadata and --new-identity go with --sealed-identity");
      }
      return Optional.empty();
    }
    if (dev) {
      throw usage("--sealed-identity is for --enclave; dev mode has a new key at every start");
    }
    if (kmsKeyId == null) {
      throw usage("--sealed-identity needs --kms-key-id, the KMS key that seals it");
    }
    Region region = Region.of(kmsRegion != null ? kmsRegion : regionOf(kmsKeyId));
    KmsClient kms =
        EnclaveKms.client(
            kmsEndpoint != null ? kmsEndpoint : EnclaveKms.endpoint(region, EnclaveKms.PROXY_PORT),
            region,
            EnclaveKms.instanceRole(
                instanceMetadata != null
                    ? instanceMetadata
                    : URI.create("http://127.0.0.1:" + EnclaveKms.METADATA_PORT)));
    SealedIdentity identity =
        new SealedIdentity(new KmsSealedState(kms, kmsKeyId, attestation), sealedIdentity);
    return Optional.of(new Opened(identity, kms, newIdentity));
  }

  /** The region of a key ARN, {@code arn:PARTITION:kms:REGION:ACCOUNT:key/ID}. */
  private String regionOf(String keyId) {
    String[] parts = keyId.split(":", 6);
    if (parts.length < 6 || !parts[0].equals("arn") || parts[3].isEmpty()) {
      throw usage("--kms-key-id " + keyId + " is not an ARN: pass --kms-region as well");
    }
    return parts[3];
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
