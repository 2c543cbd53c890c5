package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.attestation.AttestationDocument;
import dev.pinaivu.core.attestation.AttestationVerifier;
import dev.pinaivu.core.attestation.MalformedAttestationException;
import dev.pinaivu.core.attestation.Verification;
import dev.pinaivu.core.attestation.VerifyOptions;
import dev.pinaivu.core.receipt.CoordinatorKey;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The enclave's {@link Succession}: the predecessor's key must be bound to a Nitro enclave by an
 * attestation document that verifies (chain to the pinned AWS root at the document's own time, its
 * {@code public_key} the predecessor's key) and was measured as the same image as this one (equal
 * PCR0) or as one of the images this one was built to trust ({@code trustedPcr0}, for an upgrade).
 * Since the trusted values come from the image's own command line, they are measured into this
 * enclave's PCR0 as well: the parent cannot add to them.
 *
 * <p>A debug-mode enclave (PCR0 all zeros) continues only debug-mode predecessors, and a production
 * enclave never continues one: their PCR0 differ.
 */
public final class AttestedSuccession implements Succession {
  private static final String DEBUG_PCR0 = "00".repeat(48);

  private final AttestationVerifier verifier;
  private final Set<String> trustedPcr0;

  /**
   * @param trustedPcr0 PCR0 values (96 hex digits) of earlier images whose logs this image may
   *     continue, beside its own
   */
  public AttestedSuccession(AttestationVerifier verifier, Set<String> trustedPcr0) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.trustedPcr0 =
        trustedPcr0.stream().map(AttestedSuccession::pcr0).collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public void check(CoordinatorKey own, CoordinatorKey predecessor) {
    NO_DEV_AFTER_NITRO.check(own, predecessor);
    if (own.kind() != CoordinatorKey.Kind.NITRO) {
      return; // a dev coordinator proves nothing itself; whom it follows changes nothing
    }
    String ownPcr0 = pcr0Of(own);
    VerifyOptions options = VerifyOptions.DEFAULTS.expectingPublicKey(predecessor.publicKey());
    Verification checked =
        verifier.verify(
            predecessor.attestation(),
            ownPcr0.equals(DEBUG_PCR0) ? options.allowingDebug() : options);
    if (!checked.valid()) {
      throw new IllegalArgumentException(
          "the attestation of key "
              + predecessor.keyId()
              + " does not verify: "
              + checked.reason());
    }
    String theirs = pcr0Of(predecessor);
    if (!theirs.equals(ownPcr0) && !trustedPcr0.contains(theirs)) {
      throw new IllegalArgumentException(
          "key "
              + predecessor.keyId()
              + " ran another enclave image (PCR0 "
              + theirs
              + "), neither this one nor one it trusts");
    }
  }

  private static String pcr0Of(CoordinatorKey key) {
    try {
      return AttestationDocument.parse(key.attestation())
          .pcrHex(0)
          .orElseThrow(() ->
              new IllegalArgumentException("the attestation of " + key.keyId() + " has no PCR0"));
    } catch (MalformedAttestationException e) {
      throw new IllegalArgumentException(
          "the attestation of " + key.keyId() + " is malformed: " + e.getMessage(), e);
    }
  }

  private static String pcr0(String hex) {
    String normalized = hex.toLowerCase(Locale.ROOT);
    HexFormat.of().parseHex(normalized);
    if (normalized.length() != 96) {
      throw new IllegalArgumentException("a PCR0 is 48 bytes (96 hex digits), got: " + hex);
    }
    if (normalized.equals(DEBUG_PCR0)) {
      throw new IllegalArgumentException(
          "the all-zero PCR0 of debug-mode enclaves cannot be trusted");
    }
    return normalized;
  }

  @Override
  public String toString() {
    return "AttestedSuccession[trusting " + trustedPcr0.size() + " other image(s)]";
  }
}
