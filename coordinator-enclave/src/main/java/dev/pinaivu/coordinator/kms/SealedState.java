package dev.pinaivu.coordinator.kms;

/**
 * Keeps small pieces of state (at most {@link #MAX_STATE_BYTES}) across enclave restarts: {@link
 * #seal} turns state into an opaque blob that may be stored anywhere, even on the untrusted parent,
 * and {@link #unseal} gives it back only inside an enclave the sealing key's policy accepts. Each
 * blob is bound to its {@code name}: a blob sealed as {@code "log-position"} cannot be unsealed as
 * {@code "identity-key"}. Names are short ASCII words, {@code [a-z0-9-]{1,64}}.
 */
public interface SealedState {
  /** KMS {@code Encrypt} takes at most 4 KiB of plaintext. */
  int MAX_STATE_BYTES = 4096;

  /**
   * @throws SealingException when the sealing service refuses or cannot be reached
   * @throws IllegalArgumentException for a bad name, or state that is empty or too large
   */
  byte[] seal(String name, byte[] state);

  /**
   * @throws SealingException when the blob was sealed under another name or key, is damaged, or the
   *     sealing service refuses this enclave (its attestation does not satisfy the key policy)
   */
  byte[] unseal(String name, byte[] sealed);

  /**
   * New random state of {@code bytes} bytes (1..1024) that the sealing service itself generates and
   * seals, and reveals only to this enclave. Unlike a {@link #seal}ed blob, whose state whoever may
   * seal could have chosen, such a blob holds state no one outside an accepted enclave knows,
   * provided the key policy grants sealing ({@code kms:Encrypt}) to no one: secrets (an identity
   * key) are made this way.
   *
   * @throws SealingException when the sealing service refuses or cannot be reached
   */
  Generated generate(String name, int bytes);

  /** Generated state and the blob that unseals to it. */
  record Generated(byte[] state, byte[] sealed) {
    @Override
    public String toString() {
      return "Generated[" + sealed.length + "-byte blob, state redacted]";
    }
  }
}
