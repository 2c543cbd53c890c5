package dev.pinaivu.core.attestation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The payload of a Nitro attestation document, checked for the types and sizes AWS specifies
 * (aws-nitro-enclaves-nsm-api, docs/attestation_process.md, "syntactical validation"). Parsing
 * proves nothing about who signed it: that is {@link AttestationVerifier}'s job. Absent optional
 * fields are null. Two documents are equal when their signed bytes are.
 *
 * @param cose the envelope as received, holding the raw protected header, payload and signature
 * @param timestampMillis when the NSM made the document, in milliseconds since the epoch (UTC)
 * @param pcrs platform configuration registers by index (0..31), each 32, 48 or 64 bytes
 * @param certificate the DER leaf certificate whose key signed the document
 * @param cabundle DER certificates ordered root first: {@code [ROOT, INTERM_1, ..., INTERM_N]}
 */
public record AttestationDocument(
    CoseSign1 cose,
    String moduleId,
    long timestampMillis,
    String digest,
    SortedMap<Integer, byte[]> pcrs,
    byte[] certificate,
    List<byte[]> cabundle,
    byte[] publicKey,
    byte[] userData,
    byte[] nonce) {
  public static final String SHA384 = "SHA384";
  public static final int MAX_PCRS = 32;
  static final int MAX_CERTIFICATE_BYTES = 1024;
  static final int MAX_PUBLIC_KEY_BYTES = 1024;
  static final int MAX_USER_DATA_BYTES = 512;
  static final int MAX_NONCE_BYTES = 512;

  public AttestationDocument {
    Objects.requireNonNull(cose, "cose");
    Objects.requireNonNull(moduleId, "module_id");
    Objects.requireNonNull(digest, "digest");
    if (moduleId.isEmpty()) {
      throw new IllegalArgumentException("module_id is empty");
    }
    if (timestampMillis <= 0) {
      throw new IllegalArgumentException("timestamp must be positive, got " + timestampMillis);
    }
    if (!digest.equals(SHA384)) {
      throw new IllegalArgumentException("digest must be SHA384, got " + digest);
    }
    pcrs = checkedPcrs(pcrs);
    certificate = sized("certificate", certificate, 1, MAX_CERTIFICATE_BYTES);
    cabundle = checkedBundle(cabundle);
    publicKey = publicKey == null ? null : sized("public_key", publicKey, 1, MAX_PUBLIC_KEY_BYTES);
    userData = userData == null ? null : sized("user_data", userData, 0, MAX_USER_DATA_BYTES);
    nonce = nonce == null ? null : sized("nonce", nonce, 0, MAX_NONCE_BYTES);
  }

  /** Decodes and checks a COSE_Sign1 attestation document, without verifying it. */
  public static AttestationDocument parse(byte[] document) throws MalformedAttestationException {
    return PayloadDecoder.decode(CoseSign1.decode(document));
  }

  public Instant timestamp() {
    return Instant.ofEpochMilli(timestampMillis);
  }

  /** The PCR at {@code index} in lowercase hex, if the document has it. */
  public Optional<String> pcrHex(int index) {
    return Optional.ofNullable(pcrs.get(index)).map(HexFormat.of()::formatHex);
  }

  /** Debug-mode enclaves report PCR0 as all zero bytes; their memory is readable by the host. */
  public boolean debugMode() {
    byte[] pcr0 = pcrs.get(0);
    if (pcr0 == null) {
      return false;
    }
    for (byte b : pcr0) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public SortedMap<Integer, byte[]> pcrs() {
    TreeMap<Integer, byte[]> copy = new TreeMap<>();
    pcrs.forEach((index, value) -> copy.put(index, value.clone()));
    return copy;
  }

  @Override
  public byte[] certificate() {
    return certificate.clone();
  }

  @Override
  public List<byte[]> cabundle() {
    return cabundle.stream().map(byte[]::clone).toList();
  }

  @Override
  public byte[] publicKey() {
    return publicKey == null ? null : publicKey.clone();
  }

  @Override
  public byte[] userData() {
    return userData == null ? null : userData.clone();
  }

  @Override
  public byte[] nonce() {
    return nonce == null ? null : nonce.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AttestationDocument that && cose.equals(that.cose);
  }

  @Override
  public int hashCode() {
    return cose.hashCode();
  }

  @Override
  public String toString() {
    return "AttestationDocument[module_id="
        + moduleId
        + ", timestamp="
        + timestamp()
        + ", pcr0="
        + pcrHex(0).orElse("none")
        + "]";
  }

  private static SortedMap<Integer, byte[]> checkedPcrs(Map<Integer, byte[]> pcrs) {
    Objects.requireNonNull(pcrs, "pcrs");
    if (pcrs.isEmpty() || pcrs.size() > MAX_PCRS) {
      throw new IllegalArgumentException("pcrs must hold 1.." + MAX_PCRS + " entries");
    }
    TreeMap<Integer, byte[]> copy = new TreeMap<>();
    for (Map.Entry<Integer, byte[]> pcr : pcrs.entrySet()) {
      int index = Objects.requireNonNull(pcr.getKey(), "PCR index");
      byte[] value = Objects.requireNonNull(pcr.getValue(), "PCR value");
      if (index < 0 || index >= MAX_PCRS) {
        throw new IllegalArgumentException("PCR index must be 0..31, got " + index);
      }
      if (value.length != 32 && value.length != 48 && value.length != 64) {
        throw new IllegalArgumentException(
            "PCR" + index + " must be 32, 48 or 64 bytes, got " + value.length);
      }
      copy.put(index, value.clone());
    }
    return Collections.unmodifiableSortedMap(copy);
  }

  private static List<byte[]> checkedBundle(List<byte[]> cabundle) {
    Objects.requireNonNull(cabundle, "cabundle");
    if (cabundle.isEmpty()) {
      throw new IllegalArgumentException("cabundle is empty");
    }
    List<byte[]> copy = new ArrayList<>(cabundle.size());
    for (int i = 0; i < cabundle.size(); i++) {
      copy.add(sized("cabundle[" + i + "]", cabundle.get(i), 1, MAX_CERTIFICATE_BYTES));
    }
    return Collections.unmodifiableList(copy);
  }

  private static byte[] sized(String field, byte[] value, int min, int max) {
    Objects.requireNonNull(value, field);
    if (value.length < min || value.length > max) {
      throw new IllegalArgumentException(
          field + " must be " + min + ".." + max + " bytes, got " + value.length);
    }
    return value.clone();
  }
}
