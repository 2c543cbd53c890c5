package dev.pinaivu.coordinator.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.coordinator.nsm.FakeNsm;
import dev.pinaivu.core.coordinator.ParentSecret;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The parent secret's way into the enclave: sealed by the parent with a plain Encrypt, unsealed
 * only with an attested Recipient, through the real SDK against the loopback KMS fixture.
 */
class SealedParentSecretIT {
  @TempDir Path dir;

  private KmsTestServer fixture;
  private KmsClient kms;
  private Path blob;

  @BeforeEach
  void start() throws Exception {
    fixture = new KmsTestServer();
    kms = fixture.client();
    blob = dir.resolve("parent-secret.sealed");
  }

  @AfterEach
  void stop() {
    kms.close();
    fixture.close();
  }

  private SealedState enclave() {
    return new KmsSealedState(kms, KmsTestServer.KEY_ARN, FakeNsm::document);
  }

  /** The parent cannot attest: it only seals. */
  private SealedState parent() {
    return new KmsSealedState(
        kms,
        KmsTestServer.KEY_ARN,
        publicKey -> {
          throw new AssertionError("the parent never asks for an attestation");
        });
  }

  @Test
  void aSecretTheParentSealed_unsealsInTheEnclave_withAnAttestedRecipient() throws Exception {
    ParentSecret secret = ParentSecret.generate();
    Files.write(blob, SealedParentSecret.seal(parent(), secret));

    ParentSecret unsealed = SealedParentSecret.unseal(enclave(), blob);

    assertThat(unsealed.hex()).isEqualTo(secret.hex());
    assertThat(fixture.encryptRequests()).hasSize(1);
    assertThat(fixture.encryptRequests().get(0).path("EncryptionContext").path("pinaivu:sealed"))
        .hasToString("\"parent-secret\"");
    assertThat(fixture.decryptRequests()).hasSize(1);
    assertThat(
            fixture
                .decryptRequests()
                .get(0)
                .path("Recipient")
                .path("AttestationDocument")
                .isTextual())
        .isTrue();
  }

  @Test
  void aKmsRefusalOfThisImage_stopsTheUnseal_withKmsReason() throws Exception {
    Files.write(blob, SealedParentSecret.seal(parent(), ParentSecret.generate()));
    fixture.requirePcr0("ab".repeat(48));

    assertThatThrownBy(() -> SealedParentSecret.unseal(enclave(), blob))
        .isInstanceOf(SealingException.class)
        .hasMessageContaining("the sealed parent secret " + blob + " does not unseal")
        .hasMessageContaining("AccessDeniedException");
  }

  @Test
  void aBlobSealedUnderAnotherName_isNoParentSecret() throws Exception {
    Files.write(blob, enclave().seal(SealedIdentity.NAME, new byte[32]));

    assertThatThrownBy(() -> SealedParentSecret.unseal(enclave(), blob))
        .isInstanceOf(SealingException.class)
        .hasMessageContaining("does not unseal")
        .hasMessageContaining("InvalidCiphertextException");
  }

  @Test
  void aSealedStateOfTheWrongLength_isRefused() throws Exception {
    Files.write(blob, enclave().seal(SealedParentSecret.NAME, new byte[16]));

    assertThatThrownBy(() -> SealedParentSecret.unseal(enclave(), blob))
        .isInstanceOf(SealingException.class)
        .hasMessageContaining("holds no parent secret: a parent secret is 32 bytes, not 16");
  }

  @Test
  void aMissingBlob_saysTheParentHandsItOver() {
    assertThatThrownBy(() -> SealedParentSecret.unseal(enclave(), blob))
        .isInstanceOf(SealingException.class)
        .hasMessageContaining("does not exist (the parent hands it over)");
  }
}
