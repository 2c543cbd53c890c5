package dev.pinaivu.cli.bench;

import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.coordinator.CoordinatorUnavailableException;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.receipt.Outcome;
import dev.pinaivu.core.receipt.ProofOfInference;
import dev.pinaivu.core.receipt.ReceiptVerifier;
import dev.pinaivu.core.receipt.ResponseDigest;
import dev.pinaivu.core.receipt.Settlement;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedOffer;
import dev.pinaivu.core.receipt.SignedProof;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.TrustedKeys;
import dev.pinaivu.core.receipt.Verification;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The coordinator's and the verifier's work per request, on one thread: sign a dispatch token,
 * check the node's proof and sign the receipt (what the enclave does), and verify a receipt offline
 * (what an auditor does).
 */
final class ReceiptBench {
  private static final byte[] REQUEST =
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
          .getBytes(StandardCharsets.UTF_8);

  private ReceiptBench() {}

  static String run(int count) throws CoordinatorUnavailableException {
    CoordinatorService coordinator = // nobody stores the log here: let it keep every entry
        CoordinatorService.dev(
            CoordinatorOptions.withFees(new FeePolicy(500)).withLogCapacity(count + 1));
    coordinator.openLog(Coordinator.LogState.EMPTY); // as a parent does before its first settle
    NodeKey node = NodeKey.generate();
    SignedOffer offer = offer(node);
    String responseSha256 = new ResponseDigest().add("{\"type\":\"chunk\"}").hex();
    List<Coordinator.SettleRequest> settles = new ArrayList<>(count);
    long t0 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      settles.add(settleRequest(coordinator, node, offer, responseSha256));
    }
    long t1 = System.nanoTime();
    List<SignedReceipt> receipts = new ArrayList<>(count);
    for (Coordinator.SettleRequest s : settles) {
      receipts.add(coordinator.settle(s).orElseThrow());
    }
    long t2 = System.nanoTime();
    ReceiptVerifier verifier =
        new ReceiptVerifier(new TrustedKeys(List.of(coordinator.identity()), true));
    List<String> texts = receipts.stream().map(SignedReceipt::json).toList();
    long t3 = System.nanoTime();
    for (String text : texts) {
      Verification<?> v = verifier.verify(text.getBytes(StandardCharsets.UTF_8));
      if (!v.valid()) {
        throw new IllegalStateException(v.reason());
      }
    }
    long t4 = System.nanoTime();
    return String.format(
        Locale.ROOT,
        "Receipts, one thread, %d of each: dispatch token + node proof signed **%.0f/s**;"
            + " coordinator settle (check token and proof, price, sign receipt) **%.0f/s**;"
            + " offline verification of the signed receipt (both signatures, arithmetic,"
            + " consistency) **%.0f/s**.%n",
        count,
        count / ((t1 - t0) / 1e9),
        count / ((t2 - t1) / 1e9),
        count / ((t4 - t3) / 1e9));
  }

  /** One node's offer of model {@code m}, signed as a node agent signs it. */
  static SignedOffer offer(NodeKey node) {
    return SignedOffer.sign(
        new NodeOffer(
            node.id(),
            System.currentTimeMillis(),
            64,
            List.of(new ModelOffer("m", new TokenPrice(150_000, 600_000), null))),
        node);
  }

  private static Coordinator.SettleRequest settleRequest(
      CoordinatorService coordinator, NodeKey node, SignedOffer offer, String responseSha256) {
    RequestId id = RequestId.next();
    SignedDispatchToken token =
        coordinator.dispatch(
            new Coordinator.DispatchRequest(
                id.value(), Sha256.hex(REQUEST), "m", node.publicKey(), offer, 1000, 64));
    long now = System.currentTimeMillis();
    SignedProof proof =
        SignedProof.sign(
            new ProofOfInference(
                ProofOfInference.VERSION,
                id,
                node.id(),
                "m",
                Sha256.hex(REQUEST),
                responseSha256,
                token.sha256(),
                Outcome.COMPLETED,
                Usage.of(12, 40),
                false,
                40,
                now,
                now + 1),
            node);
    return new Coordinator.SettleRequest(
        token.wire(),
        offer,
        proof,
        node.publicKey(),
        new Settlement.Delivery(
            now, now + 1L, now + 2, responseSha256, Sha256.hex(new byte[0]), 64, null, null),
        Sha256.hex(Json.bytes(id.value())));
  }
}
