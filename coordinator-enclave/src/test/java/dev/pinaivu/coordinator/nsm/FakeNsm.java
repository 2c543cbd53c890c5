package dev.pinaivu.coordinator.nsm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import dev.pinaivu.core.attestation.AttestationDocument;
import dev.pinaivu.core.attestation.Verification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A stand-in for the NSM in tests: it answers Attestation requests with a well-formed but
 * <em>unsigned</em> document (garbage signature and certificates) carrying the requested key, and
 * remembers the requests. No verifier accepts its documents; tests that need one to pass say so.
 */
public final class FakeNsm implements NsmDevice {
  private static final CBORFactory FACTORY = new CBORFactory();
  private static final CBORMapper MAPPER = new CBORMapper();

  private final List<byte[]> requests = new ArrayList<>();

  /** An attestor over a new fake NSM whose chain check is stood in for (nothing signs here). */
  public static NsmAttestor attestor() {
    return new NsmAttestor(
        new FakeNsm(),
        document -> {
          try {
            return new Verification.Valid(AttestationDocument.parse(document));
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
  }

  @Override
  public synchronized byte[] exchange(byte[] request) {
    requests.add(request.clone());
    return attestationResponse(document(requestedKey(request)));
  }

  public synchronized List<byte[]> requests() {
    return List.copyOf(requests);
  }

  /** The {@code public_key} an Attestation request asks for. */
  public static byte[] requestedKey(byte[] request) {
    try {
      JsonNode node = MAPPER.readTree(request).path("Attestation").path("public_key");
      return node.binaryValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code {"Attestation": {"document": h'..'}}}, as the NSM answers. */
  public static byte[] attestationResponse(byte[] document) {
    return write(gen -> {
      gen.writeStartObject(null, 1);
      gen.writeFieldName("Attestation");
      gen.writeStartObject(null, 1);
      gen.writeFieldName("document");
      gen.writeBinary(document);
      gen.writeEndObject();
      gen.writeEndObject();
    });
  }

  /** An untagged COSE_Sign1 whose payload has every required field and {@code publicKey}. */
  public static byte[] document(byte[] publicKey) {
    byte[] pcr = new byte[48];
    Arrays.fill(pcr, (byte) 0x5a);
    byte[] payload =
        write(gen -> {
          gen.writeStartObject(null, 9);
          gen.writeStringField("module_id", "i-0fake0000000000000-enc0fake000000000");
          gen.writeFieldName("timestamp");
          gen.writeNumber(1_764_000_000_000L);
          gen.writeStringField("digest", "SHA384");
          gen.writeFieldName("pcrs");
          gen.writeStartObject(null, 3);
          for (int i = 0; i < 3; i++) {
            gen.writeFieldId(i);
            gen.writeBinary(pcr);
          }
          gen.writeEndObject();
          gen.writeFieldName("certificate");
          gen.writeBinary(new byte[] {0x30, 0x00});
          gen.writeFieldName("cabundle");
          gen.writeStartArray(null, 1);
          gen.writeBinary(new byte[] {0x30, 0x00});
          gen.writeEndArray();
          gen.writeFieldName("public_key");
          gen.writeBinary(publicKey);
          gen.writeFieldName("user_data");
          gen.writeNull();
          gen.writeFieldName("nonce");
          gen.writeNull();
          gen.writeEndObject();
        });
    return write(gen -> {
      gen.writeStartArray(null, 4);
      gen.writeBinary(new byte[] {(byte) 0xa1, 0x01, 0x38, 0x22});
      gen.writeStartObject(null, 0);
      gen.writeEndObject();
      gen.writeBinary(payload);
      gen.writeBinary(new byte[96]);
      gen.writeEndArray();
    });
  }

  private interface Writer {
    void write(CBORGenerator gen) throws IOException;
  }

  private static byte[] write(Writer writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CBORGenerator gen = FACTORY.createGenerator(out)) {
      writer.write(gen);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
