package dev.pinaivu.core.auth;

/**
 * A key just issued: the secret, to be shown once, and the record the store keeps. {@code toString}
 * shows the hint only.
 */
public record IssuedKey(ApiKey key, ApiKeyRecord record) {}
