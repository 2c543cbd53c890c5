package dev.pinaivu.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8032 §7.1, tests 1 to 3: keys, signatures and verification, byte for byte. */
class Ed25519Test {
  private static final HexFormat HEX = HexFormat.of();

  @ParameterizedTest
  @CsvSource({
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60,"
        + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a,"
        + "'',"
        + "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb,"
        + "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c,"
        + "72,"
        + "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
        + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7,"
        + "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025,"
        + "af82,"
        + "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
        + "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
  })
  void rfc8032Vectors_signAndVerify(String seed, String publicKey, String message, String sig) {
    Ed25519.PrivateKey key = Ed25519.PrivateKey.fromSeed(HEX.parseHex(seed));
    byte[] msg = HEX.parseHex(message);

    assertThat(HEX.formatHex(key.publicKey())).isEqualTo(publicKey);
    assertThat(HEX.formatHex(key.sign(msg))).isEqualTo(sig);
    assertThat(Ed25519.verify(HEX.parseHex(publicKey), msg, HEX.parseHex(sig))).isTrue();
    // twice: a key parsed once and kept verifies as the first time, and refuses as well
    assertThat(Ed25519.verify(HEX.parseHex(publicKey), msg, HEX.parseHex(sig))).isTrue();
    byte[] other = HEX.parseHex(sig);
    other[5] ^= 1;
    assertThat(Ed25519.verify(HEX.parseHex(publicKey), msg, other)).isFalse();
    assertThat(Ed25519.verify(HEX.parseHex(publicKey), new byte[] {1}, HEX.parseHex(sig)))
        .isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    // y not below the field prime (not a canonical point), and a wrong length
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707"
  })
  void malformedPublicKey_verifiesNothing(String publicKey) {
    assertThat(Ed25519.verify(HEX.parseHex(publicKey), new byte[0], new byte[64])).isFalse();
    assertThat(Ed25519.verify(HEX.parseHex(publicKey), new byte[0], new byte[64])).isFalse();
  }
}
