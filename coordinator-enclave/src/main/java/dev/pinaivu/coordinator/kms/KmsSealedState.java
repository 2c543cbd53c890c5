package dev.pinaivu.coordinator.kms;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DecryptRequest;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyRequest;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyEncryptionMechanism;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.RecipientInfo;

/**
 * {@link SealedState} with a KMS symmetric key. Sealing is a plain {@code Encrypt} (anyone the key
 * policy lets encrypt may seal, the parent included); unsealing is a {@code Decrypt} with a {@code
 * Recipient}: a fresh RSA key attested by the NSM, so KMS returns the plaintext only inside a CMS
 * envelope for that key, and a key policy conditioned on {@code kms:RecipientAttestation:*} lets
 * only the measured enclave decrypt (docs/enclave.md has the policy). {@link #generate} is a {@code
 * GenerateDataKey} with the same Recipient. The name travels as the encryption context {@code
 * {"pinaivu:sealed": name}}, which KMS authenticates with the blob.
 */
public final class KmsSealedState implements SealedState {
  static final String CONTEXT_KEY = "pinaivu:sealed";
  private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,64}");

  private final KmsClient kms;
  private final String keyId;
  private final RecipientAttestation attestation;

  /**
   * @param keyId the KMS key (id, ARN or alias) that seals; Decrypt is pinned to it as well
   */
  public KmsSealedState(KmsClient kms, String keyId, RecipientAttestation attestation) {
    this.kms = Objects.requireNonNull(kms, "kms");
    this.keyId = Objects.requireNonNull(keyId, "keyId");
    this.attestation = Objects.requireNonNull(attestation, "attestation");
  }

  @Override
  public byte[] seal(String name, byte[] state) {
    Map<String, String> context = context(name);
    Objects.requireNonNull(state, "state");
    if (state.length == 0 || state.length > MAX_STATE_BYTES) {
      throw new IllegalArgumentException(
          "sealed state is 1.." + MAX_STATE_BYTES + " bytes, got " + state.length);
    }
    try {
      return kms.encrypt(request ->
              request
                  .keyId(keyId)
                  .plaintext(SdkBytes.fromByteArray(state))
                  .encryptionContext(context))
          .ciphertextBlob()
          .asByteArray();
    } catch (SdkException e) {
      throw new SealingException("KMS Encrypt failed: " + describe(e), e);
    }
  }

  @Override
  public Generated generate(String name, int bytes) {
    Map<String, String> context = context(name);
    if (bytes < 1 || bytes > 1024) {
      throw new IllegalArgumentException("generated state is 1..1024 bytes, got " + bytes);
    }
    RecipientKey recipient = RecipientKey.generate();
    RecipientInfo attested = attested(recipient);
    GenerateDataKeyResponse response;
    try {
      response =
          kms.generateDataKey(
              GenerateDataKeyRequest.builder()
                  .keyId(keyId)
                  .numberOfBytes(bytes)
                  .encryptionContext(context)
                  .recipient(attested)
                  .build());
    } catch (SdkException e) {
      throw new SealingException("KMS GenerateDataKey failed: " + describe(e), e);
    }
    if (response.ciphertextForRecipient() == null) {
      throw new SealingException(
          "KMS answered GenerateDataKey without CiphertextForRecipient; refusing any other form");
    }
    byte[] state = recipient.open(response.ciphertextForRecipient().asByteArray());
    return new Generated(state, response.ciphertextBlob().asByteArray());
  }

  @Override
  public byte[] unseal(String name, byte[] sealed) {
    Map<String, String> context = context(name);
    Objects.requireNonNull(sealed, "sealed");
    RecipientKey recipient = RecipientKey.generate();
    RecipientInfo attested = attested(recipient);
    DecryptResponse response;
    try {
      response =
          kms.decrypt(
              DecryptRequest.builder()
                  .keyId(keyId)
                  .ciphertextBlob(SdkBytes.fromByteArray(sealed))
                  .encryptionContext(context)
                  .recipient(attested)
                  .build());
    } catch (SdkException e) {
      throw new SealingException("KMS Decrypt failed: " + describe(e), e);
    }
    if (response.ciphertextForRecipient() == null) {
      throw new SealingException(
          "KMS answered Decrypt without CiphertextForRecipient; refusing any other form");
    }
    return recipient.open(response.ciphertextForRecipient().asByteArray());
  }

  /** An NSM document for {@code recipient}'s public key: KMS answers only in its envelope. */
  private RecipientInfo attested(RecipientKey recipient) {
    byte[] document = attestation.documentFor(recipient.publicKeyDer());
    return RecipientInfo.builder()
        .keyEncryptionAlgorithm(KeyEncryptionMechanism.RSAES_OAEP_SHA_256)
        .attestationDocument(SdkBytes.fromByteArray(document))
        .build();
  }

  private static Map<String, String> context(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a sealed state name is [a-z0-9-]{1,64}, got " + name);
    }
    return Map.of(CONTEXT_KEY, name);
  }

  /** The KMS error code and message (e.g. AccessDeniedException when the PCRs do not match). */
  private static String describe(SdkException e) {
    if (e instanceof KmsException kms && kms.awsErrorDetails() != null) {
      return kms.awsErrorDetails().errorCode() + ": " + kms.awsErrorDetails().errorMessage();
    }
    return e.getMessage();
  }

  @Override
  public String toString() {
    return "KmsSealedState[key " + keyId + "]";
  }
}
