package dev.pinaivu.core.receipt;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.CanonicalJson;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.pricing.FeePolicy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * One request from end to end with fixed keys and times: the test vector of docs/receipts.md. The
 * coordinator's seed is 32 bytes of 0x02, the node's 32 bytes of 0x03.
 */
final class Fixtures {
  static final Ed25519.PrivateKey COORDINATOR = Ed25519.PrivateKey.fromSeed(filled(0x02));
  static final Ed25519.PrivateKey NODE = Ed25519.PrivateKey.fromSeed(filled(0x03));
  static final NodeId NODE_ID = NodeId.of(NODE.publicKey());
  static final String KEY_ID = CoordinatorKey.keyIdOf(COORDINATOR.publicKey());
  static final RequestId REQUEST_ID = RequestId.parse("req_01j9z4kxm8vwqe3t5p6n7r2y0c");
  static final String MODEL = "llama3.2:3b";
  static final long T0 = 1_732_550_000_000L;
  static final TokenPrice PRICE = new TokenPrice(150_000, 600_000);
  static final FeePolicy FEES = new FeePolicy(500);
  static final byte[] ACCOUNT_SECRET = filled(0x04);

  /** The client's body exactly as sent: note the spacing and the float, which JCS would change. */
  static final byte[] REQUEST_BYTES =
      ("{\"model\": \"llama3.2:3b\", \"messages\": [{\"role\": \"user\", \"content\": \"Say hi\"}],"
              + " \"stream\": true, \"temperature\": 0.7, \"max_tokens\": 256}")
          .getBytes(UTF_8);

