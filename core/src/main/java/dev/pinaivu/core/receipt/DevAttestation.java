package dev.pinaivu.core.receipt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.json.CanonicalJson;
import dev.pinaivu.core.json.Json;

/**
 * The stand-in for an attestation document that a coordinator in dev mode publishes: canonical JSON
 * that names its key and says, in words, that it attests nothing. It exists so that a dev key is
 * never mistaken for an attested one: its {@code format} is not a Nitro document, and verifiers
 * refuse DEV keys unless told otherwise.
 */
public final class DevAttestation {
  public static final String FORMAT = "pinaivu-dev-attestation/v1";
  public static final String WARNING =
      "DEVELOPMENT KEY: generated in software outside any enclave; it attests nothing";

  private DevAttestation() {}

  /** The canonical JSON document for {@code publicKey}. */
  public static byte[] document(byte[] publicKey) {
    ObjectNode doc = Json.object();
    doc.put("format", FORMAT);
    doc.put("key_id", CoordinatorKey.keyIdOf(publicKey));
    doc.put("public_key", B64.encode(publicKey));
    doc.put("warning", WARNING);
    return CanonicalJson.bytes(doc);
  }

  /**
   * Reads a dev document back into a DEV key; throws {@link IllegalArgumentException} when it is
   * not one or its key id does not match its key.
   */
  public static CoordinatorKey read(byte[] document) {
    JsonNode doc;
    try {
      doc = Json.parse(document);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a dev attestation is JSON: " + e.getOriginalMessage());
    }
    if (doc == null || !FORMAT.equals(doc.path("format").textValue())) {
      throw new IllegalArgumentException("not a " + FORMAT + " document");
    }
    byte[] publicKey = Fields.publicKey(doc.path("public_key").textValue(), "public_key");
    return new CoordinatorKey(
        doc.path("key_id").textValue(), publicKey, CoordinatorKey.Kind.DEV, document);
  }
}
