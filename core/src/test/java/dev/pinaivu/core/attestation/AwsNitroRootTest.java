package dev.pinaivu.core.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AwsNitroRootTest {
  @Test
  void load_returnsTheAwsNitroEnclavesRootG1() throws Exception {
    X509Certificate root = AwsNitroRoot.load();

    assertThat(root.getSubjectX500Principal().getName())
        .isEqualTo("CN=aws.nitro-enclaves,OU=AWS,O=Amazon,C=US");
    assertThat(root.getSerialNumber().toString(16))
        .isEqualToIgnoringCase("F93175681B90AFE11D46CCB4E4E7F856");
    assertThat(root.getNotAfter().toInstant()).isEqualTo(Instant.parse("2049-10-28T14:28:05Z"));
    assertThat(AwsNitroRoot.fingerprint(root)).isEqualTo(AwsNitroRoot.SHA256_FINGERPRINT);
  }

  @Test
  void load_isTheRootEveryRealSampleCarries() throws Exception {
    byte[] root = AwsNitroRoot.load().getEncoded();

    for (NitroSamples.Sample sample : NitroSamples.all()) {
      assertThat(AttestationDocument.parse(sample.bytes()).cabundle().get(0)).isEqualTo(root);
    }
  }

  @Test
  void pinned_whenTheCertificateIsAnother_refusesLoudly() throws Exception {
    TestCa.Issued other =
        TestCa.root("CN=not-aws", Instant.EPOCH, Instant.parse("2050-01-01T00:00:00Z"));

    assertThatThrownBy(() ->
            AwsNitroRoot.pinned(
                new ByteArrayInputStream(other.der()), AwsNitroRoot.SHA256_FINGERPRINT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pinned " + AwsNitroRoot.SHA256_FINGERPRINT);
  }

  @Test
  void pinned_whenTheBytesAreNotACertificate_refusesLoudly() {
    assertThatThrownBy(() ->
            AwsNitroRoot.pinned(
                new ByteArrayInputStream(new byte[] {1, 2, 3}), AwsNitroRoot.SHA256_FINGERPRINT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("root certificate does not parse");
  }
}
