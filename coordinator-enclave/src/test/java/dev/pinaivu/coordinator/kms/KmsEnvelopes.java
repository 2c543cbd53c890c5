package dev.pinaivu.coordinator.kms;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;

/**
 * Builds CMS envelopes the way KMS returns {@code CiphertextForRecipient}, as far as its format is
 * documented and parsed by aws-nitro-enclaves-sdk-c ({@code source/cms.c}): a BER ContentInfo with
 * indefinite lengths, EnvelopedData version 2, one KeyTransRecipientInfo version 2 (identified by
 * subjectKeyIdentifier) with RSAES-OAEP (SHA-256, MGF1-SHA-256), content AES-256-CBC with the IV as
 * algorithm parameters, encrypted content in octet-string chunks.
 */
final class KmsEnvelopes {
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private KmsEnvelopes() {}

  /**
   * What KMS returns for {@code plaintext} to the key in {@code spki} (DER SubjectPublicKeyInfo).
   */
  static byte[] forRecipient(byte[] plaintext, byte[] spki) {
    return envelope(plaintext, oaepSha256(spki), CMSAlgorithm.AES256_CBC);
  }

  /**
   * The same, but its key transport identifier is a bare {@code id-RSAES-OAEP} without parameters
   * (which by RFC 4055 would mean SHA-1), while the key is still encrypted with SHA-256: what an
   * envelope looks like if KMS leaves the parameters out.
   */
  static byte[] withBareOaepIdentifier(byte[] plaintext, byte[] spki) {
    ContentInfo info = ContentInfo.getInstance(forRecipient(plaintext, spki));
    EnvelopedData data = EnvelopedData.getInstance(info.getContent());
    KeyTransRecipientInfo original =
        KeyTransRecipientInfo.getInstance(
            RecipientInfo.getInstance(data.getRecipientInfos().getObjectAt(0)).getInfo());
    KeyTransRecipientInfo bare =
        new KeyTransRecipientInfo(
            original.getRecipientIdentifier(),
            new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP),
            original.getEncryptedKey());
    EnvelopedData rebuilt =
        new EnvelopedData(
            data.getOriginatorInfo(),
            new DERSet(new RecipientInfo(bare)),
            data.getEncryptedContentInfo(),
            data.getUnprotectedAttrs());
    try {
      return new ContentInfo(CMSObjectIdentifiers.envelopedData, rebuilt)
          .getEncoded(ASN1Encoding.BER);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The same with PKCS#1 v1.5 key transport, which KMS never sends. */
  static byte[] withPkcs1Transport(byte[] plaintext, byte[] spki) {
    return envelope(
        plaintext,
        new JceKeyTransRecipientInfoGenerator(ski(spki), publicKey(spki)).setProvider(BC),
        CMSAlgorithm.AES256_CBC);
  }

  /** The same with another content cipher. */
  static byte[] withCipher(byte[] plaintext, byte[] spki, ASN1ObjectIdentifier cipher) {
    return envelope(plaintext, oaepSha256(spki), cipher);
  }

  /** Two recipients: KMS sends one. */
  static byte[] forTwo(byte[] plaintext, byte[] spki, byte[] otherSpki) {
    return envelope(plaintext, CMSAlgorithm.AES256_CBC, oaepSha256(spki), oaepSha256(otherSpki));
  }

  private static byte[] envelope(
      byte[] plaintext, RecipientInfoGenerator recipient, ASN1ObjectIdentifier cipher) {
    return envelope(plaintext, cipher, recipient);
  }

  private static byte[] envelope(
      byte[] plaintext, ASN1ObjectIdentifier cipher, RecipientInfoGenerator... recipients) {
    CMSEnvelopedDataStreamGenerator generator = new CMSEnvelopedDataStreamGenerator();
    for (RecipientInfoGenerator recipient : recipients) {
      generator.addRecipientInfoGenerator(recipient);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream content =
        generator.open(out, new JceCMSContentEncryptorBuilder(cipher).setProvider(BC).build())) {
      content.write(plaintext);
    } catch (CMSException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static RecipientInfoGenerator oaepSha256(byte[] spki) {
    try {
      AlgorithmIdentifier oaep =
          new JcaAlgorithmParametersConverter()
              .getAlgorithmIdentifier(
                  PKCSObjectIdentifiers.id_RSAES_OAEP,
                  new OAEPParameterSpec(
                      "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
      return new JceKeyTransRecipientInfoGenerator(ski(spki), oaep, publicKey(spki))
          .setProvider(BC);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** RFC 5280 §4.2.1.2 method 1 would hash the key bits; any identifier works for one recipient. */
  private static byte[] ski(byte[] spki) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(spki);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static PublicKey publicKey(byte[] spki) {
    try {
      return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an RSA SubjectPublicKeyInfo", e);
    }
  }

  static final ASN1ObjectIdentifier AES128_CBC = NISTObjectIdentifiers.id_aes128_CBC;
}
