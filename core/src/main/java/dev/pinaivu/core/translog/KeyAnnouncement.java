package dev.pinaivu.core.translog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.json.CanonicalJson;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.receipt.CoordinatorKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The log entry by which a coordinator announces its key: the first leaf a coordinator appends,
 * whether it starts the log (leaf 0) or resumes it after a restart. Its bytes are the JCS of {@code
 * {"type": "coordinator_key", "v": 1, "origin", "key_id", "public_key", "kind", "attestation"}}
 * (docs/transparency-log.md §1.2). Checkpoints of the log verify under a key only if the log
 * announced that key.
 */
public record KeyAnnouncement(String origin, CoordinatorKey key) {
  public static final String TYPE = "coordinator_key";
  public static final int VERSION = 1;

  private static final byte[] CANONICAL_START =
      "{\"attestation\":".getBytes(StandardCharsets.UTF_8);

  public KeyAnnouncement {
    NoteText.requireKeyName(origin);
  }

  public byte[] entry() {
    ObjectNode entry = Json.object();
    entry.put("type", TYPE);
    entry.put("v", VERSION);
    entry.put("origin", origin);
    entry.put("key_id", key.keyId());
    entry.put("public_key", B64.encode(key.publicKey()));
    entry.put("kind", key.kind().name().toLowerCase(Locale.ROOT));
    byte[] attestation = key.attestation();
    entry.put("attestation", attestation == null ? null : B64.encode(attestation));
    return CanonicalJson.bytes(entry);
  }

  /** The note key checkpoints signed by this coordinator verify under. */
  public NoteVerifier noteVerifier() {
    return new NoteVerifier(origin, key.publicKey());
  }

  /** Whether {@code entry} is a key announcement (and not, say, a receipt); reads no further. */
  public static boolean isAnnouncement(byte[] entry) {
    if (!startsWith(entry, CANONICAL_START)) {
      return false; // JCS sorts "attestation" first; a receipt entry starts with {"alg":
    }
    try {
      JsonNode node = Json.parse(entry);
      return node != null && TYPE.equals(node.path("type").textValue());
    } catch (JsonProcessingException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Reads an entry as a key announcement; empty when it is another kind of entry.
   *
   * @throws IllegalArgumentException when it says it is one but is malformed, or not canonical
   */
  public static Optional<KeyAnnouncement> parse(byte[] entry) {
    if (!isAnnouncement(entry)) {
      return Optional.empty();
    }
    try {
      JsonNode node = Json.parse(entry);
      if (node.path("v").asInt() != VERSION) {
        throw new IllegalArgumentException("a key announcement of version " + node.get("v"));
      }
      String kind = node.path("kind").asText();
      String attestation = node.path("attestation").textValue();
      CoordinatorKey key =
          new CoordinatorKey(
              node.path("key_id").asText(),
              B64.decode(node.path("public_key").asText()),
              CoordinatorKey.Kind.valueOf(kind.toUpperCase(Locale.ROOT)),
              attestation == null ? null : B64.decode(attestation));
      KeyAnnouncement announcement = new KeyAnnouncement(node.path("origin").asText(), key);
      if (!Arrays.equals(announcement.entry(), entry)) {
        throw new IllegalArgumentException("a key announcement is canonical JSON (JCS)");
      }
      return Optional.of(announcement);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a key announcement is JSON", e);
    }
  }

  private static boolean startsWith(byte[] entry, byte[] prefix) {
    return entry.length >= prefix.length
        && Arrays.equals(entry, 0, prefix.length, prefix, 0, prefix.length);
  }
}
