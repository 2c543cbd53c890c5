package dev.pinaivu.core.receipt;

import static dev.pinaivu.core.receipt.Fixtures.COORDINATOR;
import static dev.pinaivu.core.receipt.Fixtures.signRaw;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.json.CanonicalJson;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.NodeId;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ReceiptVerifierTest {
  private static final Ed25519.PrivateKey OTHER = Ed25519.PrivateKey.fromSeed(Fixtures.filled(9));

  @Test
  void signedReceipt_verifiesAndReadsBack() {
    SignedReceipt signed = Fixtures.signed();

    Verification<Receipt> result = Fixtures.verifier().verify(signed.json().getBytes(UTF_8));

    assertThat(result.valid()).isTrue();
    assertThat(result.reason()).isEmpty();
    assertThat(result.value()).isEqualTo(signed.receipt());
  }

  @Test
  void anyJsonFormatting_verifies_becauseTheSignatureIsOverTheCanonicalForm() throws Exception {
    String pretty = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(signedTree());

    assertThat(Fixtures.verifier().verify(pretty.getBytes(UTF_8)).valid()).isTrue();
  }

  @Test
  void untrustedKey_isRefusedAsWrongKey() {
    ReceiptVerifier stranger =
        new ReceiptVerifier(
            new TrustedKeys(List.of(CoordinatorKey.nitro(OTHER.publicKey(), new byte[1])), false));

    assertThat(stranger.verify(signedTree()).reason())
        .isEqualTo("key_id " + Fixtures.KEY_ID + " is not a trusted coordinator key (wrong key)");
  }

  @Test
  void signatureByAnotherKey_underTheTrustedKeyId_doesNotVerify() {
    ObjectNode envelope = signedTree();
    byte[] message = SigningContext.RECEIPT.message(CanonicalJson.bytes(envelope.get("receipt")));
    envelope.put("signature", B64.encode(OTHER.sign(message)));

    assertThat(Fixtures.verifier().verify(envelope).reason())
        .isEqualTo("signature does not verify (receipt was altered or signed by another key)");
  }

  @Test
  void alteredAmount_failsTheSignature_andTheReasonNamesTheMember() {
    ObjectNode envelope = signedTree();
    charge((ObjectNode) envelope.get("receipt")).put("total_charged", 8);

    assertThat(Fixtures.verifier().verify(envelope).reason())
        .isEqualTo(
            "signature does not verify (receipt was altered or signed by another key); first"
                + " inconsistency: charge.total_charged 8 != node_amount 6 + fee 1 = 7");
  }

  @Test
  void alteredHash_failsTheSignature_andTheReasonPointsAtTheProof() {
    ObjectNode envelope = signedTree();
    ((ObjectNode) envelope.get("receipt")).put("request_sha256", "00".repeat(32));

    assertThat(Fixtures.verifier().verify(envelope).reason())
        .endsWith("first inconsistency: node proof: request_sha256 differs from the receipt's");
  }

  @Test
  void devKey_isRefusedUnlessAllowed() {
    CoordinatorKey dev = CoordinatorKey.dev(COORDINATOR.publicKey());

    Verification<Receipt> refused =
        new ReceiptVerifier(new TrustedKeys(List.of(dev), false)).verify(signedTree());
    Verification<Receipt> allowed =
        new ReceiptVerifier(new TrustedKeys(List.of(dev), true)).verify(signedTree());

    assertThat(refused.reason())
        .startsWith("key " + Fixtures.KEY_ID + " is a development key")
        .endsWith("pass --allow-dev to accept it");
    assertThat(allowed.valid()).isTrue();
  }

  @Test
  void otherAlgorithm_isRefused() {
    ObjectNode envelope = signedTree().put("alg", "ES256");

    assertThat(Fixtures.verifier().verify(envelope).reason())
        .isEqualTo("alg \"ES256\" is not supported (only Ed25519)");
  }

  @Test
  void duplicateMembers_areRefusedBeforeAnythingElse() {
    String json = Fixtures.signed().json();
    String doubled = json.replace("\"alg\":\"Ed25519\"", "\"alg\":\"Ed25519\",\"alg\":\"Ed25519\"");

    assertThat(Fixtures.verifier().verify(doubled.getBytes(UTF_8)).reason())
        .startsWith("not a JSON receipt: Duplicate field 'alg'");
  }

  @Test
  void notAnEnvelope_saysWhatIsMissing() {
    assertThat(Fixtures.verifier().verify("[]".getBytes(UTF_8)).reason()).contains("JSON object");
    assertThat(Fixtures.verifier().verify("{".getBytes(UTF_8)).reason())
        .startsWith("not a JSON receipt");
    ObjectNode envelope = signedTree();
    envelope.remove("signature");
    assertThat(Fixtures.verifier().verify(envelope).reason())
        .isEqualTo("envelope member signature is missing or not a string");
  }

  @Test
  void logMember_isUnsigned_soAddingItKeepsTheReceiptValid() {
    ObjectNode log = Json.object().put("leaf_index", 41);
    SignedReceipt logged = Fixtures.signed().withLog(log);

    assertThat(Fixtures.verifier().verify(logged).valid()).isTrue();
    assertThat(logged.logEntry()).isEqualTo(Fixtures.signed().logEntry());
    assertThat(new String(logged.logEntry(), UTF_8)).doesNotContain("leaf_index");
  }

  // Receipts below are validly signed by the trusted coordinator but break a rule.

  @Test
  void responseHashDifferingFromTheProof_isNamed() {
    assertReason(
        r -> r.put("response_sha256", "00".repeat(32)),
        "node proof: response_sha256 differs from the receipt's");
  }

  @Test
  void requestIdDifferingFromTheProof_isNamed() {
    assertReason(
        r -> r.put("request_id", "req_01j9z4kxm8vwqe3t5p6n7r2y0d"),
        "node proof: request_id differs from the receipt's");
  }

  @Test
  void totalThatDoesNotAddUp_isNamed() {
    assertReason(
        r -> charge(r).put("total_charged", 8),
        "charge.total_charged 8 != node_amount 6 + fee 1 = 7");
  }

  @Test
  void feeThatDoesNotFollowTheRate_isNamed() {
    assertReason(
        r -> charge(r).put("fee", 0).put("total_charged", 6),
        "charge.fee 0 != ceil(node_amount 6 * fee_bps 500 / 10000) = 1");
  }

  @Test
  void nodeAmountThatDoesNotFollowThePrices_isNamed() {
    assertReason(
        r -> charge(r).put("node_amount", 5).put("total_charged", 6),
        "charge.node_amount 5 != ceil((12 prompt * 150000 + 7 completion * 600000) / 1000000) = 6");
  }

  @Test
  void billingUndeliveredTokensOfACancelledJob_isRefused() {
    assertReason(
        r -> {
          ((ObjectNode) r.get("billed_usage")).put("completion_tokens", 9).put("total_tokens", 21);
          charge(r).put("node_amount", 8).put("fee", 1).put("total_charged", 9);
        },
        "billed_usage 12/9 != 12/7: the claim cut to every limit");
  }

  @Test
  void billingThePromptOfAJobThatDeliveredNothing_isRefused() {
    assertReason(
        r -> {
          ObjectNode proof = (ObjectNode) r.at("/node_proof/proof").deepCopy();
          proof.put("delivered_completion_tokens", 0);
          r.set("node_proof", Fixtures.signProofRaw(proof, Fixtures.NODE));
          ((ObjectNode) r.get("billed_usage")).put("completion_tokens", 0).put("total_tokens", 12);
          ((ObjectNode) r.at("/billing/claimed"))
              .put("completion_tokens", 0)
              .put("total_tokens", 12);
          charge(r).put("node_amount", 2).put("fee", 1).put("total_charged", 3);
        },
        "billing.claimed 12/0 != 0/0: a cancelled job that delivered nothing claims nothing");
  }

  @Test
  void billingAboveTheDeliveredOutputLimit_isRefused() {
    assertReason(
        r -> ((ObjectNode) r.get("billing")).put("delivered_completion_limit", 5),
        "billing.limited_by [] != [delivered_output]: the limits below the claim");
  }

  @Test
  void aFeeRateOtherThanTheTokens_isNamed() {
    assertReason(
        r -> charge(r).put("fee_bps", 0).put("fee", 0).put("total_charged", 6),
        "charge.fee_bps 0 is not the dispatch token's fee_bps 500");
  }

  @Test
  void pricesOtherThanTheTokens_areNamed() {
    assertReason(
        r -> charge(r).put("input_micros_per_mtok", 1),
        "charge: prices are not the dispatch token's");
  }

  @Test
  void anEditedNodeOffer_doesNotVerify() {
    assertReason(
        r -> ((ObjectNode) r.at("/node_offer/offer/models/0")).put("output_micros_per_mtok", 1),
        "node offer: signature does not verify under the node's key");
  }

  @Test
  void aTokenThatIsNotTheOneTheHashNames_isRefused() {
    assertReason(
        r -> r.put("dispatch_token", r.get("dispatch_token").asText() + "x"),
        "dispatch_token_sha256 is not the SHA-256 of dispatch_token");
  }

  @Test
  void usageTotalsThatDoNotAddUp_areNamed() {
    assertReason(
        r -> ((ObjectNode) r.get("billed_usage")).put("total_tokens", 20),
        "billed_usage.total_tokens 20 != prompt_tokens 12 + completion_tokens 7");
  }

  @Test
  void partialReceiptWithoutANote_isRefused() {
    assertReason(
        r -> r.putNull("note"),
        "note is missing: a receipt that is not completed, or billed less than claimed, must say"
            + " what was billed");
  }

  @Test
  void innerKeyIdDifferentFromTheEnvelope_isNamed() {
    assertReason(
        r -> r.put("coordinator_key_id", "ab".repeat(32)),
        "receipt.coordinator_key_id " + "ab".repeat(32) + " != key_id " + Fixtures.KEY_ID);
  }

  @Test
  void nodeKeyThatDoesNotDeriveTheNodeId_isNamed() {
    assertReason(
        r -> r.put("node_public_key", B64.encode(OTHER.publicKey())),
        "node_public_key does not derive node_id " + Fixtures.NODE_ID);
  }

  @Test
  void proofSignedByAnotherNodeKey_doesNotVerify() {
    assertReason(
        r -> r.set("node_proof", Fixtures.signProofRaw(r.at("/node_proof/proof"), OTHER)),
        "node proof: signature does not verify under the node's public key");
  }

  @Test
  void proofWhoseNodeIdIsNotTheSigningKeys_isRefused() {
    NodeId other = NodeId.of(OTHER.publicKey());
    assertReason(
        r -> {
          r.put("node_id", other.value()).put("node_public_key", B64.encode(OTHER.publicKey()));
          r.set("node_proof", Fixtures.signProofRaw(r.at("/node_proof/proof"), OTHER));
        },
        "node proof: node_id " + Fixtures.NODE_ID + " does not derive from the signing key");
  }

  @Test
  void completedJobThatDidNotDeliverEverything_isRefused() {
    assertReason(
        r -> {
          ObjectNode proof = (ObjectNode) r.at("/node_proof/proof").deepCopy();
          proof.put("outcome", "completed");
          r.put("outcome", "completed");
          r.set("node_proof", Fixtures.signProofRaw(proof, Fixtures.NODE));
        },
        "node proof: a completed job must deliver all usage.completion_tokens, but delivered 7");
  }

  @Test
  void timesOutOfOrder_areNamed() {
    assertReason(
        r -> ((ObjectNode) r.get("times")).put("issued_at_ms", 1),
        "times.issued_at_ms is before times.ended_at_ms");
  }

  @Test
  void unknownVersion_isRefused() {
    assertReason(r -> r.put("v", 3), "receipt is malformed: receipt version v=3 is not supported");
  }

  @Test
  void unknownOutcome_isRefused() {
    assertReason(
        r -> r.put("outcome", "paused"),
        "receipt is malformed at outcome: outcome must be completed, cancelled or failed, got"
            + " \"paused\"");
  }

  @Test
  void numberAsString_isRefused() {
    assertReason(r -> charge(r).put("fee", "1"), "receipt is malformed at charge.fee:");
  }

  @Test
  void missingMember_isRefused() {
    assertReason(
        r -> ((ObjectNode) r.get("times")).remove("first_token_at_ms"),
        "receipt is malformed at times.first_token_at_ms:");
  }

  @Test
  void floatingPointNumber_isRefusedBeforeTheSignature() {
    ObjectNode envelope = signedTree();
    charge((ObjectNode) envelope.get("receipt")).put("fee", 1.0);

    assertThat(Fixtures.verifier().verify(envelope).reason())
        .startsWith("receipt cannot be canonicalized: only integers are allowed");
  }

  private static ObjectNode signedTree() {
    return Fixtures.tree(Fixtures.signed());
  }

  private static ObjectNode charge(ObjectNode receipt) {
    return (ObjectNode) receipt.get("charge");
  }

  /** Changes the receipt, has the trusted coordinator sign it anyway, and checks the reason. */
  private static void assertReason(Consumer<ObjectNode> change, String reasonStart) {
    ObjectNode receipt = (ObjectNode) signedTree().get("receipt").deepCopy();
    change.accept(receipt);

    Verification<Receipt> result = Fixtures.verifier().verify(signRaw(receipt));

    assertThat(result.valid()).isFalse();
    assertThat(result.reason()).startsWith(reasonStart);
  }
}
