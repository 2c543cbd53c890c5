package dev.pinaivu.core.auth;

import dev.pinaivu.core.error.ApiException;

/** Use case: turns an {@code Authorization} header into a {@link Caller}, or a 401. */
public final class Authenticator {
  private final ApiKeyStore keys;

  public Authenticator(ApiKeyStore keys) {
    this.keys = keys;
  }

  public Caller authenticate(String authorizationHeader) {
    if (authorizationHeader == null || authorizationHeader.isBlank()) {
      throw ApiException.unauthenticated(
          "You didn't provide an API key. Send it as 'Authorization: Bearer sk-pnv-...'.");
    }
    String header = authorizationHeader.strip();
    if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw ApiException.unauthenticated(
          "The Authorization header must use the Bearer scheme: 'Authorization: Bearer"
              + " sk-pnv-...'.");
    }
    ApiKey key = ApiKey.parse(header.substring(7).strip());
    if (key == null) {
      throw ApiException.unauthenticated("Incorrect API key provided.");
    }
    ApiKeyRecord record =
        keys.findByHash(key.hash())
            .filter(ApiKeyRecord::active)
            .orElseThrow(() -> ApiException.unauthenticated("Incorrect API key provided."));
    return Caller.of(record);
  }
}
