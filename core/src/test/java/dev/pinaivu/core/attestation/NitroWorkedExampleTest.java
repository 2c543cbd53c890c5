package dev.pinaivu.core.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.crypto.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The worked example of docs/attestation.md is what the verifier says about a real NSM document:
 * the block between the {@code nitro-example} markers is recomputed here, line by line.
 */
class NitroWorkedExampleTest {
  private static final long THREE_HOURS = 3 * 3600 * 1000L;

  @Test
  void theDocsWorkedExample_isWhatTheVerifierSaysAboutTheRealDocument() throws Exception {
    byte[] bytes = NitroSamples.NONDEBUG.bytes();
    AttestationDocument document = AttestationDocument.parse(bytes);
    AttestationVerifier verifier = new AttestationVerifier();
    long at = document.timestampMillis();
    String computed =
        String.join(
            "\n",
            "document           core/src/test/resources/nitro/" + NitroSamples.NONDEBUG.file(),
            "size, SHA-256      " + bytes.length + " bytes, " + Sha256.hex(bytes),
            "module_id          " + document.moduleId(),
            "timestamp          " + at + " (" + document.timestamp() + ")",
            "PCR0               " + document.pcrHex(0).orElseThrow(),
            "public_key         "
                + (document.publicKey() == null
                    ? "none (not a Pinaivu document: it binds no receipt key)"
                    : document.publicKey().length + " bytes"),
            "cabundle[0]        the pinned root, byte for byte: "
                + java.util.Arrays.equals(
                    document.cabundle().get(0), AwsNitroRoot.load().getEncoded()),
            "root SHA-256 (DER) " + AwsNitroRoot.fingerprint(AwsNitroRoot.load()),
            "at its timestamp   " + verifier.verify(bytes, VerifyOptions.DEFAULTS).reason(),
            "3 h later          "
                + verifier.verify(bytes, VerifyOptions.DEFAULTS.at(at + THREE_HOURS)).reason(),
            "PCR0 pinned to 00… "
                + verifier
                    .verify(bytes, VerifyOptions.DEFAULTS.expectingPcr(0, "00".repeat(48)))
                    .reason());
    String docs = Files.readString(Path.of("..", "docs", "attestation.md"));
    int start =
        docs.indexOf("<!-- nitro-example -->\n```\n") + "<!-- nitro-example -->\n```\n".length();
    String block = docs.substring(start, docs.indexOf("\n```", start));

    assertThat(block).as("docs/attestation.md, the worked example").isEqualTo(computed);
  }
}
