package dev.pinaivu.core.coordinator;

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
import dev.pinaivu.core.receipt.AccountRef;
import dev.pinaivu.core.receipt.Outcome;
import dev.pinaivu.core.receipt.ProofOfInference;
import dev.pinaivu.core.receipt.ResponseDigest;
import dev.pinaivu.core.receipt.Settlement;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedOffer;
import dev.pinaivu.core.receipt.SignedProof;
import java.util.List;

/**
 * One job as the gateway and a node see it, for coordinator tests: its own node key, request id and
 * request bytes; builds the dispatch request, the node's signed proof and the settle request.
 */
public final class CoordinatorJob {
  public static final String MODEL = "llama3.2:3b";
  public static final TokenPrice PRICE = new TokenPrice(150_000, 600_000);
  private static final byte[] ACCOUNT_SECRET = "sixteen-byte-secret!".getBytes(UTF_8);
  private static final List<String> FRAMES =
      List.of(
          "{\"type\":\"chunk\",\"seq\":0,\"data\":{\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}}",
          "{\"type\":\"chunk\",\"seq\":1,\"data\":{\"choices\":[{\"delta\":{\"content\":\"!\"}}]}}");

  private final Ed25519.PrivateKey node = Ed25519.PrivateKey.generate();
  private final RequestId requestId = RequestId.next();
  private final byte[] requestBytes =
      ("{\"model\": \"" + MODEL + "\", \"messages\": [], \"temperature\": 0.7}").getBytes(UTF_8);

  public RequestId requestId() {
    return requestId;
  }

  public NodeId nodeId() {
    return NodeId.of(node.publicKey());
  }

  public byte[] requestBytes() {
    return requestBytes.clone();
  }

  /** The prompt limit of {@link #requestBytes()}: its bytes + 256 (no messages). */
  public static final long MAX_PROMPT_TOKENS = 320;

  public static final long MAX_COMPLETION_TOKENS = 256;

  /** The node's signed offer: {@link #MODEL} at {@link #PRICE}. */
  public SignedOffer offer() {
    return offer(PRICE);
  }

  public SignedOffer offer(TokenPrice price) {
    return SignedOffer.sign(
        new NodeOffer(nodeId(), 1, 8, List.of(new ModelOffer(MODEL, price, 8192))),
        new NodeKey(node));
  }

  public byte[] nodePublicKey() {
    return node.publicKey();
  }

  public Coordinator.DispatchRequest dispatchRequest() {
    return new Coordinator.DispatchRequest(
        requestId.value(),
        Sha256.hex(requestBytes),
        MODEL,
        node.publicKey(),
        offer(),
        MAX_PROMPT_TOKENS,
        MAX_COMPLETION_TOKENS);
  }

  public static String responseSha256() {
    ResponseDigest digest = new ResponseDigest();
    FRAMES.forEach(digest::add);
    return digest.hex();
  }

  /** The node's proof of a completed job: 12 prompt and 9 completion tokens. */
  public SignedProof proof(SignedDispatchToken token) {
    return proof(token, Outcome.COMPLETED, Usage.of(12, 9), 9);
  }

  public SignedProof proof(
      SignedDispatchToken token, Outcome outcome, Usage usage, long deliveredCompletionTokens) {
    long now = System.currentTimeMillis();
    ProofOfInference proof =
        new ProofOfInference(
            ProofOfInference.VERSION,
            requestId,
            nodeId(),
            MODEL,
            Sha256.hex(requestBytes),
            responseSha256(),
            token.sha256(),
            outcome,
            usage,
            false,
            deliveredCompletionTokens,
            now - 500,
            now - 20);
    return SignedProof.sign(proof, node);
  }

  /** What the gateway saw: output reached the client, the frames hash as the node's. */
  public static Settlement.Delivery delivery(String reason) {
    long now = System.currentTimeMillis();
    return new Settlement.Delivery(
        now - 600,
        now - 400L,
        now - 10,
        responseSha256(),
        Sha256.hex("data: [DONE]\n\n".getBytes(UTF_8)),
        DELIVERED_COMPLETION_LIMIT,
        null,
        reason);
  }

  /** "Hi" and "!" (3 bytes) + 16 for the one choice. */
  public static final long DELIVERED_COMPLETION_LIMIT = 19;

  public String accountRef() {
    return AccountRef.of(ACCOUNT_SECRET, requestId);
  }

  /** Settles a completed job under {@code token}. */
  public Coordinator.SettleRequest settleRequest(SignedDispatchToken token) {
    return settleRequest(token, proof(token), delivery(null));
  }

  public Coordinator.SettleRequest settleRequest(
      SignedDispatchToken token, SignedProof proof, Settlement.Delivery delivery) {
    return new Coordinator.SettleRequest(
        token.wire(), offer(), proof, node.publicKey(), delivery, accountRef());
  }
}