  static final List<String> FRAMES =
      List.of(
          "{\"type\":\"chunk\",\"job_id\":\"req_01j9z4kxm8vwqe3t5p6n7r2y0c\",\"seq\":0,\"data\":"
              + "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
              + "\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":null}]}}",
          "{\"type\":\"chunk\",\"job_id\":\"req_01j9z4kxm8vwqe3t5p6n7r2y0c\",\"seq\":1,\"data\":"
              + "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
              + "\"delta\":{\"content\":\" there, how are\"},\"finish_reason\":null}]}}");

  private Fixtures() {}

  static byte[] filled(int value) {
    byte[] bytes = new byte[32];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  static Clock clockAt(long millis) {
    return Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
  }

  /** The node's signed offer: one model at {@link #PRICE}, capacity 8. */
  static SignedOffer offer() {
    return SignedOffer.sign(
        new NodeOffer(NODE_ID, T0 - 60_000, 8, List.of(new ModelOffer(MODEL, PRICE, 8192))),
        new NodeKey(NODE));
  }

  /** The gateway's prompt limit for {@link #REQUEST_BYTES}: 132 bytes + 256 + 16 × 1 message. */
  static final long MAX_PROMPT_TOKENS = 404;

  static DispatchToken token() {
    return new DispatchToken(
        DispatchToken.VERSION,
        REQUEST_ID,
        Sha256.hex(REQUEST_BYTES),
        NODE_ID,
        MODEL,
        PRICE.inputMicrosPerMillion(),
        PRICE.outputMicrosPerMillion(),
        offer().sha256(),
        FEES.feeBps(),
        MAX_PROMPT_TOKENS,
        256,
        T0,
        T0 + 60_000,
        T0 + 60_000 + 2_700_000,
        KEY_ID);
  }

  static SignedDispatchToken signedToken() {
    return SignedDispatchToken.sign(token(), COORDINATOR);
  }

  static String responseSha256() {
    ResponseDigest digest = new ResponseDigest();
    FRAMES.forEach(digest::add);
    return digest.hex();
  }

  /** The vector's job: cancelled after 7 of 9 generated completion tokens were delivered. */
  static ProofOfInference proof() {
    return proof(Outcome.CANCELLED, Usage.of(12, 9), 7);
  }

  static ProofOfInference proof(Outcome outcome, Usage usage, long delivered) {
    return new ProofOfInference(
        ProofOfInference.VERSION,
        REQUEST_ID,
        NODE_ID,
        MODEL,
        Sha256.hex(REQUEST_BYTES),
        responseSha256(),
        signedToken().sha256(),
        outcome,
        usage,
        false,
        delivered,
        T0 + 40,
        T0 + 900);
  }

  /** What the client received: the two chunks, rewritten, as the gateway wrote them. */
  static final String CLIENT_BYTES =
      "data: {\"id\":\"chatcmpl-01j9z4kxm8vwqe3t5p6n7r2y0c\",\"object\":\"chat.completion.chunk\","
          + "\"created\":1732550000,\"model\":\"llama3.2:3b\",\"choices\":[{\"index\":0,\"delta\":"
          + "{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":null}],"
          + "\"request_id\":\"req_01j9z4kxm8vwqe3t5p6n7r2y0c\"}\n\n"
          + "data: {\"id\":\"chatcmpl-01j9z4kxm8vwqe3t5p6n7r2y0c\",\"object\":\"chat.completion.chunk\","
          + "\"created\":1732550000,\"model\":\"llama3.2:3b\",\"choices\":[{\"index\":0,\"delta\":"
          + "{\"content\":\" there, how are\"},\"finish_reason\":null}],"
          + "\"request_id\":\"req_01j9z4kxm8vwqe3t5p6n7r2y0c\"}\n\n";

  /** 17 bytes of text ("Hi" and " there, how are") + 16 for the one choice. */
  static final long DELIVERED_COMPLETION_LIMIT = 33;

  static Settlement.Delivery delivery() {
    return new Settlement.Delivery(
        T0 + 5,
        T0 + 180L,
        T0 + 910,
        responseSha256(),
        Sha256.hex(CLIENT_BYTES.getBytes(UTF_8)),
        DELIVERED_COMPLETION_LIMIT,
        null,
        "client disconnected");
  }

  static Receipt receipt() {
    return receipt(proof());
  }

  static Receipt receipt(ProofOfInference proof) {
    return new Settlement(clockAt(T0 + 920))
        .settle(
            signedToken(),
            offer(),
            SignedProof.sign(proof, NODE),
            NODE.publicKey(),
            delivery(),
            AccountRef.of(ACCOUNT_SECRET, REQUEST_ID))
        .orElseThrow()
        .receipt();
  }

  static SignedReceipt signed() {
    return new ReceiptSigner(COORDINATOR).sign(receipt());
  }

  static CoordinatorKey nitroKey() {
    return CoordinatorKey.nitro(COORDINATOR.publicKey(), "test attestation".getBytes(UTF_8));
  }

  static ReceiptVerifier verifier() {
    return new ReceiptVerifier(new TrustedKeys(List.of(nitroKey()), false));
  }

  static ObjectNode tree(SignedReceipt signed) {
    return Json.MAPPER.valueToTree(signed);
  }

  /**
   * An envelope whose receipt member is {@code receipt} signed by the coordinator, following the
   * byte recipe of docs/receipts.md and nothing else: lets tests sign receipts the signer refuses.
   */
  static ObjectNode signRaw(JsonNode receipt) {
    byte[] message =
        ("pinaivu/receipt/v1\n" + new String(CanonicalJson.bytes(receipt), UTF_8)).getBytes(UTF_8);
    ObjectNode envelope = Json.object();
    envelope.put("alg", "Ed25519");
    envelope.put("key_id", KEY_ID);
    envelope.set("receipt", receipt);
    envelope.put("signature", B64.encode(COORDINATOR.sign(message)));
    return envelope;
  }

  /** Re-signs a proof object as the node, by the documented recipe. */
  static ObjectNode signProofRaw(JsonNode proof, Ed25519.PrivateKey node) {
    byte[] message =
        ("pinaivu/proof/v1\n" + new String(CanonicalJson.bytes(proof), UTF_8)).getBytes(UTF_8);
    ObjectNode signed = Json.object();
    signed.set("proof", proof);
    signed.put("signature", B64.encode(node.sign(message)));
    return signed;
  }
}
