package dev.pinaivu.cli.receipts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.DevAttestation;
import dev.pinaivu.core.receipt.Outcome;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.TestReceipt;
import java.util.Arrays;
import java.util.Base64;

/**
 * Real signed receipts ({@link TestReceipt}, the keys of the docs/receipts.md test vector:
 * coordinator seed 0x02, node seed 0x03), and the key listings the command's tests need.
 */
final class TestReceipts {
  static final Ed25519.PrivateKey COORDINATOR = TestReceipt.COORDINATOR;
  static final Ed25519.PrivateKey NODE = TestReceipt.NODE;
  static final String KEY_ID = CoordinatorKey.keyIdOf(COORDINATOR.publicKey());
  static final String MODEL = "llama3.2:3b";
  static final long T0 = 1_732_550_000_000L;

  private TestReceipts() {}

  /** A receipt for a stream cancelled after 7 of 9 completion tokens: 12 + 7 billed, 7 µUSD. */
  static SignedReceipt signed(RequestId id) {
    return TestReceipt.signed(id, Outcome.CANCELLED, Usage.of(12, 9), 7, T0 + 920);
  }

  /** The gateway's key listing with one entry. */
  static String listing(String kind, byte[] publicKey, byte[] attestation) {
    ObjectNode entry = Json.object();
    entry.put("key_id", CoordinatorKey.keyIdOf(publicKey));
    entry.put("public_key", B64.encode(publicKey));
    entry.put("kind", kind);
    entry.put(
        "attestation",
        attestation == null ? null : Base64.getEncoder().encodeToString(attestation));
    ObjectNode listing = Json.object();
    ArrayNode keys = listing.putArray("keys");
    keys.add(entry);
    return Json.text(listing);
  }

  /** The listing a local (dev) gateway serves for the test coordinator key. */
  static String devListing() {
    return listing(
        "dev", COORDINATOR.publicKey(), DevAttestation.document(COORDINATOR.publicKey()));
  }

  static byte[] filled(int value) {
    byte[] bytes = new byte[32];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }
}
