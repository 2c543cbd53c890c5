package dev.pinaivu.coordinator.kms;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.junit.jupiter.api.Test;

class RecipientEnvelopeTest {
  private static final byte[] STATE = "log position 4711".getBytes(UTF_8);
  private final RecipientKey key = RecipientKey.generate();

  @Test
  void anEnvelopeShapedLikeKmsOutput_opensToThePlaintext() {
    byte[] envelope = KmsEnvelopes.forRecipient(STATE, key.publicKeyDer());

    assertThat(key.open(envelope)).isEqualTo(STATE);
  }

  @Test
  void theTestEnvelope_hasTheShapeTheAwsSdkParserExpects() throws Exception {
    byte[] envelope = KmsEnvelopes.forRecipient(STATE, key.publicKeyDer());

    // BER with indefinite lengths, as KMS sends it
    assertThat(HexFormat.of().formatHex(envelope, 0, 2)).isEqualTo("3080");
    ContentInfo info =
        ContentInfo.getInstance((ASN1Sequence) new ASN1InputStream(envelope).readObject());
    EnvelopedData data = EnvelopedData.getInstance(info.getContent());
    assertThat(data.getVersion().intValueExact()).isEqualTo(2);
    assertThat(data.getRecipientInfos().size()).isEqualTo(1);
    KeyTransRecipientInfo recipient =
        KeyTransRecipientInfo.getInstance(
            RecipientInfo.getInstance(data.getRecipientInfos().getObjectAt(0)).getInfo());
    assertThat(recipient.getVersion().intValueExact()).isEqualTo(2);
    assertThat(recipient.getKeyEncryptionAlgorithm().getAlgorithm().getId())
        .isEqualTo("1.2.840.113549.1.1.7");
    assertThat(
            data.getEncryptedContentInfo().getContentEncryptionAlgorithm().getAlgorithm().getId())
        .isEqualTo("2.16.840.1.101.3.4.1.42");
  }

  @Test
  void anOaepIdentifierWithoutParameters_stillOpensAsSha256_likeTheAwsSdkDoes() {
    byte[] envelope = KmsEnvelopes.withBareOaepIdentifier(STATE, key.publicKeyDer());

    assertThat(key.open(envelope)).isEqualTo(STATE);
  }

  @Test
  void anEnvelopeForAnotherKey_doesNotOpen() {
    byte[] envelope = KmsEnvelopes.forRecipient(STATE, RecipientKey.generate().publicKeyDer());

    assertThatThrownBy(() -> key.open(envelope))
        .isInstanceOf(SealingException.class)
        .hasMessageStartingWith("the envelope does not open with this recipient key");
  }

  @Test
  void aTamperedEncryptedKey_doesNotOpen() {
    byte[] envelope = KmsEnvelopes.forRecipient(STATE, key.publicKeyDer());
    byte[] tampered = envelope.clone();
    int encryptedKey = indexOfEncryptedKey(envelope);
    tampered[encryptedKey + 10] ^= 0x01;

    assertThatThrownBy(() -> key.open(tampered))
        .isInstanceOf(SealingException.class)
        .hasMessageStartingWith("the envelope does not open with this recipient key");
  }

  @Test
  void aTamperedPaddingByte_isRefused() {
    byte[] envelope = KmsEnvelopes.forRecipient(STATE, key.publicKeyDer());
    byte[] tampered = envelope.clone();
    // 17 bytes of state are two AES blocks; the last byte of the first block XORs into the
    // padding byte of the second, so flipping it always breaks the padding
    tampered[indexOfContent(envelope) + 15] ^= 0x55;

    assertThatThrownBy(() -> key.open(tampered))
        .isInstanceOf(SealingException.class)
        .hasMessageStartingWith("the envelope does not open with this recipient key");
  }

  @Test
  void
      cbcHasNoIntegrity_soAFlippedFirstBlockChangesThePlaintext_whichIsWhyTheEnvelopeComesOverTls() {
    byte[] envelope = KmsEnvelopes.forRecipient(STATE, key.publicKeyDer());
    byte[] tampered = envelope.clone();
    tampered[indexOfContent(envelope)] ^= 0x01;

    assertThat(key.open(tampered)).hasSize(STATE.length).isNotEqualTo(STATE);
  }

  @Test
  void bytesThatAreNotCms_areRefusedAsSuch() {
    for (byte[] junk : new byte[][] {{}, {0x30}, "not cms".getBytes(UTF_8), new byte[64]}) {
      assertThatThrownBy(() -> key.open(junk))
          .isInstanceOf(SealingException.class)
          .hasMessageStartingWith("not a CMS EnvelopedData");
    }
  }

  @Test
  void pkcs1KeyTransport_isRefused_evenThoughItWouldOpen() {
    byte[] envelope = KmsEnvelopes.withPkcs1Transport(STATE, key.publicKeyDer());

    assertThatThrownBy(() -> key.open(envelope))
        .hasMessage("the envelope's key transport is 1.2.840.113549.1.1.1, not RSAES-OAEP");
  }

  @Test
  void anotherContentCipher_isRefused() {
    byte[] envelope = KmsEnvelopes.withCipher(STATE, key.publicKeyDer(), KmsEnvelopes.AES128_CBC);

    assertThatThrownBy(() -> key.open(envelope))
        .hasMessage("the envelope's content cipher is 2.16.840.1.101.3.4.1.2, not AES-256-CBC");
  }

  @Test
  void twoRecipients_areRefused() {
    byte[] envelope =
        KmsEnvelopes.forTwo(STATE, key.publicKeyDer(), RecipientKey.generate().publicKeyDer());

    assertThatThrownBy(() -> key.open(envelope))
        .hasMessage("the envelope has 2 recipients; KMS sends exactly one");
  }

  @Test
  void theRecipientKey_isRsa2048_andNeverPrinted() {
    assertThat(KmsEnvelopes.publicKey(key.publicKeyDer()).getEncoded()).hasSize(294);
    assertThat(key.toString()).isEqualTo("RecipientKey[RSA-2048, private key redacted]");
  }

  /**
   * The encrypted content: one 32-byte octet string chunk inside the [0] of EncryptedContentInfo.
   */
  private static int indexOfContent(byte[] envelope) {
    for (int i = 0; i + 4 < envelope.length; i++) {
      if (envelope[i] == (byte) 0xa0
          && envelope[i + 1] == (byte) 0x80
          && envelope[i + 2] == 0x04
          && envelope[i + 3] == 0x20) {
        return i + 4;
      }
    }
    throw new AssertionError("no 32-byte content chunk");
  }

  /** The 256-byte RSA ciphertext is the only OCTET STRING of that length: 04 82 01 00. */
  private static int indexOfEncryptedKey(byte[] envelope) {
    for (int i = 0; i + 4 < envelope.length; i++) {
      if (envelope[i] == 0x04
          && envelope[i + 1] == (byte) 0x82
          && envelope[i + 2] == 0x01
          && envelope[i + 3] == 0x00) {
        return i + 4;
      }
    }
    throw new AssertionError("no 256-byte octet string");
  }
}
