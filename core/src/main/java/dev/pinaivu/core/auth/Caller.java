package dev.pinaivu.core.auth;

/** Who is calling, once the key is checked. */
public record Caller(String keyId, String accountId) {}
