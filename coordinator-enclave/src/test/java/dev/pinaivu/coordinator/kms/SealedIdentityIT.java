package dev.pinaivu.coordinator.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.coordinator.nsm.FakeNsm;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.receipt.CoordinatorKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kms.KmsClient;

/** The coordinator's identity across boots, sealed through {@link KmsSealedState} and KMS. */
class SealedIdentityIT {
  @TempDir Path dir;

  private KmsTestServer fixture;
  private KmsClient kms;
  private Path blob;

  @BeforeEach
  void start() throws Exception {
    fixture = new KmsTestServer();
    kms = fixture.client();
    blob = dir.resolve("identity.sealed");
  }

  @AfterEach
  void stop() {
    kms.close();
    fixture.close();
  }

  /** One enclave boot: a new {@link SealedIdentity} over the same blob file. */
  private Ed25519.PrivateKey boot(boolean newIdentity) {
    SealedState sealedState = new KmsSealedState(kms, KmsTestServer.KEY_ARN, FakeNsm::document);
    return new SealedIdentity(sealedState, blob).load(newIdentity);
  }

  private static String keyId(Ed25519.PrivateKey key) {
    return CoordinatorKey.keyIdOf(key.publicKey());
  }

  @Test
  void firstBoot_writesABlob_andTheSecondBoot_getsTheSameKey() throws Exception {
    Ed25519.PrivateKey first = boot(false);

    assertThat(blob).exists();
    byte[] sealed = Files.readAllBytes(blob);
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1))
        .doesNotContain(new String(first.seed(), StandardCharsets.ISO_8859_1));
    Ed25519.PrivateKey second = boot(false);

    assertThat(keyId(second)).isEqualTo(keyId(first));
    assertThat(fixture.encrypts()).as("a seed is never sealed with Encrypt").isZero();
    assertThat(fixture.generateRequests()).hasSize(1);
    assertThat(fixture.generateRequests().get(0).path("Recipient").isObject()).isTrue();
    assertThat(fixture.decryptRequests()).hasSize(1);
    assertThat(fixture.decryptRequests().get(0).path("EncryptionContext").path("pinaivu:sealed"))
        .hasToString("\"identity-key\"");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(blob); // no temp file left behind
    }
  }

  @Test
  void aDamagedBlob_stopsTheBoot_andSaysHowToReplaceIt() throws Exception {
    boot(false);
    Files.write(blob, "not a KMS blob".getBytes(StandardCharsets.US_ASCII));

    assertThatThrownBy(() -> boot(false))
        .isInstanceOf(SealingException.class)
        .hasMessageContaining("the sealed identity " + blob + " does not unseal")
        .hasMessageContaining("InvalidCiphertextException")
        .hasMessageContaining("--new-identity");
  }

  @Test
  void aKmsRefusal_stopsTheBoot_andKeepsTheBlob() throws Exception {
    boot(false);
    byte[] sealed = Files.readAllBytes(blob);
    fixture.requirePcr0("ab".repeat(48));

    assertThatThrownBy(() -> boot(false))
        .isInstanceOf(SealingException.class)
        .hasMessageContaining("AccessDeniedException: kms:RecipientAttestation denied")
        .hasMessageContaining("--new-identity");
    assertThat(Files.readAllBytes(blob)).isEqualTo(sealed);
  }

  @Test
  void newIdentity_replacesEvenAKeyThatStillUnseals() throws Exception {
    Ed25519.PrivateKey old = boot(false);

    Ed25519.PrivateKey replaced = boot(true);

    assertThat(keyId(replaced)).isNotEqualTo(keyId(old));
    assertThat(keyId(boot(false))).isEqualTo(keyId(replaced));
  }

  @Test
  void newIdentity_recoversFromADamagedBlob() throws Exception {
    Files.write(blob, new byte[] {1, 2, 3});

    Ed25519.PrivateKey fresh = boot(true);

    assertThat(keyId(boot(false))).isEqualTo(keyId(fresh));
  }

  @Test
  void aBlobSealedUnderAnotherName_isNotAnIdentity() throws Exception {
    SealedState sealedState = new KmsSealedState(kms, KmsTestServer.KEY_ARN, FakeNsm::document);
    Files.write(blob, sealedState.seal("log-position", new byte[32]));

    assertThatThrownBy(() -> boot(false)).hasMessageContaining("does not unseal");
  }

  @Test
  void aSealedStateOfTheWrongLength_isRefused() throws Exception {
    SealedState sealedState = new KmsSealedState(kms, KmsTestServer.KEY_ARN, FakeNsm::document);
    Files.write(blob, sealedState.seal(SealedIdentity.NAME, new byte[16]));

    assertThatThrownBy(() -> boot(false))
        .isInstanceOf(SealingException.class)
        .hasMessageContaining("16 bytes, not a 32-byte Ed25519 seed");
  }
}
