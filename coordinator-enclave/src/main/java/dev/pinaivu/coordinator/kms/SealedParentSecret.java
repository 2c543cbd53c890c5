package dev.pinaivu.coordinator.kms;

import dev.pinaivu.core.coordinator.ParentSecret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The parent secret on its way into the enclave (ADR 16): the parent seals it with KMS {@code
 * Encrypt} under the state key (which it may use to seal but not to unseal), hands the blob over
 * vsock, and only the measured enclave unseals it, with an attested {@code Recipient}. Unlike the
 * identity, this secret is the parent's own: it is fine, indeed the point, that the parent chose
 * it; sealing only keeps it from anyone who reads the blob on its way.
 */
public final class SealedParentSecret {
  /** The sealed-state name the secret is bound to (KMS encryption context). */
  public static final String NAME = "parent-secret";

  private SealedParentSecret() {}

  /** The blob of {@code secret}, sealed by the parent. */
  public static byte[] seal(SealedState sealedState, ParentSecret secret) {
    byte[] bytes = secret.bytes();
    try {
      return sealedState.seal(NAME, bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * The secret in the blob at {@code file}, unsealed inside the enclave.
   *
   * @throws SealingException when the file is missing or unreadable, the blob does not unseal
   *     (damaged, another name or key, KMS refuses this image), or it holds no 32-byte secret
   */
  public static ParentSecret unseal(SealedState sealedState, Path file) {
    byte[] sealed;
    try {
      sealed = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new SealingException(
          "the sealed parent secret " + file + " does not exist (the parent hands it over)", e);
    } catch (IOException e) {
      throw new SealingException("cannot read the sealed parent secret " + file + ": " + e, e);
    }
    byte[] secret;
    try {
      secret = sealedState.unseal(NAME, sealed);
    } catch (SealingException | IllegalArgumentException e) {
      throw new SealingException(
          "the sealed parent secret " + file + " does not unseal (" + e.getMessage() + ")", e);
    }
    try {
      return ParentSecret.of(secret);
    } catch (IllegalArgumentException e) {
      throw new SealingException(
          "the sealed parent secret " + file + " holds no parent secret: " + e.getMessage(), e);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }
}
