package dev.pinaivu.coordinator.nsm;

import dev.pinaivu.core.attestation.AttestationDocument;
import dev.pinaivu.core.attestation.AttestationVerifier;
import dev.pinaivu.core.attestation.MalformedAttestationException;
import dev.pinaivu.core.attestation.Verification;
import dev.pinaivu.core.attestation.VerifyOptions;
import dev.pinaivu.core.coordinator.Attestor;
import dev.pinaivu.core.receipt.CoordinatorKey;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.function.Function;

/**
 * The enclave's {@link Attestor}: asks the NSM for a document whose {@code public_key} is the
 * coordinator's freshly generated key, and refuses to boot unless the document it got back carries
 * exactly that key and verifies against the pinned AWS root at its own timestamp. Debug-mode
 * documents pass this self-check (a debug enclave is useful for staging); every verifier outside
 * still refuses them unless told otherwise.
 */
public final class NsmAttestor implements Attestor {
  private final NsmDevice device;
  private final Function<byte[], Verification> chainCheck;

  /** The real NSM, checked against the pinned AWS Nitro root. */
  public NsmAttestor(NsmDevice device) {
    this(device, awsChain());
  }

  /** {@code chainCheck} stands in for the AWS chain in tests, where no NSM can sign. */
  NsmAttestor(NsmDevice device, Function<byte[], Verification> chainCheck) {
    this.device = Objects.requireNonNull(device, "device");
    this.chainCheck = Objects.requireNonNull(chainCheck, "chainCheck");
  }

  private static Function<byte[], Verification> awsChain() {
    AttestationVerifier verifier = new AttestationVerifier();
    return document -> verifier.verify(document, VerifyOptions.DEFAULTS.allowingDebug());
  }

  /**
   * @throws NsmException when the NSM fails, or its document is malformed, names another key, or
   *     does not verify
   */
  @Override
  public CoordinatorKey attest(byte[] publicKey) {
    byte[] document = attestedDocument(publicKey);
    return CoordinatorKey.nitro(publicKey, document);
  }

  /**
   * An NSM document carrying {@code publicKey} (any DER or raw key up to 1024 bytes), checked as
   * {@link #attest} checks it. KMS sealing uses it for its ephemeral RSA key.
   */
  public byte[] attestedDocument(byte[] publicKey) {
    byte[] document = NsmCodec.document(device.exchange(NsmCodec.attestationRequest(publicKey)));
    AttestationDocument parsed;
    try {
      parsed = AttestationDocument.parse(document);
    } catch (MalformedAttestationException e) {
      throw new NsmException("the NSM returned a malformed document: " + e.getMessage(), e);
    }
    byte[] carried = parsed.publicKey();
    if (carried == null || !MessageDigest.isEqual(carried, publicKey)) {
      throw new NsmException("the NSM document does not carry the key it was asked to attest");
    }
    Verification checked = chainCheck.apply(document);
    if (!checked.valid()) {
      throw new NsmException("the NSM document does not verify: " + checked.reason());
    }
    return document;
  }

  @Override
  public String toString() {
    return "NsmAttestor[" + device + "]";
  }
}
