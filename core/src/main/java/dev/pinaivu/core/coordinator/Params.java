package dev.pinaivu.core.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.translog.Hash;
import java.util.ArrayList;
import java.util.List;

/**
 * Strict reading of message members: strings are strings and integers are integers ("12" is not
 * 12). Each failure is an {@link IllegalArgumentException} naming the member.
 */
final class Params {
  private Params() {}

  static String text(JsonNode message, String name) {
    JsonNode value = message.get(name);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(name + " must be a string");
    }
    return value.textValue();
  }

  static String optionalText(JsonNode message, String name) {
    return absent(message, name) ? null : text(message, name);
  }

  static long integer(JsonNode message, String name) {
    JsonNode value = message.get(name);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new IllegalArgumentException(name + " must be an integer");
    }
    return value.longValue();
  }

  static Long optionalInteger(JsonNode message, String name) {
    return absent(message, name) ? null : integer(message, name);
  }

  static Integer optionalInt(JsonNode message, String name) {
    Long value = optionalInteger(message, name);
    if (value != null && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
      throw new IllegalArgumentException(name + " is out of range");
    }
    return value == null ? null : value.intValue();
  }

  /** An OpenAI usage object of integers, or null when absent. */
  static Usage optionalUsage(JsonNode message, String name) {
    if (absent(message, name)) {
      return null;
    }
    JsonNode usage = object(message, name);
    long prompt = integer(usage, "prompt_tokens");
    long completion = integer(usage, "completion_tokens");
    if (prompt < 0 || completion < 0 || integer(usage, "total_tokens") != prompt + completion) {
      throw new IllegalArgumentException(name + " must hold counts whose total is their sum");
    }
    return Usage.of(prompt, completion);
  }

  static JsonNode object(JsonNode message, String name) {
    JsonNode value = message.get(name);
    if (value == null || !value.isObject()) {
      throw new IllegalArgumentException(name + " must be an object");
    }
    return value;
  }

  static byte[] base64url(JsonNode message, String name) {
    try {
      return B64.decode(text(message, name));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  /** A {@link ParentAuth#NONCE_BYTES}-byte nonce, base64url. */
  static byte[] nonce(JsonNode message, String name) {
    byte[] nonce = base64url(message, name);
    if (nonce.length != ParentAuth.NONCE_BYTES) {
      throw new IllegalArgumentException(
          name + " must be " + ParentAuth.NONCE_BYTES + " bytes, not " + nonce.length);
    }
    return nonce;
  }

  static boolean absent(JsonNode message, String name) {
    JsonNode value = message.get(name);
    return value == null || value.isNull();
  }

  /** An array of tree hashes, each in standard padded base64 as in checkpoints. */
  static List<Hash> hashes(JsonNode message, String name) {
    List<Hash> out = new ArrayList<>();
    for (JsonNode item : array(message, name)) {
      if (!item.isTextual()) {
        throw new IllegalArgumentException(name + " holds base64 strings");
      }
      try {
        out.add(Hash.fromBase64(item.textValue()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  static JsonNode array(JsonNode message, String name) {
    JsonNode value = message.get(name);
    if (value == null || !value.isArray()) {
      throw new IllegalArgumentException(name + " must be an array");
    }
    return value;
  }

  static ArrayNode hashArray(List<Hash> hashes) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    hashes.forEach(h -> array.add(h.base64()));
    return array;
  }

  /** An array of byte strings, each base64url. */
  static List<byte[]> entries(JsonNode message, String name) {
    List<byte[]> out = new ArrayList<>();
    for (JsonNode item : array(message, name)) {
      if (!item.isTextual()) {
        throw new IllegalArgumentException(name + " holds base64url strings");
      }
      try {
        out.add(B64.decode(item.textValue()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
      }
    }
    return out;
  }
}
