package dev.pinaivu.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.TrustedKeys;
import dev.pinaivu.core.receipt.Verification;
import org.junit.jupiter.api.Test;

/** Which announced coordinator keys a node trusts, at welcome and after a restart. */
class CoordinatorTrustTest {
  private static CoordinatorKey devKey() {
    return CoordinatorKey.dev(Ed25519.PrivateKey.generate().publicKey());
  }

  /** A key announced as an enclave's, with a document that no AWS root signed. */
  private static Frame.CoordinatorInfo unattestedNitroKey() {
    byte[] publicKey = Ed25519.PrivateKey.generate().publicKey();
    return new Frame.CoordinatorInfo(
        CoordinatorKey.keyIdOf(publicKey), B64.encode(publicKey), "nitro", B64.encode(new byte[8]));
  }

  @Test
  void aRestartedDevCoordinator_isTrustedAsWell_whenDevKeysAre() {
    CoordinatorTrust trust = new CoordinatorTrust(true, null);
    CoordinatorKey first = devKey();
    CoordinatorKey restarted = devKey();
    TrustedKeys welcomed = trust.check(first.toWire()).orElseThrow();

    TrustedKeys after = trust.adding(welcomed, restarted.toWire()).orElseThrow();

    assertThat(after.keys()).containsExactly(first, restarted);
  }

  @Test
  void aNewKeyThatCannotBeChecked_isRefusedWithAReason_andTheOldKeysStay() {
    CoordinatorKey first = devKey();
    TrustedKeys welcomed = new CoordinatorTrust(true, null).check(first.toWire()).orElseThrow();

    Verification<TrustedKeys> devRefused =
        new CoordinatorTrust(false, null).adding(welcomed, devKey().toWire());
    Verification<TrustedKeys> nitroRefused =
        new CoordinatorTrust(true, null).adding(welcomed, unattestedNitroKey());

    assertThat(devRefused.valid()).isFalse();
    assertThat(devRefused.reason()).contains("--trust-dev-coordinator");
    assertThat(nitroRefused.valid()).isFalse();
    assertThat(nitroRefused.reason()).startsWith("the coordinator's attestation is not valid: ");
    assertThat(welcomed.keys()).containsExactly(first);
  }

  @Test
  void aNodeThatTrustedNoCoordinator_trustsTheNewOne_onceItIsProved() {
    CoordinatorKey restarted = devKey();

    TrustedKeys after =
        new CoordinatorTrust(true, null).adding(null, restarted.toWire()).orElseThrow();

    assertThat(after.keys()).containsExactly(restarted);
  }

  @Test
  void onlyTheNewestKeysAreKept() {
    CoordinatorTrust trust = new CoordinatorTrust(true, null);
    TrustedKeys keys = trust.check(devKey().toWire()).orElseThrow();
    CoordinatorKey newest = null;
    for (int i = 0; i < CoordinatorTrust.MAX_KEYS + 3; i++) {
      newest = devKey();
      keys = trust.adding(keys, newest.toWire()).orElseThrow();
    }

    assertThat(keys.keys()).hasSize(CoordinatorTrust.MAX_KEYS).endsWith(newest);
  }
}
