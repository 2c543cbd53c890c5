package dev.pinaivu.core.attestation;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes attestation documents field by field, for shapes the real samples do not cover. Values may
 * be String, Long, byte[], null (CBOR null), Map (Integer keys become CBOR integers), List, {@link
 * Raw} CBOR bytes or a {@link Tagged} value. Fields are written in insertion order.
 */
final class DocumentBuilder {
  /** CBOR bytes written as they are. */
  record Raw(byte[] cbor) {}

  /** A value preceded by a CBOR tag. */
  record Tagged(int tag, Object value) {}

  private final Map<String, Object> fields = new LinkedHashMap<>();
  private boolean indefinite;
  private byte[] protectedHeader = algorithmHeader(CoseSign1.ES384);
  private Integer tag;

  /** The fields of {@code document} in the order the NSM writes them. */
  static DocumentBuilder from(AttestationDocument document) {
    DocumentBuilder builder = new DocumentBuilder();
    builder.fields.put("module_id", document.moduleId());
    builder.fields.put("digest", document.digest());
    builder.fields.put("timestamp", document.timestampMillis());
    builder.fields.put("pcrs", document.pcrs());
    builder.fields.put("certificate", document.certificate());
    builder.fields.put("cabundle", document.cabundle());
    builder.fields.put("public_key", document.publicKey());
    builder.fields.put("user_data", document.userData());
    builder.fields.put("nonce", document.nonce());
    return builder;
  }

  /** A production-mode document whose leaf and bundle come from {@code chain}. */
  static DocumentBuilder forChain(TestCa.Chain chain, long timestampMillis) {
    Map<Integer, byte[]> pcrs = new TreeMap<>();
    for (int i = 0; i < 16; i++) {
      byte[] value = new byte[48];
      value[0] = (byte) (i + 1);
      pcrs.put(i, value);
    }
    DocumentBuilder builder = new DocumentBuilder();
    builder.fields.put("module_id", "i-0123456789abcdef0-enc0123456789abcdef");
    builder.fields.put("digest", "SHA384");
    builder.fields.put("timestamp", timestampMillis);
    builder.fields.put("pcrs", pcrs);
    builder.fields.put("certificate", chain.leaf().der());
    builder.fields.put("cabundle", List.of(chain.root().der(), chain.intermediate().der()));
    builder.fields.put("public_key", null);
    builder.fields.put("user_data", null);
    builder.fields.put("nonce", null);
    return builder;
  }

  DocumentBuilder set(String key, Object value) {
    fields.put(key, value);
    return this;
  }

  DocumentBuilder remove(String key) {
    fields.remove(key);
    return this;
  }

  /** Writes every map and array of the payload with indefinite length (0xbf/0x9f ... 0xff). */
  DocumentBuilder indefiniteLength() {
    indefinite = true;
    return this;
  }

  DocumentBuilder algorithm(long algorithm) {
    protectedHeader = algorithmHeader(algorithm);
    return this;
  }

  DocumentBuilder protectedHeader(byte[] header) {
    protectedHeader = header.clone();
    return this;
  }

  DocumentBuilder tagged(int coseTag) {
    tag = coseTag;
    return this;
  }

  byte[] payload() {
    CborWriter out = new CborWriter();
    writeValue(out, fields);
    return out.toByteArray();
  }

  /** The COSE_Sign1 with an ES384 signature by {@code key}, over this builder's header. */
  byte[] signedWith(PrivateKey key) {
    byte[] payload = payload();
    byte[] toBeSigned = new CoseSign1(protectedHeader, 0, payload, new byte[0]).toBeSigned();
    try {
      Signature ecdsa = Signature.getInstance("SHA384withECDSAinP1363Format");
      ecdsa.initSign(key);
      ecdsa.update(toBeSigned);
      return cose(tag, protectedHeader, payload, ecdsa.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The COSE_Sign1 carrying {@code signature} as given. */
  byte[] withSignature(byte[] signature) {
    return cose(tag, protectedHeader, payload(), signature);
  }

  /** A COSE_Sign1 with an empty unprotected header, tagged when {@code tag} is not null. */
  static byte[] cose(Integer tag, byte[] protectedHeader, byte[] payload, byte[] signature) {
    CborWriter out = new CborWriter();
    if (tag != null) {
      out.tag(tag);
    }
    return out.array(4).bytes(protectedHeader).map(0).bytes(payload).bytes(signature).toByteArray();
  }

  static byte[] algorithmHeader(long algorithm) {
    return new CborWriter().map(1).integer(1).integer(algorithm).toByteArray();
  }

  private void writeValue(CborWriter out, Object value) {
    switch (value) {
      case null -> out.nul();
      case String text -> out.text(text);
      case Long number -> out.integer(number);
      case Integer number -> out.integer(number);
      case byte[] bytes -> out.bytes(bytes);
      case Raw raw -> out.raw(raw.cbor());
      case Tagged tagged -> {
        out.tag(tagged.tag());
        writeValue(out, tagged.value());
      }
      case Map<?, ?> map -> {
        out.map(indefinite ? -1 : map.size());
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          writeValue(out, entry.getKey());
          writeValue(out, entry.getValue());
        }
        endIfIndefinite(out);
      }
      case List<?> list -> {
        out.array(indefinite ? -1 : list.size());
        for (Object element : list) {
          writeValue(out, element);
        }
        endIfIndefinite(out);
      }
      default -> throw new IllegalArgumentException("cannot write " + value.getClass());
    }
  }

  private void endIfIndefinite(CborWriter out) {
    if (indefinite) {
      out.end();
    }
  }
}
