package dev.pinaivu.core.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.openai.Usage;
import org.junit.jupiter.api.Test;

class SignedProofTest {
  private static final Ed25519.PrivateKey OTHER = Ed25519.PrivateKey.fromSeed(Fixtures.filled(9));

  @Test
  void signedProof_verifiesUnderTheNodeKey() {
    SignedProof signed = SignedProof.sign(Fixtures.proof(), Fixtures.NODE);

    Verification<ProofOfInference> result = signed.verify(Fixtures.NODE.publicKey());

    assertThat(result.reason()).isEmpty();
    assertThat(result.value()).isEqualTo(Fixtures.proof());
  }

  @Test
  void signingWithANodeKey_givesTheSameSignature() {
    NodeKey key = new NodeKey(Fixtures.NODE);

    assertThat(SignedProof.sign(Fixtures.proof(), key))
        .isEqualTo(SignedProof.sign(Fixtures.proof(), Fixtures.NODE));
  }

  @Test
  void wrongNodeKey_doesNotVerify() {
    SignedProof signed = SignedProof.sign(Fixtures.proof(), Fixtures.NODE);

    assertThat(signed.verify(OTHER.publicKey()).reason())
        .isEqualTo("node proof: signature does not verify under the node's public key");
  }

  @Test
  void proofNamingAnotherNode_isRefusedEvenWhenItsSignatureVerifies() throws Exception {
    ObjectNode raw = Fixtures.signProofRaw(Json.MAPPER.valueToTree(Fixtures.proof()), OTHER);
    SignedProof signed = Json.MAPPER.treeToValue(raw, SignedProof.class);

    assertThat(signed.verify(OTHER.publicKey()).reason())
        .startsWith("node proof: node_id " + Fixtures.NODE_ID + " does not derive");
    assertThatThrownBy(() -> SignedProof.sign(Fixtures.proof(), OTHER))
        .hasMessageContaining("another node");
  }

  @Test
  void anyChange_breaksTheSignature() {
    ObjectNode proof = Json.MAPPER.valueToTree(Fixtures.proof());
    SignedProof signed = SignedProof.sign(Fixtures.proof(), Fixtures.NODE);
    proof.put("delivered_completion_tokens", 9);

    SignedProof altered = new SignedProof(proof, signed.signature());

    assertThat(altered.verify(Fixtures.NODE.publicKey()).valid()).isFalse();
  }

  @Test
  void unknownMembers_areCoveredBySignatureAndKept() throws Exception {
    ObjectNode proof = Json.MAPPER.valueToTree(Fixtures.proof());
    proof.put("gpu", "RTX 4090");
    SignedProof signed =
        Json.MAPPER.treeToValue(Fixtures.signProofRaw(proof, Fixtures.NODE), SignedProof.class);

    assertThat(signed.verify(Fixtures.NODE.publicKey()).valid()).isTrue();
    assertThat(Json.text(signed)).contains("\"gpu\":\"RTX 4090\"");
  }

  @Test
  void proofConstructor_refusesImpossibleValues() {
    assertThatThrownBy(() -> Fixtures.proof(Outcome.COMPLETED, Usage.of(1, 1), -1))
        .hasMessageContaining("delivered_completion_tokens");
  }

  @Test
  void toString_showsNoSignature() {
    SignedProof signed = SignedProof.sign(Fixtures.proof(), Fixtures.NODE);

    assertThat(signed.toString()).doesNotContain(signed.signature());
  }
}
