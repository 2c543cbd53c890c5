package dev.pinaivu.cli.receipts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.attestation.AttestationDocument;
import dev.pinaivu.core.attestation.CoseSign1;
import dev.pinaivu.core.attestation.Verification;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.id.RequestId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NITRO keys are trusted only through a verified attestation document that carries exactly the key.
 * A stub stands in for the AWS chain check where a document must pass (no real enclave can attest
 * the test key); the real {@code AttestationVerifier} runs on real and malformed documents.
 */
class NitroKeysTest {
  private static final byte[] KEY = TestReceipts.COORDINATOR.publicKey();
  private static final byte[] DOCUMENT =
      "a document the stub accepts".getBytes(StandardCharsets.UTF_8);
  private static final Path NITRO =
      Path.of(
          System.getProperty("basedir", "."), "..", "core", "src", "test", "resources", "nitro");

  @TempDir Path dir;
  private Path receipt;

  @BeforeEach
  void writeReceipt() throws IOException {
    receipt =
        Files.writeString(dir.resolve("r.json"), TestReceipts.signed(RequestId.next()).json());
  }

  /** Accepts {@link #DOCUMENT} as an attestation whose public_key is {@code attested}. */
  private static NitroCheck stubAttesting(byte[] attested) {
    return document ->
        Arrays.equals(document, DOCUMENT)
            ? new Verification.Valid(documentWith(attested))
            : new Verification.Refused(
                Verification.Check.SIGNATURE, "ES384 signature does not verify (stub)");
  }

  private static AttestationDocument documentWith(byte[] publicKey) {
    byte[] pcr0 = new byte[48];
    Arrays.fill(pcr0, (byte) 7);
    return new AttestationDocument(
        new CoseSign1(new byte[] {1}, CoseSign1.ES384, new byte[] {2}, new byte[] {3}),
        "i-0123456789abcdef0-enc0123456789abcdef",
        TestReceipts.T0,
        AttestationDocument.SHA384,
        new TreeMap<>(Map.of(0, pcr0)),
        new byte[] {4},
        List.of(new byte[] {5}),
        publicKey,
        null,
        null);
  }

  private String nitroListing(byte[] document) throws IOException {
    return Files.writeString(
            Files.createTempFile(dir, "keys", ".json"),
            TestReceipts.listing("nitro", KEY, document))
        .toString();
  }

  @Test
  void aNitroKey_whoseDocumentVerifiesAndCarriesIt_isTrusted_withoutAllowDev() throws IOException {
    CliRun r =
        CliRun.verifyWith(
            stubAttesting(KEY), receipt.toString(), "--coordinator-key", nitroListing(DOCUMENT));

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("valid: ")
        .contains("(key " + TestReceipts.KEY_ID + ", nitro, PCR0 not pinned)");
  }

  @Test
  void withAPcr0Pin_theVerdictSaysPlainlyNitro() throws IOException {
    CliRun r =
        CliRun.verifyWith(
            stubAttesting(KEY),
            receipt.toString(),
            "--coordinator-key",
            nitroListing(DOCUMENT),
            "--pcr0",
            "07".repeat(48));

    assertThat(r.out()).contains(", nitro)");
  }

  @Test
  void aNitroDocumentCarryingAnotherKey_isRefused() throws IOException {
    byte[] other = Ed25519.PrivateKey.fromSeed(TestReceipts.filled(0x09)).publicKey();

    CliRun r =
        CliRun.verifyWith(
            stubAttesting(other), receipt.toString(), "--coordinator-key", nitroListing(DOCUMENT));

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .startsWith("invalid: coordinator key " + TestReceipts.KEY_ID + " is not trusted: ")
        .contains("public_key is another key");
  }

  @Test
  void aNitroDocumentThatDoesNotVerify_isRefusedWithItsReason() throws IOException {
    CliRun r =
        CliRun.verifyWith(
            stubAttesting(KEY),
            receipt.toString(),
            "--coordinator-key",
            nitroListing("another document".getBytes(StandardCharsets.UTF_8)));

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .contains("its Nitro attestation was refused: ES384 signature does not verify (stub)");
  }

  @Test
  void aNitroKeyListedWithoutItsDocument_isRefused() throws IOException {
    CliRun r =
        CliRun.verifyWith(
            stubAttesting(KEY), receipt.toString(), "--coordinator-key", nitroListing(null));

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("without an attestation document");
  }

  @Test
  void theRealVerifier_refusesARealAwsDocumentThatAttestsAnotherKey() throws IOException {
    byte[] aws = Files.readAllBytes(NITRO.resolve("evervault-nondebug-2022-10-13.cose"));

    CliRun r =
        CliRun.pinaivu(
            "receipts", "verify", receipt.toString(), "--coordinator-key", nitroListing(aws));

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .startsWith("invalid: coordinator key " + TestReceipts.KEY_ID + " is not trusted: ")
        .containsPattern("public_key is (another|not a 32-byte)");
  }

  @Test
  void theRealVerifier_refusesAMalformedDocument() throws IOException {
    CliRun r =
        CliRun.pinaivu(
            "receipts",
            "verify",
            receipt.toString(),
            "--coordinator-key",
            nitroListing(new byte[] {(byte) 0x84, 1, 2}));

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("was refused: malformed attestation document");
  }

  @Test
  void aNitroDocumentGivenDirectly_thatAttestsAnotherKey_isNamedWhenTheReceiptKeyIsUnknown() {
    CliRun r =
        CliRun.pinaivu(
            "receipts",
            "verify",
            receipt.toString(),
            "--coordinator-key",
            NITRO.resolve("evervault-nondebug-2022-10-13.cose").toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("is not a trusted coordinator key").contains("also refused: ");
  }
}
