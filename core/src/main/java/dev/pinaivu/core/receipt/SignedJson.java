package dev.pinaivu.core.receipt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.json.CanonicalJson;
import dev.pinaivu.core.json.Json;
import java.util.stream.Collectors;

/**
 * Canonical bytes and strict reading of the signed documents. Signatures are always checked over
 * the canonical form of the JSON as received (unknown members included); only then is it read into
 * a record, strictly: every member present (null where allowed), no "12" for 12, no 1.5 for 1.
 */
final class SignedJson {
  private static final ObjectMapper STRICT =
      ((JsonMapper) Json.MAPPER)
          .rebuild()
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          // a string member must be a JSON string: no 1 for "1", no true for "true"
          .withCoercionConfig(
              LogicalType.Textual,
              config ->
                  config
                      .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .build();

  private SignedJson() {}

  /** {@code context.prefix + JCS(document)}, or why the document cannot be canonicalized. */
  static Verification<byte[]> message(SigningContext context, JsonNode document, String name) {
    if (document == null || !document.isObject()) {
      return Verification.invalid(name + " must be a JSON object");
    }
    try {
      return Verification.valid(context.message(CanonicalJson.bytes(document)));
    } catch (IllegalArgumentException e) {
      return Verification.invalid(name + " cannot be canonicalized: " + e.getMessage());
    }
  }

  static byte[] message(SigningContext context, Object record) {
    return context.message(CanonicalJson.bytes(record));
  }

  static ObjectNode tree(Object record) {
    return Json.MAPPER.valueToTree(record);
  }

  static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    return Ed25519.verify(publicKey, message, signature);
  }

  /** Reads {@code node} into {@code type}; a failure names the member at fault. */
  static <T> Verification<T> read(JsonNode node, Class<T> type, String name) {
    try {
      return Verification.valid(STRICT.treeToValue(node, type));
    } catch (JsonMappingException e) {
      String detail =
          e.getCause() instanceof IllegalArgumentException cause
              ? cause.getMessage()
              : e.getOriginalMessage();
      return Verification.invalid(name + " is malformed" + at(e) + ": " + firstLine(detail));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return Verification.invalid(name + " is malformed: " + firstLine(e.getMessage()));
    }
  }

  private static String at(JsonMappingException e) {
    String path =
        e.getPath().stream()
            .map(
                ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
            .collect(Collectors.joining("."));
    return path.isEmpty() ? "" : " at " + path;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no detail)";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
