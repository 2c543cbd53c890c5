package dev.pinaivu.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.json.CanonicalJson;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.money.TokenPrice;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeKeyTest {
  private final NodeKey key = NodeKey.generate();

  private NodeOffer offer() {
    return new NodeOffer(
        key.id(),
        1000,
        4,
        List.of(new ModelOffer("m", TokenPrice.ofDollarsPerMillion("0.1", "0.2"), 8192)));
  }

  @Test
  void nodeId_derivesFromThePublicKeyOnly() {
    NodeKey same = new NodeKey(dev.pinaivu.core.crypto.Ed25519.PrivateKey.fromSeed(key.seed()));

    assertThat(same.id()).isEqualTo(key.id());
    assertThat(NodeKey.generate().id()).isNotEqualTo(key.id());
    assertThat(key.id().value()).matches("node_[0-9a-hjkmnp-tv-z]{26}");
    assertThat(key.toString()).doesNotContain(dev.pinaivu.core.crypto.B64.encode(key.seed()));
  }

  @Test
  void challenge_verifiesOnlyForTheSameNonceAndKey() {
    byte[] sig = key.signChallenge("n1");

    assertThat(NodeKey.verifyChallenge(key.publicKey(), "n1", sig)).isTrue();
    assertThat(NodeKey.verifyChallenge(key.publicKey(), "n2", sig)).isFalse();
    assertThat(NodeKey.verifyChallenge(NodeKey.generate().publicKey(), "n1", sig)).isFalse();
  }

  @Test
  void offer_signatureCoversEveryField() throws Exception {
    NodeOffer offer = offer();
    byte[] sig = key.signOffer(offer);
    ObjectNode wire = Json.MAPPER.valueToTree(offer);

    assertThat(NodeKey.verifyOffer(key.publicKey(), CanonicalJson.bytes(wire), sig)).isTrue();
    ObjectNode cheaper = wire.deepCopy();
    ((ObjectNode) cheaper.get("models").get(0)).put("input_micros_per_mtok", 1);
    assertThat(NodeKey.verifyOffer(key.publicKey(), CanonicalJson.bytes(cheaper), sig)).isFalse();
    ObjectNode bigger = wire.deepCopy().put("capacity", 5);
    assertThat(NodeKey.verifyOffer(key.publicKey(), CanonicalJson.bytes(bigger), sig)).isFalse();
    assertThat(Json.MAPPER.treeToValue(wire, NodeOffer.class)).isEqualTo(offer);
  }

  @Test
  void challengeSignature_cannotBeReplayedAsAnOffer() {
    byte[] canonical = CanonicalJson.bytes(Json.MAPPER.valueToTree(offer()));
    byte[] sig = key.signChallenge(new String(canonical, java.nio.charset.StandardCharsets.UTF_8));

    assertThat(NodeKey.verifyOffer(key.publicKey(), canonical, sig)).isFalse();
  }
}
