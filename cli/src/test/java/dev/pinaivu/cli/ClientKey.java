package dev.pinaivu.cli;

import java.util.Objects;

/**
 * A client API key as a test holds it: its id, the secret, and the account it spends from. {@code
 * toString} shows no secret.
 */
public record ClientKey(String id, String secret, String account) {
  public ClientKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(account, "account");
  }

  @Override
  public String toString() {
    return "ClientKey[" + id + ", " + account + "]";
  }
}
