package dev.pinaivu.coordinator.kms;

import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A {@link KmsClient} for inside the enclave, which has no network and no instance metadata: it
 * calls {@code https://kms.REGION.amazonaws.com:PORT}, where the image's {@code /etc/hosts} maps
 * that name to 127.0.0.1 and socat carries PORT over vsock to the parent's {@code vsock-proxy PORT
 * kms.REGION.amazonaws.com 443}. TLS runs end to end from here to KMS (the certificate is checked
 * against the real host name), so the parent only forwards bytes it cannot read. Credentials must
 * be handed in by the parent (the instance role's temporary credentials); they let the parent call
 * KMS too, but the key policy lets only an attested enclave see a plaintext.
 */
public final class EnclaveKms {
  /** The local port the enclave's socat forwards to the parent's vsock-proxy. */
  public static final int PROXY_PORT = 8000;

  private EnclaveKms() {}

  public static KmsClient client(Region region, AwsCredentialsProvider credentials) {
    return client(endpoint(region, PROXY_PORT), region, credentials);
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
