package dev.pinaivu.core.node;

import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.openai.ApiKind;
import dev.pinaivu.core.receipt.SignedOffer;
import java.util.List;
import java.util.Set;

/** Registry entries for tests: a node's signed offer of one model, as a gateway would enter it. */
public final class TestNodes {
  private TestNodes() {}

  /**
   * {@code key}'s node on {@code connection}, offering {@code model} at capacity 4 (10 cents in, 20
   * out per million tokens), its offer issued and its connection opened at {@code atMs}.
   */
  public static NodeEntry entry(NodeKey key, String connection, String model, long atMs) {
    NodeOffer offer =
        new NodeOffer(
            key.id(),
            atMs,
            4,
            List.of(new ModelOffer(model, new TokenPrice(100_000, 200_000), 8192)));
    return new NodeEntry(
        key.id(),
        connection,
        key.publicKey(),
        Set.of(ApiKind.CHAT),
        SignedOffer.sign(offer, key),
        offer,
        atMs);
  }
}
