package dev.pinaivu.cli.receipts;

import dev.pinaivu.core.attestation.AttestationVerifier;
import dev.pinaivu.core.attestation.Verification;
import dev.pinaivu.core.attestation.VerifyOptions;

/** Checks a Nitro attestation document: {@link AttestationVerifier} with the user's pins. */
@FunctionalInterface
interface NitroCheck {
  Verification verify(byte[] document);

  /**
   * The pinned AWS root, certificates valid at the document's own time, no debug mode, and PCR0
   * equal to {@code pcr0Hex} when given.
   *
   * @throws IllegalArgumentException when {@code pcr0Hex} is not a PCR value in hex
   */
  static NitroCheck withPcr0(String pcr0Hex) {
    VerifyOptions options =
        pcr0Hex == null ? VerifyOptions.DEFAULTS : VerifyOptions.DEFAULTS.expectingPcr(0, pcr0Hex);
    AttestationVerifier verifier = new AttestationVerifier();
    return document -> verifier.verify(document, options);
  }
}
