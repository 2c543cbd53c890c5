package dev.pinaivu.coordinator.kms;

import java.security.PrivateKey;
import java.util.Collection;
import java.util.Objects;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Opens the CMS envelope that KMS returns as {@code CiphertextForRecipient} (RFC 5652
 * EnvelopedData, BER): one KeyTransRecipientInfo whose RSAES-OAEP (SHA-256) encrypted key, under
 * the recipient key from the attestation document, wraps the AES-256-CBC key of the content. This
 * is what aws-nitro-enclaves-sdk-c {@code source/cms.c} accepts. Anything else (another key
 * transport, another cipher, several recipients) is refused rather than guessed at.
 *
 * <p>CBC carries no integrity of its own: the envelope is trusted because it arrives over the TLS
 * session to KMS, which ends inside the enclave; the sealed blob it came from is authenticated by
 * KMS.
 */
final class RecipientEnvelope {
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private RecipientEnvelope() {}

  static byte[] open(byte[] envelope, PrivateKey key) {
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(key, "key");
    CMSEnvelopedData data;
    try {
      data = new CMSEnvelopedData(envelope);
    } catch (CMSException | RuntimeException e) {
      throw new SealingException("not a CMS EnvelopedData: " + e.getMessage(), e);
    }
    String cipher = data.getEncryptionAlgOID();
    if (!NISTObjectIdentifiers.id_aes256_CBC.getId().equals(cipher)) {
      throw new SealingException(
          "the envelope's content cipher is " + cipher + ", not AES-256-CBC");
    }
    KeyTransRecipientInformation recipient =
        onlyRecipient(data.getRecipientInfos().getRecipients());
    String transport = recipient.getKeyEncryptionAlgOID();
    if (!PKCSObjectIdentifiers.id_RSAES_OAEP.getId().equals(transport)) {
      throw new SealingException(
          "the envelope's key transport is " + transport + ", not RSAES-OAEP");
    }
    try {
      return recipient.getContent(new JceKeyTransEnvelopedRecipient(key).setProvider(BC));
    } catch (CMSException | RuntimeException e) {
      throw new SealingException(
          "the envelope does not open with this recipient key (made for another key, or damaged): "
              + e.getMessage(),
          e);
    }
  }

  private static KeyTransRecipientInformation onlyRecipient(
      Collection<RecipientInformation> recipients) {
    if (recipients.size() != 1) {
      throw new SealingException(
          "the envelope has " + recipients.size() + " recipients; KMS sends exactly one");
    }
    RecipientInformation recipient = recipients.iterator().next();
    if (!(recipient instanceof KeyTransRecipientInformation keyTransport)) {
      throw new SealingException("the envelope's recipient is not a key transport recipient");
    }
    return keyTransport;
  }
}
