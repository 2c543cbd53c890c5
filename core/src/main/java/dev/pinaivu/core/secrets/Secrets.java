package dev.pinaivu.core.secrets;

import java.util.function.Supplier;

/**
 * Port: the secrets a process needs (the admin token, the secret behind receipts' {@code
 * account_ref}), by name, as text. Locally they are files in the data directory, made on first
 * start; on AWS they are Secrets Manager secrets the deployment made, read once per process.
 * Adapters never log a value; every adapter passes {@code SecretsContract}.
 */
public interface Secrets {
  /**
   * The secret called {@code name} (lower case letters, digits and dashes). A store that makes its
   * own secrets makes a missing one from {@code fresh} and keeps it, so every later call, in this
   * process or the next, returns the same; a store whose secrets are made elsewhere throws {@link
   * MissingSecretException} naming where it looked.
   */
  String secret(String name, Supplier<String> fresh);

  /**
   * Where the secret called {@code name} is kept, for an operator to find it (a path, a secret's
   * id); never its value.
   */
  default String where(String name) {
    return "secret " + Secrets.requireName(name);
  }

  /** Refuses names that could reach outside the store (paths, ARNs): letters, digits, dashes. */
  static String requireName(String name) {
    if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
      throw new IllegalArgumentException(
          "a secret name is 1 to 63 lower-case letters, digits or dashes: " + name);
    }
    return name;
  }
}
