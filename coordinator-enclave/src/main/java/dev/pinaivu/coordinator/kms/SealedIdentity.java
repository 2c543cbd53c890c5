package dev.pinaivu.coordinator.kms;

import dev.pinaivu.core.crypto.Ed25519;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Objects;

/**
 * The coordinator's long-lived Ed25519 key, kept across enclave restarts as a blob the parent
 * stores: a 32-byte seed that KMS generated for this enclave ({@link SealedState#generate}) under
 * the name {@value #NAME}. Without KMS and an attestation its key policy accepts, the blob reveals
 * nothing; and as the policy lets no one seal with that key, no one can hand the enclave a seed of
 * their choosing either. A blob that does not unseal stops the boot: a silently new key would
 * change the coordinator's identity unnoticed; replacing it is an explicit choice ({@code replace},
 * the command's {@code --new-identity}).
 */
public final class SealedIdentity {
  /** The sealed-state name the seed is bound to. */
  public static final String NAME = "identity-key";

  private final SealedState sealedState;
  private final Path blob;

  public SealedIdentity(SealedState sealedState, Path blob) {
    this.sealedState = Objects.requireNonNull(sealedState, "sealedState");
    this.blob = Objects.requireNonNull(blob, "blob");
  }

  /**
   * The key sealed in the blob; a new key, sealed and written, when there is no blob yet or {@code
   * replace} is set.
   *
   * @throws SealingException when the blob cannot be read or unsealed (damaged, sealed by another
   *     KMS key, or KMS refuses this enclave), or a new one cannot be sealed or written
   */
  public Ed25519.PrivateKey load(boolean replace) {
    if (replace) {
      return create();
    }
    byte[] sealed;
    try {
      sealed = Files.readAllBytes(blob);
    } catch (NoSuchFileException e) {
      return create();
    } catch (IOException e) {
      throw new SealingException("cannot read the sealed identity " + blob + ": " + e, e);
    }
    return unseal(sealed);
  }

  private Ed25519.PrivateKey unseal(byte[] sealed) {
    byte[] seed;
    try {
      seed = sealedState.unseal(NAME, sealed);
    } catch (SealingException | IllegalArgumentException e) {
      throw new SealingException(refusal(e.getMessage()), e);
    }
    try {
      if (seed.length != Ed25519.KEY_BYTES) {
        throw new SealingException(
            refusal("it holds " + seed.length + " bytes, not a 32-byte Ed25519 seed"));
      }
      return Ed25519.PrivateKey.fromSeed(seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  private String refusal(String why) {
    return "the sealed identity "
        + blob
        + " does not unseal ("
        + why
        + "); the coordinator keeps its key or does not start. Pass --new-identity to replace it"
        + " with a new key (verifiers must then trust the new key id)";
  }

  /** The seed comes from KMS, never from a seal: whoever may seal could have chosen it. */
  private Ed25519.PrivateKey create() {
    SealedState.Generated generated = sealedState.generate(NAME, Ed25519.KEY_BYTES);
    Ed25519.PrivateKey key;
    try {
      key = Ed25519.PrivateKey.fromSeed(generated.state());
    } finally {
      Arrays.fill(generated.state(), (byte) 0);
    }
    write(generated.sealed());
    return key;
  }

  /** Temp file beside the blob, then a move: a crash leaves the old blob or the new, never half. */
  private void write(byte[] sealed) {
    Path target = blob.toAbsolutePath();
    Path temp = null;
    try {
      temp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp");
      Files.write(temp, sealed);
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new SealingException("cannot write the sealed identity " + blob + ": " + e, e);
    }
  }

  private static void deleteQuietly(Path temp) {
    if (temp == null) {
      return;
    }
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      // the write already failed; that is what the caller hears about
    }
  }

  @Override
  public String toString() {
    return "SealedIdentity[" + blob + " sealed with " + sealedState + "]";
  }
}
