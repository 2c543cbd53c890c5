package dev.pinaivu.core.receipt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.json.CanonicalJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The test vector of docs/receipts.md §13: fixed keys give fixed bytes and signatures. The page
 * must print exactly these values, and the JDK's own Ed25519 must accept the signatures over the
 * byte recipe the page gives, so the recipe is proven independently of BouncyCastle.
 */
class KnownAnswerTest {
  static final String COORDINATOR_PUBLIC_KEY =
      "8139770ea87d175f56a35466c34c7ecccb8d8a91b4ee37a25df60f5b8fc9b394";
  static final String KEY_ID = "6a3803d5f059902a1c6dafbc9ba4729212f7caac08634cc3ae76b27529f03827";
  static final String NODE_ID = "node_prq8czx2ycxfwrpnttrp8bgp44";
  static final String REQUEST_SHA256 =
      "bf643af08152dedc40922a4791b58dd4ace62dff763c5932972581a111b1ec86";
  static final String RESPONSE_SHA256 =
      "2c8f09fa3c0559f39674004db6d2d1a58470bcabdd81028852f8b7834c08978a";
  static final String TOKEN_SHA256 =
      "73cb2643bf8d74508c9e5b03790488516718bc31651c458daffb968f1df010bb";
  static final String PROOF_SIGNATURE =
      "m73wHN7YONwa89PVbmLh_VlKYi_gWD1A9kUPLNJV8MZqEYecw8_wOTalzLU7KrTRLYIRoqP_FlaZo2-UYaD6DQ";
  static final String RECEIPT_MESSAGE_SHA256 =
      "c3506d92e8b4a64a13fd6e1b53ee1660a4e12f0de5bb60b4d0bc6c833331073b";
  static final String RECEIPT_SIGNATURE =
      "ktI0OPyVJHhPaj_A6C4TI52RfzF9CIOdC3ZvqDHdT77Qq4kJKRwGQNsyUT5pb7UVurBdXuOQvU6Z5ty0xq4FCA";
  static final String LOG_ENTRY_SHA256 =
      "179eed0351e223bd7a5cb7c36a3e8bbb0b96c33a76c9361104bfa1dba5f0bc6a";

  /** X.509 SubjectPublicKeyInfo header of an Ed25519 key (RFC 8410): then the 32 raw bytes. */
  private static final byte[] ED25519_SPKI_PREFIX =
      HexFormat.of().parseHex("302a300506032b6570032100");

  private static final SignedReceipt SIGNED = Fixtures.signed();

  @Test
  void fixedInputs_giveTheDocumentedIdsAndHashes() {
    assertThat(HexFormat.of().formatHex(Fixtures.COORDINATOR.publicKey()))
        .isEqualTo(COORDINATOR_PUBLIC_KEY);
    assertThat(Fixtures.KEY_ID).isEqualTo(KEY_ID);
    assertThat(Fixtures.NODE_ID.value()).isEqualTo(NODE_ID);
    assertThat(Sha256.hex(Fixtures.REQUEST_BYTES)).isEqualTo(REQUEST_SHA256);
    assertThat(Fixtures.responseSha256()).isEqualTo(RESPONSE_SHA256);
    assertThat(Fixtures.signedToken().sha256()).isEqualTo(TOKEN_SHA256);
  }

  @Test
  void fixedReceipt_hasTheDocumentedBytesAndSignatures() {
    byte[] message = SigningContext.RECEIPT.message(CanonicalJson.bytes(SIGNED.receipt()));

    assertThat(Sha256.hex(message)).isEqualTo(RECEIPT_MESSAGE_SHA256);
    assertThat(SIGNED.signature()).isEqualTo(RECEIPT_SIGNATURE);
    assertThat(SIGNED.receipt().nodeProof().signature()).isEqualTo(PROOF_SIGNATURE);
    assertThat(Sha256.hex(SIGNED.logEntry())).isEqualTo(LOG_ENTRY_SHA256);
  }

