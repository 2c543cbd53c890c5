package dev.pinaivu.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Plausible, deterministic {@code logprobs.content}: each token gets a log probability in [-3, 0)
 * derived from its text and position, and {@code top_logprobs} lists the token first, then common
 * alternatives with lower values.
 */
final class Logprobs {

  private static final List<String> ALTERNATIVES =
      List.of(
          " the", " a", ",", ".", " and", " of", " to", " is", " in", " it", " that", " for", " on",
          " with", " as", " was", " this", " be", " at", " by", " or");

  private Logprobs() {}

  /** {@code {"content":[...],"refusal":null}} for tokens starting at {@code firstPosition}. */
  static ObjectNode of(List<String> tokens, int firstPosition, int top) {
    ObjectNode logprobs = Json.MAPPER.createObjectNode();
    ArrayNode content = logprobs.putArray("content");
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      double logprob = logprob(token, firstPosition + i);
      ObjectNode entry = entry(content.addObject(), token, logprob);
      ArrayNode alternatives = entry.putArray("top_logprobs");
      if (top > 0) {
        entry(alternatives.addObject(), token, logprob);
      }
      for (int k = 0; alternatives.size() < top; k++) {
        String alternative = ALTERNATIVES.get(k % ALTERNATIVES.size());
        if (!alternative.equals(token)) {
          entry(alternatives.addObject(), alternative, logprob - 1.5 * alternatives.size());
        }
      }
    }
    logprobs.putNull("refusal");
    return logprobs;
  }

  private static ObjectNode entry(ObjectNode entry, String token, double logprob) {
    entry.put("token", token).put("logprob", logprob);
    ArrayNode bytes = entry.putArray("bytes");
    for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
      bytes.add(b & 0xff);
    }
    return entry;
  }

  private static double logprob(String token, int position) {
    return -(1 + Math.floorMod(token.hashCode() * 31 + position, 3000)) / 1000.0;
  }
}
