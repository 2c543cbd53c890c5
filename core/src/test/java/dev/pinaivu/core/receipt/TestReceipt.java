package dev.pinaivu.core.receipt;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.openai.Usage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * Real signed receipts for tests outside the receipt package, made through the public receipt API
 * with the keys of the docs/receipts.md test vector (coordinator seed 0x02, node seed 0x03, account
 * secret 0x04): an offer at 150 000 / 600 000 µUSD per Mtok, a token with a 500 bps fee, the node's
 * proof, and the coordinator's settlement.
 */
public final class TestReceipt {
  public static final Ed25519.PrivateKey COORDINATOR = Ed25519.PrivateKey.fromSeed(filled(0x02));
  public static final Ed25519.PrivateKey NODE = Ed25519.PrivateKey.fromSeed(filled(0x03));
  public static final String KEY_ID = CoordinatorKey.keyIdOf(COORDINATOR.publicKey());
  public static final String MODEL = "llama3.2:3b";
  public static final TokenPrice PRICE = new TokenPrice(150_000, 600_000);

  private TestReceipt() {}

  /**
   * A receipt for {@code id} of a job ending in {@code outcome} with {@code usage}, {@code
   * delivered} completion tokens delivered, signed at {@code issuedAtMs} (at least 1000).
   */
  public static SignedReceipt signed(
      RequestId id, Outcome outcome, Usage usage, long delivered, long issuedAtMs) {
    NodeId node = NodeId.of(NODE.publicKey());
    byte[] request = "{\"model\": \"llama3.2:3b\", \"messages\": []}".getBytes(UTF_8);
    String response = new ResponseDigest().add("{\"type\":\"chunk\"}").hex();
    long start = issuedAtMs - 1000;
    SignedOffer offer =
        SignedOffer.sign(
            new NodeOffer(node, start - 1, 8, List.of(new ModelOffer(MODEL, PRICE, 8192))),
            new NodeKey(NODE));
    SignedDispatchToken token =
        SignedDispatchToken.sign(
            new DispatchToken(
                DispatchToken.VERSION,
                id,
                Sha256.hex(request),
                node,
                MODEL,
                PRICE.inputMicrosPerMillion(),
                PRICE.outputMicrosPerMillion(),
                offer.sha256(),
                500,
                1_000_000,
                1_000_000,
                start,
                start + 60_000,
                start + 3_600_000,
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
            outcome,
            usage,
            false,
            delivered,
            start + 10,
            start + 500);
    Settlement.Delivery delivery =
        new Settlement.Delivery(
            start,
            start + 100L,
            start + 600,
            response,
            Sha256.hex("data: [DONE]\n\n".getBytes(UTF_8)),
            1_000_000,
            null,
            outcome == Outcome.COMPLETED ? null : "client disconnected");
    Clock clock = Clock.fixed(Instant.ofEpochMilli(issuedAtMs), ZoneOffset.UTC);
    return new ReceiptSigner(COORDINATOR)
        .sign(
            new Settlement(clock)
                .settle(
                    token,
                    offer,
                    SignedProof.sign(proof, NODE),
                    NODE.publicKey(),
                    delivery,
                    AccountRef.of(filled(0x04), id))
                .orElseThrow());
  }

  public static byte[] filled(int value) {
    byte[] bytes = new byte[32];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }
}
