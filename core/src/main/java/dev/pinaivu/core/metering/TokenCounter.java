package dev.pinaivu.core.metering;

/**
 * Port: a tokenizer's count of a text, as an estimate of what a node's own tokenizer makes of it.
 * Never used to bill (a node's tokenizer may differ), only to grade a node's claims ({@link
 * ClaimCheck}).
 */
@FunctionalInterface
public interface TokenCounter {
  long count(String text);
}
