package dev.pinaivu.core.node;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.id.Base32;
import java.util.Arrays;

/**
 * A node's identity, derived from its Ed25519 public key: {@code node_} and the first 128 bits of
 * SHA-256(public key) in lower-case base32. Nobody assigns it, so nobody can take it over without
 * the key.
 */
public record NodeId(@JsonValue String value) {
  public NodeId {
    if (value == null || !value.matches("node_[0-9a-hjkmnp-tv-z]{26}")) {
      throw new IllegalArgumentException("not a node id: " + value);
    }
  }

  @JsonCreator
  public static NodeId parse(String value) {
    return new NodeId(value);
  }

  public static NodeId of(byte[] publicKey) {
    if (publicKey.length != Ed25519.KEY_BYTES) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
    }
    return new NodeId("node_" + Base32.encode(Arrays.copyOf(Sha256.digest(publicKey), 16)));
  }

  @Override
  public String toString() {
    return value;
  }
}
