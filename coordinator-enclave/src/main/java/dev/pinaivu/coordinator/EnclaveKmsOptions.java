package dev.pinaivu.coordinator;

import dev.pinaivu.coordinator.kms.EnclaveKms;
import java.net.URI;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * How the enclave reaches KMS and the parent role's credentials, a picocli mixin of {@link
 * CoordinatorMain}: shared by the sealed identity and the sealed parent secret.
 */
final class EnclaveKmsOptions {
  @Option(
      names = "--kms-region",
      description = "The KMS keys' region (default: the region in the key's ARN)")
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

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  /** Refuses these options when nothing is sealed: they would be silently ignored. */
  void check(boolean somethingSealed) {
    if (!somethingSealed
        && (kmsRegion != null || kmsEndpoint != null || instanceMetadata != null)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--kms-region, --kms-endpoint and --instance-metadata go with --sealed-identity or"
              + " --parent-secret-sealed");
    }
  }

  /** A client for {@code keyId}'s region through the bridges (closed by the caller). */
  KmsClient client(String keyId) {
    Region region = Region.of(kmsRegion != null ? kmsRegion : regionOf(keyId));
    return EnclaveKms.client(
        kmsEndpoint != null ? kmsEndpoint : EnclaveKms.endpoint(region, EnclaveKms.PROXY_PORT),
        region,
        EnclaveKms.instanceRole(
            instanceMetadata != null
                ? instanceMetadata
                : URI.create("http://127.0.0.1:" + EnclaveKms.METADATA_PORT)));
  }

  /** The region of a key ARN, {@code arn:PARTITION:kms:REGION:ACCOUNT:key/ID}. */
  private String regionOf(String keyId) {
    String[] parts = keyId.split(":", 6);
    if (parts.length < 6 || !parts[0].equals("arn") || parts[3].isEmpty()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "the KMS key " + keyId + " is not an ARN: pass --kms-region as well");
    }
    return parts[3];
  }
}
