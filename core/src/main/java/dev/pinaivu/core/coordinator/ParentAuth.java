package dev.pinaivu.core.coordinator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * The mutual challenge-response by which a coordinator connection starts (docs/coordinator-protocol
 * .md §3.0): each side sends a fresh 32-byte nonce, and each proves it holds the {@link
 * ParentSecret} with an HMAC-SHA256 over both nonces, under a label that says who proves. The
 * server proves first, so a client talking to an impostor stops before it gives away a proof; the
 * server's fresh nonce makes a recorded client proof useless on another connection. Pure functions;
 * the per-connection state lives with the server's connection and in the client's connect.
 */
public final class ParentAuth {
  public static final int NONCE_BYTES = 32;

  static final String LABEL = "pinaivu/coordinator-auth/v1\n";
  private static final byte[] SERVER = (LABEL + "server\n").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CLIENT = (LABEL + "client\n").getBytes(StandardCharsets.US_ASCII);

  /**
   * The platform's default, NativePRNG on Linux: every draw is XORed with fresh bytes of
   * /dev/urandom, so environments restored from one SnapStart snapshot do not repeat each other
   * (ADR 26; SnapshotCopiesTest). A seeded SHA1PRNG here would.
   */
  static final SecureRandom RANDOM = new SecureRandom();

  private ParentAuth() {}

  /** A fresh nonce for one handshake. */
  public static byte[] nonce() {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    return nonce;
  }

  /**
   * {@code HMAC-SHA256(secret, "pinaivu/coordinator-auth/v1\nserver\n" || client_nonce ||
   * server_nonce)}.
   */
  public static byte[] serverProof(ParentSecret secret, byte[] clientNonce, byte[] serverNonce) {
    return secret.hmac(SERVER, checked(clientNonce), checked(serverNonce));
  }

  /**
   * {@code HMAC-SHA256(secret, "pinaivu/coordinator-auth/v1\nclient\n" || server_nonce ||
   * client_nonce)}.
   */
  public static byte[] clientProof(ParentSecret secret, byte[] serverNonce, byte[] clientNonce) {
    return secret.hmac(CLIENT, checked(serverNonce), checked(clientNonce));
  }

  /** Whether {@code proof} is the server's for these nonces; constant time. */
  public static boolean serverProves(
      ParentSecret secret, byte[] clientNonce, byte[] serverNonce, byte[] proof) {
    return MessageDigest.isEqual(serverProof(secret, clientNonce, serverNonce), proof);
  }

  /** Whether {@code proof} is the client's for these nonces; constant time. */
  public static boolean clientProves(
      ParentSecret secret, byte[] serverNonce, byte[] clientNonce, byte[] proof) {
    return MessageDigest.isEqual(clientProof(secret, serverNonce, clientNonce), proof);
  }

  private static byte[] checked(byte[] nonce) {
    Objects.requireNonNull(nonce, "nonce");
    if (nonce.length != NONCE_BYTES) {
      throw new IllegalArgumentException(
          "a nonce is " + NONCE_BYTES + " bytes, not " + nonce.length);
    }
    return nonce;
  }
}
