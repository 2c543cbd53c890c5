package dev.pinaivu.coordinator.nsm;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The NSM's CBOR messages, as serde_cbor encodes the Rust enums of aws-nitro-enclaves-nsm-api
 * ({@code src/api/mod.rs}): an enum variant with fields is a one-entry map from the variant name to
 * a map of its fields, in declaration order, with {@code None} as CBOR null; a unit variant is its
 * name as text. So the request is {@code {"Attestation": {"user_data": null, "nonce": null,
 * "public_key": h'..'}}} and the answer {@code {"Attestation": {"document": h'..'}}} or {@code
 * {"Error": "InternalError"}}.
 */
public final class NsmCodec {
  /** The driver's limits ({@code NSM_REQUEST_MAX_SIZE}, {@code NSM_RESPONSE_MAX_SIZE}). */
  public static final int REQUEST_MAX_BYTES = 0x1000;

  public static final int RESPONSE_MAX_BYTES = 0x3000;

  /** What the attestation document allows in {@code public_key}. */
  public static final int PUBLIC_KEY_MAX_BYTES = 1024;

  private static final CBORFactory FACTORY = new CBORFactory();

  private NsmCodec() {}

  /** An {@code Attestation} request carrying {@code publicKey} and no user data or nonce. */
  public static byte[] attestationRequest(byte[] publicKey) {
    Objects.requireNonNull(publicKey, "publicKey");
    if (publicKey.length < 1 || publicKey.length > PUBLIC_KEY_MAX_BYTES) {
      throw new IllegalArgumentException(
          "public_key must be 1.." + PUBLIC_KEY_MAX_BYTES + " bytes, got " + publicKey.length);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + publicKey.length);
    try (CBORGenerator gen = FACTORY.createGenerator(out)) {
      gen.writeStartObject(null, 1);
      gen.writeFieldName("Attestation");
      gen.writeStartObject(null, 3);
      gen.writeFieldName("user_data");
      gen.writeNull();
      gen.writeFieldName("nonce");
      gen.writeNull();
      gen.writeFieldName("public_key");
      gen.writeBinary(publicKey);
      gen.writeEndObject();
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  /**
   * The attestation document in an NSM response.
   *
   * @throws NsmException when the NSM answered with an error, or with anything but a document
   */
  public static byte[] document(byte[] response) {
    Objects.requireNonNull(response, "response");
    try (CBORParser in = FACTORY.createParser(response)) {
      expect(in.nextToken(), JsonToken.START_OBJECT, "a map");
      expect(in.nextToken(), JsonToken.FIELD_NAME, "a variant name");
      String variant = in.currentName();
      byte[] document =
          switch (variant) {
            case "Attestation" -> attestation(in);
            case "Error" -> throw new NsmException("the NSM refused the request: " + error(in));
            default -> throw new NsmException("the NSM answered " + variant + ", not Attestation");
          };
      expect(in.nextToken(), JsonToken.END_OBJECT, "the end of the response");
      if (in.nextToken() != null) {
        throw new NsmException("unreadable NSM response: bytes after the response");
      }
      return document;
    } catch (IOException e) {
      throw new NsmException("unreadable NSM response: " + e.getMessage(), e);
    }
  }

  private static byte[] attestation(CBORParser in) throws IOException {
    expect(in.nextToken(), JsonToken.START_OBJECT, "a map of the Attestation fields");
    byte[] document = null;
    while (in.nextToken() == JsonToken.FIELD_NAME) {
      String field = in.currentName();
      JsonToken value = in.nextToken();
      if (!field.equals("document")) {
        in.skipChildren();
      } else if (value == JsonToken.VALUE_EMBEDDED_OBJECT && document == null) {
        document = in.getBinaryValue();
      } else {
        throw new NsmException("unreadable NSM response: document is not one byte string");
      }
    }
    if (document == null || document.length == 0) {
      throw new NsmException("unreadable NSM response: Attestation without a document");
    }
    return document;
  }

  private static String error(CBORParser in) throws IOException {
    if (in.nextToken() != JsonToken.VALUE_STRING) {
      return "an error the NSM did not name";
    }
    return in.getText();
  }

  private static void expect(JsonToken actual, JsonToken expected, String what) {
    if (actual != expected) {
      throw new NsmException("unreadable NSM response: expected " + what + ", got " + actual);
    }
  }
}
