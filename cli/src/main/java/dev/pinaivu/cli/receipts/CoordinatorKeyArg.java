package dev.pinaivu.cli.receipts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.attestation.AttestationFile;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.receipt.DevAttestation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * One {@code --coordinator-key} value: a file holding a key listing saved from {@code GET
 * /v1/attestation}, a dev attestation document, a Nitro attestation document (raw CBOR, base64 or
 * hex) or a bare key; or, when no such file exists, the key (base64url or 64 hex digits) or a Nitro
 * document (base64) inline. A bare key attests nothing, so it counts as a development key.
 */
final class CoordinatorKeyArg {
  private static final Pattern HEX_KEY = Pattern.compile("[0-9a-fA-F]{64}");

  private CoordinatorKeyArg() {}

  static KeyTrust read(String value, KeyAttestation attestation) throws UnusableInputException {
    Path file = pathOrNull(value);
    if (file != null && Files.isRegularFile(file)) {
      return fromFile(file, attestation);
    }
    byte[] bytes;
    try {
      bytes =
          HEX_KEY.matcher(value).matches()
              ? HexFormat.of().parseHex(value)
              : Base64Text.decode(value);
    } catch (IllegalArgumentException e) {
      throw new UnusableInputException(
          "--coordinator-key " + Printable.line(value) + " is neither a file nor a base64url key");
    }
    return fromBytes(bytes, attestation);
  }

  private static KeyTrust fromFile(Path file, KeyAttestation attestation)
      throws UnusableInputException {
    try {
      byte[] content = Files.readAllBytes(file);
      if (new String(content, StandardCharsets.UTF_8).strip().startsWith("{")) {
        return fromJson(file, content, attestation);
      }
      return fromBytes(AttestationFile.read(file), attestation);
    } catch (IOException e) {
      throw new UnusableInputException(
          "cannot read --coordinator-key " + file + ": " + e.getMessage());
    }
  }

  private static KeyTrust fromJson(Path file, byte[] content, KeyAttestation attestation)
      throws UnusableInputException {
    JsonNode json;
    try {
      json = Json.parse(content);
    } catch (JsonProcessingException e) {
      throw new UnusableInputException(file + " is not JSON: " + e.getOriginalMessage());
    }
    if (json.has("keys")) {
      return KeyListing.read(json, attestation);
    }
    if (DevAttestation.FORMAT.equals(json.path("format").textValue())) {
      try {
        return KeyTrust.of(DevAttestation.read(content));
      } catch (IllegalArgumentException e) {
        throw new UnusableInputException(file + ": " + e.getMessage());
      }
    }
    throw new UnusableInputException(
        file + " is JSON but neither a key listing ({\"keys\": [...]}) nor a dev attestation");
  }

  private static KeyTrust fromBytes(byte[] bytes, KeyAttestation attestation) {
    return bytes.length == Ed25519.KEY_BYTES
        ? attestation.dev(bytes, null)
        : attestation.nitro(null, bytes);
  }

  private static Path pathOrNull(String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      return null;
    }
  }
}
