package dev.pinaivu.coordinator;

import dev.pinaivu.coordinator.kms.KmsSealedState;
import dev.pinaivu.coordinator.kms.SealedParentSecret;
import dev.pinaivu.coordinator.kms.SealingException;
import dev.pinaivu.core.coordinator.ParentSecret;
import dev.pinaivu.core.coordinator.ParentSecretFile;
import dev.pinaivu.core.files.OwnerOnlyFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;

/**
 * {@code pinaivu coordinator-secret}, run on the parent (ADR 16): makes the secret the gateway and
 * its coordinator share, if there is none yet (an owner-only file), and with {@code --sealed-file}
 * seals it for the enclave with KMS {@code Encrypt} under the state key, as the parent instance's
 * role. Only the measured enclave can unseal the blob ({@code CoordinatorMain
 * --parent-secret-sealed}); the parent hands it over vsock. It never prints the secret.
 */
@Command(
    name = "coordinator-secret",
    mixinStandardHelpOptions = true,
    description =
        "On the parent: create the secret shared by the gateway and the coordinator (if absent),"
            + " and seal it with KMS for a coordinator enclave.")
public final class CoordinatorSecretCommand implements Callable<Integer> {
  @Option(
      names = "--secret-file",
      required = true,
      paramLabel = "FILE",
      description = "The secret, 64 hex digits, owner-only; created (0600, in a 0700 directory)")
  Path secretFile;

  @Option(
      names = "--sealed-file",
      paramLabel = "FILE",
      description = "Write the secret sealed with --kms-key-id here, for the enclave")
  Path sealedFile;

  @Option(
      names = "--kms-key-id",
      paramLabel = "KEY",
      description =
          "The KMS key (id, ARN or alias) the parent may encrypt with and only the enclave"
              + " decrypt with, e.g. alias/pinaivu-coordinator-seal")
  String kmsKeyId;

  @Option(
      names = "--kms-region",
      description = "KMS's region (default: the AWS SDK's, e.g. AWS_REGION)")
  String kmsRegion;

  @Option(
      names = "--kms-endpoint",
      paramLabel = "URL",
      description = "Another KMS endpoint (default: the region's)")
  URI kmsEndpoint;

  @Spec CommandSpec spec;

  private final BiFunction<Region, URI, KmsClient> kms;

  public CoordinatorSecretCommand() {
    this(CoordinatorSecretCommand::parentKms);
  }

  /** {@code kms} makes the client from the region and endpoint given (either may be null). */
  CoordinatorSecretCommand(BiFunction<Region, URI, KmsClient> kms) {
    this.kms = kms;
  }

  @Override
  public Integer call() {
    if (sealedFile == null && (kmsKeyId != null || kmsRegion != null || kmsEndpoint != null)) {
      throw usage("--kms-key-id, --kms-region and --kms-endpoint go with --sealed-file");
    }
    if (sealedFile != null && kmsKeyId == null) {
      throw usage("--sealed-file needs --kms-key-id, the key that seals it");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ParentSecret secret;
    try {
      secret = ParentSecretFile.createIfAbsent(secretFile);
    } catch (IllegalArgumentException e) {
      err.println("cannot keep the parent secret: " + e.getMessage());
      return CommandLine.ExitCode.SOFTWARE;
    }
    out.println("parent secret in " + secretFile);
    if (sealedFile == null) {
      return CommandLine.ExitCode.OK;
    }
    try (KmsClient client =
        kms.apply(kmsRegion == null ? null : Region.of(kmsRegion), kmsEndpoint)) {
      // the parent only seals: KMS answers its Decrypt calls for this key with a refusal
      KmsSealedState sealing =
          new KmsSealedState(
              client,
              kmsKeyId,
              publicKey -> {
                throw new SealingException("the parent seals; only the enclave unseals");
              });
      // temp file, then a move: the enclave's bridge never serves half a blob
      OwnerOnlyFiles.write(sealedFile, SealedParentSecret.seal(sealing, secret));
    } catch (SealingException | IOException e) {
      err.println("cannot seal the parent secret: " + e.getMessage());
      return CommandLine.ExitCode.SOFTWARE;
    }
    out.println("sealed for the enclave in " + sealedFile);
    return CommandLine.ExitCode.OK;
  }

  /** KMS as the parent instance's role: the SDK's default credentials and region. */
  private static KmsClient parentKms(Region region, URI endpoint) {
    KmsClientBuilder builder = KmsClient.builder().httpClient(UrlConnectionHttpClient.create());
    if (region != null) {
      builder.region(region);
    }
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
