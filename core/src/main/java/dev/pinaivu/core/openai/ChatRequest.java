package dev.pinaivu.core.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.money.TokenPrice;

/**
 * A validated chat completion request: the few fields the network itself acts on, and the whole
 * body, which goes to the node unchanged (unknown fields included, on purpose).
 *
 * @param maxTokens {@code max_completion_tokens} or {@code max_tokens}; null when the client set
 *     neither
 * @param choices {@code n}, the number of choices asked for (1 when unset)
 * @param maxPrice the client's {@code provider.max_price} (OpenRouter's parameter), the most it
 *     will pay per million tokens; null when unset
 * @param text the body exactly as the client sent it (UTF-8 decoded); this is what the node gets,
 *     so that it can hash the very bytes the dispatch token names
 * @param bodyBytes the length of the body in bytes, as the client sent it (for a Responses request,
 *     the longer of that and its chat translation, so that the prompt bound holds for what the node
 *     runs)
 * @param api the API the client called: {@code body} is always a chat completion request, {@code
 *     text} is what the client sent to that API
 */
public record ChatRequest(
    String model,
    boolean stream,
    boolean includeUsage,
    Integer maxTokens,
    int choices,
    TokenPrice maxPrice,
    ObjectNode body,
    String text,
    long bodyBytes,
    ApiKind api) {}
