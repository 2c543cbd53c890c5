package dev.pinaivu.cli.receipts;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.receipt.AccountRef;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.DevAttestation;
import dev.pinaivu.core.receipt.DispatchToken;
import dev.pinaivu.core.receipt.Outcome;
import dev.pinaivu.core.receipt.ProofOfInference;
import dev.pinaivu.core.receipt.ReceiptSigner;
import dev.pinaivu.core.receipt.ResponseDigest;
import dev.pinaivu.core.receipt.Settlement;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedProof;
import dev.pinaivu.core.receipt.SignedReceipt;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;

/**
 * Real signed receipts, made through the public receipt API with the keys of the docs/receipts.md
 * test vector (coordinator seed 0x02, node seed 0x03). The core's {@code Fixtures} follow the same
 * recipe but are package-private to core's receipt tests; this copy adds the listings the command's
 * tests need.
 */
final class TestReceipts {
  static final Ed25519.PrivateKey COORDINATOR = Ed25519.PrivateKey.fromSeed(filled(0x02));
  static final Ed25519.PrivateKey NODE = Ed25519.PrivateKey.fromSeed(filled(0x03));
  static final String KEY_ID = CoordinatorKey.keyIdOf(COORDINATOR.publicKey());
  static final String MODEL = "llama3.2:3b";
  static final long T0 = 1_732_550_000_000L;

  private TestReceipts() {}

  /** A receipt for a stream cancelled after 7 of 9 completion tokens: 12 + 7 billed, 7 µUSD. */
  static SignedReceipt signed(RequestId id) {
    NodeId node = NodeId.of(NODE.publicKey());
    byte[] request = "{\"model\": \"llama3.2:3b\", \"messages\": []}".getBytes(UTF_8);
    String response = new ResponseDigest().add("{\"type\":\"chunk\"}").hex();
    SignedDispatchToken token =
        SignedDispatchToken.sign(
            new DispatchToken(
                DispatchToken.VERSION,
                id,
                Sha256.hex(request),
                node,
                MODEL,
                150_000,
                600_000,
                256,
                T0,
                T0 + 60_000,
                KEY_ID),
            COORDINATOR);
    ProofOfInference proof =
        new ProofOfInference(
            ProofOfInference.VERSION,
            id,
            node,
            MODEL,
            Sha256.hex(request),
            response,
            token.sha256(),
            Outcome.CANCELLED,
            Usage.of(12, 9),
            false,
            7,
            T0 + 40,
            T0 + 900);
    Clock clock = Clock.fixed(Instant.ofEpochMilli(T0 + 920), ZoneOffset.UTC);
    return new ReceiptSigner(COORDINATOR)
        .sign(
            new Settlement(new FeePolicy(500), clock)
                .settle(
                    token,
                    SignedProof.sign(proof, NODE),
                    NODE.publicKey(),
                    new Settlement.Delivery(
                        T0 + 5, T0 + 180, T0 + 910, response, "client disconnected"),
                    AccountRef.of(filled(0x04), id))
                .orElseThrow());
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
