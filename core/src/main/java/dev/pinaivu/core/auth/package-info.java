/**
 * API keys and what they may do: keys are random secrets stored as SHA-256 ({@link
 * dev.pinaivu.core.auth.ApiKey}, {@link dev.pinaivu.core.auth.ApiKeyStore}), checked on every
 * request ({@link dev.pinaivu.core.auth.Authenticator}), issued and revoked by the operator ({@link
 * dev.pinaivu.core.auth.KeyIssuer}), and limited to scopes and models ({@link
 * dev.pinaivu.core.auth.Permissions}). Design: {@code docs/adr/0005-api-keys.md} and {@code
 * docs/adr/0009-keys-and-limits.md}.
 */
package dev.pinaivu.core.auth;
