package dev.pinaivu.coordinator.kms;

import java.security.PrivateKey;
import java.util.Collection;
import java.util.Objects;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientOperator;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Opens the CMS envelope that KMS returns as {@code CiphertextForRecipient} (RFC 5652
 * EnvelopedData, BER): one KeyTransRecipientInfo whose RSAES-OAEP (SHA-256) encrypted key, under
 * the recipient key from the attestation document, wraps the AES-256-CBC key of the content. This
 * is what aws-nitro-enclaves-sdk-c {@code source/cms.c} accepts. Anything else (another key
 * transport, another cipher, several recipients) is refused rather than guessed at.
 *
 * <p>The key is unwrapped with RSAES-OAEP, SHA-256 and MGF1-SHA-256 whatever parameters the
 * envelope's algorithm identifier states, as the AWS SDK does ({@code aws_attestation_rsa_decrypt}
 * fixes both digests): KMS's {@code RSAES_OAEP_SHA_256} is that scheme, and an identifier with
 * absent parameters would otherwise mean SHA-1.
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
      return recipient.getContent(new OaepSha256Recipient(key).setProvider(BC));
    } catch (CMSException | RuntimeException e) {
      throw new SealingException(
          "the envelope does not open with this recipient key (made for another key, or damaged): "
              + e.getMessage(),
          e);
    }
  }

  /** BouncyCastle's recipient, told the key transport is always OAEP with SHA-256 throughout. */
  private static final class OaepSha256Recipient extends JceKeyTransEnvelopedRecipient {
    private static final AlgorithmIdentifier SHA256 =
        new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE);
    private static final AlgorithmIdentifier OAEP_SHA256 =
        new AlgorithmIdentifier(
            PKCSObjectIdentifiers.id_RSAES_OAEP,
            new RSAESOAEPparams(
                SHA256,
                new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, SHA256),
                RSAESOAEPparams.DEFAULT_P_SOURCE_ALGORITHM));

    OaepSha256Recipient(PrivateKey key) {
      super(key);
    }

    @Override
    public RecipientOperator getRecipientOperator(
        AlgorithmIdentifier keyEncryptionAlgorithm,
        AlgorithmIdentifier contentEncryptionAlgorithm,
        byte[] encryptedContentEncryptionKey)
        throws CMSException {
      return super.getRecipientOperator(
          OAEP_SHA256, contentEncryptionAlgorithm, encryptedContentEncryptionKey);
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
