package dev.pinaivu.coordinator.kms;

import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A {@link KmsClient} for inside the enclave, which has no network and no instance metadata: it
 * calls {@code https://kms.REGION.amazonaws.com:PORT}, where the image's {@code /etc/hosts} maps
 * that name to 127.0.0.1 and socat carries PORT over vsock to the parent's {@code vsock-proxy PORT
 * kms.REGION.amazonaws.com 443}. TLS runs end to end from here to KMS (the certificate is checked
 * against the real host name), so the parent only forwards bytes it cannot read.
 *
 * <p>Credentials are the parent instance's role, read from its instance metadata service through a
 * second bridge ({@code 127.0.0.1:8001} here, socat to the parent's {@code 169.254.169.254:80}),
 * refreshed by the SDK before they expire. They let the parent call KMS too; what protects sealed
 * state is the key policy, which lets only an attested enclave see a plaintext.
 */
public final class EnclaveKms {
  /** The local port the enclave's socat forwards to the parent's vsock-proxy. */
  public static final int PROXY_PORT = 8000;

  /** The local port the enclave's socat forwards to the parent's instance metadata service. */
  public static final int METADATA_PORT = 8001;

  private EnclaveKms() {}

  /** KMS in {@code region} through the bridges, as the parent instance's role. */
  public static KmsClient client(Region region) {
    return client(
        endpoint(region, PROXY_PORT),
        region,
        instanceRole(URI.create("http://127.0.0.1:" + METADATA_PORT)));
  }

  /** The instance role's temporary credentials from the metadata service at {@code endpoint}. */
  public static AwsCredentialsProvider instanceRole(URI endpoint) {
    return InstanceProfileCredentialsProvider.builder().endpoint(endpoint.toString()).build();
  }

  /** The endpoint KMS is reached at from inside the enclave. */
  public static URI endpoint(Region region, int port) {
    return URI.create("https://kms." + region.id() + ".amazonaws.com:" + port);
  }

  /** Any endpoint: tests use a loopback server speaking KMS's JSON protocol. */
  public static KmsClient client(URI endpoint, Region region, AwsCredentialsProvider credentials) {
    Objects.requireNonNull(endpoint, "endpoint");
    return KmsClient.builder()
        .endpointOverride(endpoint)
        .region(Objects.requireNonNull(region, "region"))
        .credentialsProvider(Objects.requireNonNull(credentials, "credentials"))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }
}
