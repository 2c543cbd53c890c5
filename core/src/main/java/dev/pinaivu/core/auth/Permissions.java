package dev.pinaivu.core.auth;

import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;

/**
 * What an authenticated key may do: each use case calls these right after authentication, before it
 * reads more of the request than it must. A refusal is a 403 ({@code permission_error}).
 */
public final class Permissions {
  private Permissions() {}

  /** Refuses a key without {@code scope}: 403, code {@code missing_scope}. */
  public static void require(Caller caller, Scope scope) {
    if (!caller.has(scope)) {
      throw new ApiException(
          ErrorKind.PERMISSION,
          "This API key does not have the '"
              + scope.wireName()
              + "' scope needed for this endpoint. Ask for a key with that scope.",
          null,
          "missing_scope");
    }
  }

  /** Refuses a model the key is not allowed to use: 403, code {@code model_not_allowed}. */
  public static void requireModel(Caller caller, String model) {
    if (!caller.mayUse(model)) {
      throw new ApiException(
          ErrorKind.PERMISSION,
          "This API key is not allowed to use the model '" + model + "'.",
          "model",
          "model_not_allowed");
    }
  }
}
