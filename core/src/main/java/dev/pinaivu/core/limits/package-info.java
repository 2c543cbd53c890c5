/**
 * Admission control: what happens between "the key is valid" and "route the request". {@link
 * dev.pinaivu.core.limits.Admission} checks, in this order, the key's scope and model (403), the
 * account's credit and the key's budget ({@link dev.pinaivu.core.limits.Quota}, 429 {@code
 * insufficient_quota}) and the key's requests and tokens per minute ({@link
 * dev.pinaivu.core.limits.RateLimiter}, 429 {@code rate_limit_exceeded}), and hands back a {@link
 * dev.pinaivu.core.limits.Ticket} that holds the request's token reservation until it is settled.
 * Pure Java with an injected clock; design in {@code docs/adr/0009-keys-and-limits.md}.
 */
package dev.pinaivu.core.limits;
