package dev.pinaivu.core.usage;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.receipt.AccountRef;
import dev.pinaivu.core.receipt.CoordinatorKey;
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

/**
 * Real signed receipts made through the public receipt API (the coordinator and node keys of the
 * docs/receipts.md test vector), for tests outside the receipt package.
 */
final class SignedReceipts {
  static final Ed25519.PrivateKey COORDINATOR = Ed25519.PrivateKey.fromSeed(filled(0x02));
  static final Ed25519.PrivateKey NODE = Ed25519.PrivateKey.fromSeed(filled(0x03));
  static final String MODEL = "llama3.2:3b";

  private SignedReceipts() {}

  /** A receipt for {@code id} signed at {@code issuedAtMs} (at least 1000). */
  static SignedReceipt signed(
      RequestId id, Outcome outcome, Usage usage, long delivered, long issuedAtMs) {
    NodeId node = NodeId.of(NODE.publicKey());
    byte[] request = "{\"model\":\"llama3.2:3b\",\"messages\":[]}".getBytes(UTF_8);
    String responseSha256 = new ResponseDigest().add("{\"type\":\"result\"}").hex();
    long start = issuedAtMs - 1000;
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
                null,
                start,
                start + 60_000,
                CoordinatorKey.keyIdOf(COORDINATOR.publicKey())),
            COORDINATOR);
    ProofOfInference proof =
        new ProofOfInference(
            ProofOfInference.VERSION,
            id,
            node,
            MODEL,
            Sha256.hex(request),
            responseSha256,
            token.sha256(),
            outcome,
            usage,
            false,
            delivered,
            start + 10,
            start + 500);
    Settlement.Delivery delivery =
        new Settlement.Delivery(start, start + 100, start + 600, responseSha256, "test");
    Clock clock = Clock.fixed(Instant.ofEpochMilli(issuedAtMs), ZoneOffset.UTC);
    return new ReceiptSigner(COORDINATOR)
        .sign(
            new Settlement(new FeePolicy(500), clock)
                .settle(
                    token,
                    SignedProof.sign(proof, NODE),
                    NODE.publicKey(),
                    delivery,
                    AccountRef.of(filled(0x04), id))
                .orElseThrow());
  }

  private static byte[] filled(int value) {
    byte[] bytes = new byte[32];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }
}
