package dev.pinaivu.core.receipt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.json.CanonicalJson;
import dev.pinaivu.core.json.Json;

/**
 * A receipt on the wire and on disk:
 *
 * <pre>{"alg": "Ed25519", "key_id": "...", "receipt": {...}, "signature": "...", "log": {...}}
 * </pre>
 *
 * The signature is Ed25519 over {@code "pinaivu/receipt/v1\n" + JCS(receipt)}. {@code log} is the
 * one unsigned member: transparency-log evidence (leaf index, inclusion proof, checkpoint) added
 * after signing; it is omitted until then, and verifiers of the receipt ignore it.
 *
 * @param keyId the coordinator key id, to pick the key; the signed receipt repeats it
 * @param signature base64url of the 64-byte signature
 * @param log null until the receipt is logged
 */
public record SignedReceipt(
    String alg,
    String keyId,
    Receipt receipt,
    String signature,
    @JsonInclude(JsonInclude.Include.NON_NULL) ObjectNode log) {
  public static final String ALG = "Ed25519";

  public SignedReceipt {
    if (!ALG.equals(alg)) {
      throw new IllegalArgumentException("alg must be " + ALG);
    }
    Fields.sha256Hex(keyId, "key_id");
    Fields.present(receipt, "receipt");
    Fields.signature(signature, "signature");
    log = log == null ? null : log.deepCopy();
  }

  @Override
  public ObjectNode log() {
    return log == null ? null : log.deepCopy();
  }

  /** This envelope with the transparency-log evidence; the signature is unaffected. */
  public SignedReceipt withLog(ObjectNode log) {
    return new SignedReceipt(alg, keyId, receipt, signature, log);
  }

  /**
   * The transparency-log entry for this receipt: JCS of the envelope without {@code log}. Anyone
   * holding the receipt file recomputes it, and the leaf hash, without trusting the log.
   */
  public byte[] logEntry() {
    ObjectNode envelope = Json.MAPPER.valueToTree(withLog(null));
    return CanonicalJson.bytes(envelope);
  }

  /** The envelope as JSON text (not canonical; any formatting verifies). */
  public String json() {
    return Json.text(this);
  }

  @Override
  public String toString() {
    return "SignedReceipt[" + receipt.requestId() + " by " + keyId + "]";
  }
}
