package dev.pinaivu.core.receipt;

import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.protocol.Frame;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A coordinator public key a verifier may trust, and how it was bound to the coordinator.
 *
 * <p>{@link Kind#NITRO}: the key came out of an AWS Nitro attestation document ({@code public_key}
 * field) that the caller has already checked (chain to the AWS root at the document's own time,
 * PCRs pinned); {@code attestation} holds the document so it can be shown or re-checked. That check
 * lives in {@code dev.pinaivu.core.attestation}, not here. {@link Kind#DEV}: a software key from a
 * local coordinator; its attestation, when present, is a {@link DevAttestation} document, which
 * proves nothing. Verifiers refuse DEV keys unless told to accept them.
 *
 * @param keyId lower-case hex SHA-256 of the 32-byte public key
 * @param attestation the attestation document; null for a DEV key configured by hand
 */
public record CoordinatorKey(String keyId, byte[] publicKey, Kind kind, byte[] attestation) {
  /** Where a coordinator key comes from. */
  public enum Kind {
    DEV,
    NITRO
  }

  public CoordinatorKey {
    Objects.requireNonNull(kind, "kind");
    if (publicKey == null || publicKey.length != Ed25519.KEY_BYTES) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
    }
    publicKey = publicKey.clone();
    if (!keyIdOf(publicKey).equals(keyId)) {
      throw new IllegalArgumentException("key_id must be the SHA-256 of the public key");
    }
    if (kind == Kind.NITRO && attestation == null) {
      throw new IllegalArgumentException("a NITRO key needs its attestation document");
    }
    attestation = attestation == null ? null : attestation.clone();
  }

  /** The key id: lower-case hex of SHA-256 over the raw 32-byte public key. */
  public static String keyIdOf(byte[] publicKey) {
    return Sha256.hex(publicKey);
  }

  /** A development key, carrying the marked dev document. */
  public static CoordinatorKey dev(byte[] publicKey) {
    return new CoordinatorKey(
        keyIdOf(publicKey), publicKey, Kind.DEV, DevAttestation.document(publicKey));
  }

  /** A key whose Nitro attestation document the caller has verified. */
  public static CoordinatorKey nitro(byte[] publicKey, byte[] attestationDocument) {
    return new CoordinatorKey(keyIdOf(publicKey), publicKey, Kind.NITRO, attestationDocument);
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public byte[] attestation() {
    return attestation == null ? null : attestation.clone();
  }

  /** How the gateway announces this key to nodes (the {@code welcome} frame). */
  public Frame.CoordinatorInfo toWire() {
    return new Frame.CoordinatorInfo(
        keyId,
        B64.encode(publicKey),
        kind.name().toLowerCase(Locale.ROOT),
        attestation == null ? null : B64.encode(attestation));
  }

  /**
   * Reads an announced key. A NITRO key read this way is not yet trusted: its attestation must
   * still be verified (dev.pinaivu.core.attestation) before the key is used.
   *
   * @throws IllegalArgumentException when the announcement is malformed
   */
  public static CoordinatorKey fromWire(Frame.CoordinatorInfo info) {
    Kind kind =
        switch (info.kind()) {
          case "dev" -> Kind.DEV;
          case "nitro" -> Kind.NITRO;
          default -> throw new IllegalArgumentException("unknown coordinator kind: " + info.kind());
        };
    byte[] attestation = info.attestation() == null ? null : B64.decode(info.attestation());
    return new CoordinatorKey(info.keyId(), B64.decode(info.publicKey()), kind, attestation);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CoordinatorKey that
        && keyId.equals(that.keyId)
        && kind == that.kind
        && Arrays.equals(attestation, that.attestation);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyId, kind);
  }

  @Override
  public String toString() {
    return "CoordinatorKey[" + kind + " " + keyId + "]";
  }
}
