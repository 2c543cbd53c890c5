package dev.pinaivu.core.attestation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the attestation payload map into an {@link AttestationDocument}. Keys may come in any
 * order, the map may be definite or indefinite length, optional fields may be absent or CBOR null;
 * unknown keys are skipped, repeated keys refused.
 */
final class PayloadDecoder {
  private static final List<String> REQUIRED =
      List.of("module_id", "timestamp", "digest", "pcrs", "certificate", "cabundle");

  private final Set<String> seen = new HashSet<>();
  private String moduleId;
  private long timestamp;
  private String digest;
  private TreeMap<Integer, byte[]> pcrs;
  private byte[] certificate;
  private List<byte[]> cabundle;
  private byte[] publicKey;
  private byte[] userData;
  private byte[] nonce;

  private PayloadDecoder() {}

  static AttestationDocument decode(CoseSign1 cose) throws MalformedAttestationException {
    PayloadDecoder decoder = new PayloadDecoder();
    try (CborReader in = new CborReader(cose.payload())) {
      in.startMap("payload");
      while (in.nextKey("payload")) {
        decoder.readField(in, in.textKey("payload"));
      }
      in.requireEnd("payload map");
    }
    return decoder.toDocument(cose);
  }

  private void readField(CborReader in, String key) throws MalformedAttestationException {
    if (!seen.add(key)) {
      throw new MalformedAttestationException("payload repeats the key " + key);
    }
    switch (key) {
      case "module_id" -> moduleId = in.text(key);
      case "timestamp" -> timestamp = unsigned(in.integer(key), key);
      case "digest" -> digest = in.text(key);
      case "pcrs" -> pcrs = readPcrs(in);
      case "certificate" -> certificate = in.bytes(key);
      case "cabundle" -> cabundle = readBundle(in);
      case "public_key" -> publicKey = in.bytesOrNull(key);
      case "user_data" -> userData = in.bytesOrNull(key);
      case "nonce" -> nonce = in.bytesOrNull(key);
      default -> in.skip(key);
    }
  }

  private static TreeMap<Integer, byte[]> readPcrs(CborReader in)
      throws MalformedAttestationException {
    TreeMap<Integer, byte[]> pcrs = new TreeMap<>();
    in.startMap("pcrs");
    while (in.nextKey("pcrs")) {
      long index = unsigned(in.integerKey("pcrs"), "PCR index");
      if (index >= AttestationDocument.MAX_PCRS) {
        throw new MalformedAttestationException("PCR index must be 0..31, got " + index);
      }
      if (pcrs.put((int) index, in.bytes("PCR" + index)) != null) {
        throw new MalformedAttestationException("pcrs repeats index " + index);
      }
    }
    return pcrs;
  }

  private static List<byte[]> readBundle(CborReader in) throws MalformedAttestationException {
    List<byte[]> bundle = new ArrayList<>();
    in.startArray("cabundle");
    while (in.nextElement("cabundle")) {
      bundle.add(in.currentBytes("cabundle[" + bundle.size() + "]"));
    }
    return bundle;
  }

  private AttestationDocument toDocument(CoseSign1 cose) throws MalformedAttestationException {
    List<String> missing = REQUIRED.stream().filter(key -> !seen.contains(key)).toList();
    if (!missing.isEmpty()) {
      throw new MalformedAttestationException(
          "payload lacks required " + String.join(", ", missing));
    }
    try {
      return new AttestationDocument(
          cose,
          moduleId,
          timestamp,
          digest,
          pcrs,
          certificate,
          cabundle,
          publicKey,
          userData,
          nonce);
    } catch (IllegalArgumentException e) {
      throw new MalformedAttestationException(e.getMessage());
    }
  }

  private static long unsigned(long value, String what) throws MalformedAttestationException {
    if (value < 0) {
      throw new MalformedAttestationException(what + " must be unsigned, got " + value);
    }
    return value;
  }
}
