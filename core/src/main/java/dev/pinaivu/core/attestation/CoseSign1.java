package dev.pinaivu.core.attestation;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A COSE_Sign1 message (RFC 9052 section 4.2) as received: the protected header, payload and
 * signature bytes exactly as they arrived, and the algorithm read from the protected header. The
 * unprotected header is not signed, so it is checked to be a map and otherwise ignored.
 *
 * @param algorithm the COSE algorithm id under label 1 of the protected header; -35 is ES384
 */
public record CoseSign1(byte[] protectedHeader, long algorithm, byte[] payload, byte[] signature) {
  /** CBOR tag 18 marks a COSE_Sign1; AWS may send it tagged or untagged. */
  public static final int TAG = 18;

  public static final long ES384 = -35;

  private static final CBORFactory FACTORY = new CBORFactory();

  public CoseSign1 {
    protectedHeader = protectedHeader.clone();
    payload = payload.clone();
    signature = signature.clone();
  }

  /** Decodes an untagged or tag-18 COSE_Sign1 that spans all of {@code bytes}. */
  public static CoseSign1 decode(byte[] bytes) throws MalformedAttestationException {
    try (CborReader in = new CborReader(bytes)) {
      int tag = in.startTaggedArray("COSE_Sign1");
      if (tag != -1 && tag != TAG) {
        throw new MalformedAttestationException(
            "a COSE_Sign1 is untagged or tag " + TAG + ", got tag " + tag);
      }
      byte[] protectedHeader = in.bytes("protected header");
      in.skipMap("unprotected header");
      byte[] payload = in.bytes("payload");
      byte[] signature = in.bytes("signature");
      if (in.nextElement("COSE_Sign1")) {
        throw new MalformedAttestationException("COSE_Sign1 has more than 4 elements");
      }
      in.requireEnd("COSE_Sign1");
      return new CoseSign1(protectedHeader, algorithmOf(protectedHeader), payload, signature);
    }
  }

  /**
   * The bytes the signature covers: {@code Sig_structure = ["Signature1", protected, h'',
   * payload]}, built from the received header and payload, never from a re-encoding of them.
   */
  public byte[] toBeSigned() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 64);
    try (CBORGenerator gen = FACTORY.createGenerator(out)) {
      gen.writeStartArray(null, 4);
      gen.writeString("Signature1");
      gen.writeBinary(protectedHeader);
      gen.writeBinary(new byte[0]);
      gen.writeBinary(payload);
      gen.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  @Override
  public byte[] protectedHeader() {
    return protectedHeader.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CoseSign1 that
        && algorithm == that.algorithm
        && Arrays.equals(protectedHeader, that.protectedHeader)
        && Arrays.equals(payload, that.payload)
        && Arrays.equals(signature, that.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        algorithm,
        Arrays.hashCode(protectedHeader),
        Arrays.hashCode(payload),
        Arrays.hashCode(signature));
  }

  @Override
  public String toString() {
    return "CoseSign1[algorithm="
        + algorithm
        + ", payload="
        + payload.length
        + " bytes, signature="
        + signature.length
        + " bytes]";
  }

  /** Label 1 of the protected header map; an empty header means an empty map (RFC 9052). */
  private static long algorithmOf(byte[] protectedHeader) throws MalformedAttestationException {
    if (protectedHeader.length == 0) {
      throw new MalformedAttestationException("protected header is empty; it must name the alg");
    }
    Long algorithm = null;
    try (CborReader in = new CborReader(protectedHeader)) {
      in.startMap("protected header");
      while (in.nextKey("protected header")) {
        if (in.integerKey("protected header") != 1) {
          in.skip("protected header value");
        } else if (algorithm != null) {
          throw new MalformedAttestationException("protected header repeats label 1 (alg)");
        } else {
          algorithm = in.integer("protected header alg");
        }
      }
      in.requireEnd("protected header map");
    }
    if (algorithm == null) {
      throw new MalformedAttestationException("protected header has no alg (label 1)");
    }
    return algorithm;
  }
}
