package dev.pinaivu.core.receipt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.crypto.Sha256;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoordinatorKeyTest {
  private static final byte[] PUBLIC_KEY = Fixtures.COORDINATOR.publicKey();

  @Test
  void keyId_isTheHexSha256OfTheRawPublicKey() {
    assertThat(CoordinatorKey.keyIdOf(PUBLIC_KEY)).isEqualTo(Sha256.hex(PUBLIC_KEY)).hasSize(64);
  }

  @Test
  void devKey_carriesAClearlyMarkedDocument_thatReadsBack() {
    CoordinatorKey dev = CoordinatorKey.dev(PUBLIC_KEY);
    String document = new String(dev.attestation(), UTF_8);

    assertThat(dev.kind()).isEqualTo(CoordinatorKey.Kind.DEV);
    assertThat(document)
        .startsWith("{\"format\":\"pinaivu-dev-attestation/v1\",\"key_id\":\"")
        .contains("DEVELOPMENT KEY");
    assertThat(DevAttestation.read(dev.attestation())).isEqualTo(dev);
  }

  @Test
  void devDocument_withAnotherKeysId_isRefused() {
    String forged =
        new String(DevAttestation.document(PUBLIC_KEY), UTF_8)
            .replace(Sha256.hex(PUBLIC_KEY), "ab".repeat(32));

    assertThatThrownBy(() -> DevAttestation.read(forged.getBytes(UTF_8)))
        .hasMessageContaining("key_id");
    assertThatThrownBy(() -> DevAttestation.read("{\"format\":\"nitro\"}".getBytes(UTF_8)))
        .hasMessageContaining("not a pinaivu-dev-attestation/v1 document");
  }

  @Test
  void nitroKey_needsItsAttestationDocument() {
    assertThatThrownBy(() ->
            new CoordinatorKey(Sha256.hex(PUBLIC_KEY), PUBLIC_KEY, CoordinatorKey.Kind.NITRO, null))
        .hasMessageContaining("attestation");
    assertThat(CoordinatorKey.nitro(PUBLIC_KEY, new byte[] {1}).kind())
        .isEqualTo(CoordinatorKey.Kind.NITRO);
  }

  @Test
  void keyIdThatIsNotTheKeysHash_isRefused() {
    assertThatThrownBy(
            () -> new CoordinatorKey("ab".repeat(32), PUBLIC_KEY, CoordinatorKey.Kind.DEV, null))
        .hasMessageContaining("key_id");
  }

  @Test
  void trustedKeys_findByIdAndApplyTheDevPolicy() {
    CoordinatorKey dev = CoordinatorKey.dev(PUBLIC_KEY);
    TrustedKeys strict = new TrustedKeys(List.of(dev), false);

    assertThat(strict.find(dev.keyId()).value()).isEqualTo(dev);
    assertThat(strict.find("00".repeat(32)).reason()).contains("not a trusted coordinator key");
    assertThat(strict.find(null).reason()).contains("(missing)");
    assertThat(strict.allowed(dev).valid()).isFalse();
    assertThat(new TrustedKeys(List.of(dev), true).allowed(dev).valid()).isTrue();
    assertThat(strict.allowed(Fixtures.nitroKey()).valid()).isTrue();
  }

  @Test
  void trustedKeys_with_addsTheNewestKey_keepsTheOldOnes_andLeavesTheOriginalAlone() {
    CoordinatorKey old = CoordinatorKey.dev(PUBLIC_KEY);
    CoordinatorKey restarted = CoordinatorKey.dev(Ed25519.PrivateKey.generate().publicKey());
    TrustedKeys before = new TrustedKeys(List.of(old), true);

    TrustedKeys after = before.with(restarted, 8);

    assertThat(after.find(old.keyId()).valid()).isTrue();
    assertThat(after.find(restarted.keyId()).valid()).isTrue();
    assertThat(after.allowDevKeys()).isTrue();
    assertThat(before.find(restarted.keyId()).valid()).isFalse();
    assertThat(after.with(old, 8).keys()).containsExactly(restarted, old);
    assertThat(after.with(old, 1).keys()).containsExactly(old);
  }

  @Test
  void signersAndKeys_neverPrintPrivateMaterial() {
    String seed = dev.pinaivu.core.crypto.B64.encode(Fixtures.COORDINATOR.seed());
    String hexSeed = java.util.HexFormat.of().formatHex(Fixtures.COORDINATOR.seed());

    for (Object printed :
        List.of(
            new ReceiptSigner(Fixtures.COORDINATOR),
            CoordinatorKey.dev(PUBLIC_KEY),
            Fixtures.signedToken(),
            Fixtures.signed())) {
      assertThat(printed.toString()).doesNotContain(seed).doesNotContain(hexSeed);
    }
    assertThat(Fixtures.signedToken().toString()).doesNotContain(Fixtures.signedToken().wire());
  }
}
