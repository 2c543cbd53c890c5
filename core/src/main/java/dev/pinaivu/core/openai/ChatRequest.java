package dev.pinaivu.core.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated chat completion request: the few fields the network itself acts on, and the whole
 * body, which goes to the node unchanged (unknown fields included, on purpose).
 *
 * @param maxTokens {@code max_completion_tokens} or {@code max_tokens}; null when the client set
 *     neither
 * @param text the body exactly as the client sent it (UTF-8 decoded); this is what the node gets,
 *     so that it can hash the very bytes the dispatch token names
 */
public record ChatRequest(
    String model,
    boolean stream,
    boolean includeUsage,
    Integer maxTokens,
    ObjectNode body,
    String text) {}