  @Test
  void jdkEd25519_acceptsEverySignature_overTheDocumentedBytes() throws Exception {
    String receiptText = new String(CanonicalJson.bytes(SIGNED.receipt()), UTF_8);
    String proofText = new String(CanonicalJson.bytes(Fixtures.proof()), UTF_8);
    String[] token = Fixtures.signedToken().wire().split("\\.");
    String tokenText = new String(B64.decode(token[0]), UTF_8);

    assertThat(
            jdkVerifies(
                Fixtures.COORDINATOR.publicKey(),
                "pinaivu/receipt/v1\n" + receiptText,
                SIGNED.signature()))
        .isTrue();
    assertThat(
            jdkVerifies(
                Fixtures.NODE.publicKey(), "pinaivu/proof/v1\n" + proofText, PROOF_SIGNATURE))
        .isTrue();
    assertThat(
            jdkVerifies(
                Fixtures.COORDINATOR.publicKey(),
                "pinaivu/dispatch-token/v1\n" + tokenText,
                token[1]))
        .isTrue();
    assertThat(
            jdkVerifies(
                Fixtures.COORDINATOR.publicKey(),
                "pinaivu/proof/v1\n" + receiptText,
                RECEIPT_SIGNATURE))
        .as("the prefix is part of the signed bytes")
        .isFalse();
  }

  @Test
  void specPage_printsThisVector() throws Exception {
    String doc = specPage();

    assertThat(doc)
        .contains(new String(CanonicalJson.bytes(SIGNED.receipt()), UTF_8))
        .contains(new String(CanonicalJson.bytes(Fixtures.proof()), UTF_8))
        .contains(new String(CanonicalJson.bytes(Fixtures.token()), UTF_8))
        .contains(Fixtures.signedToken().wire())
        .contains(new String(CanonicalJson.bytes(Fixtures.offer().offer()), UTF_8))
        .contains(Fixtures.offer().signature(), Fixtures.offer().sha256())
        .contains(Sha256.hex(Fixtures.CLIENT_BYTES.getBytes(UTF_8)))
        .contains(new String(Fixtures.REQUEST_BYTES, UTF_8))
        .contains(Fixtures.FRAMES)
        .contains(
            COORDINATOR_PUBLIC_KEY,
            KEY_ID,
            NODE_ID,
            REQUEST_SHA256,
            RESPONSE_SHA256,
            TOKEN_SHA256,
            PROOF_SIGNATURE,
            RECEIPT_MESSAGE_SHA256,
            RECEIPT_SIGNATURE,
            LOG_ENTRY_SHA256,
            HexFormat.of().formatHex(B64.decode(RECEIPT_SIGNATURE)));
  }

  @Test
  void envelopePrintedInTheSpec_verifies() throws Exception {
    String doc = specPage();
    String printed = doc.substring(doc.lastIndexOf("```json\n") + 8);
    printed = printed.substring(0, printed.indexOf("```"));

    Verification<Receipt> result = Fixtures.verifier().verify(printed.getBytes(UTF_8));

    assertThat(result.reason()).isEmpty();
    assertThat(result.value()).isEqualTo(SIGNED.receipt());
  }

  private static boolean jdkVerifies(byte[] rawKey, String message, String signature)
      throws Exception {
    byte[] spki = new byte[ED25519_SPKI_PREFIX.length + rawKey.length];
    System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
    System.arraycopy(rawKey, 0, spki, ED25519_SPKI_PREFIX.length, rawKey.length);
    PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(key);
    verifier.update(message.getBytes(UTF_8));
    return verifier.verify(B64.decode(signature));
  }

  /** docs/receipts.md, found from the module directory (Maven) or the repository root (IDEs). */
  private static String specPage() throws Exception {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path page = dir.resolve("docs").resolve("receipts.md");
      if (Files.isRegularFile(page)) {
        return Files.readString(page);
      }
    }
    throw new AssertionError("docs/receipts.md not found above " + Path.of("").toAbsolutePath());
  }
}
