package dev.pinaivu.core.attestation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Reads an attestation document saved as raw CBOR, base64 (standard or url-safe) or hex text.
 * Whitespace in text is ignored. Raw CBOR is recognised by its first byte: a COSE_Sign1 starts with
 * 0x84 (array of 4) or 0xd2 (tag 18), neither of which is ASCII.
 */
public final class AttestationFile {
  /** NSM responses fit in 12 KiB; anything far larger is not a document. */
  static final long MAX_BYTES = 256 * 1024;

  private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2})+");

  private AttestationFile() {}

  /** The document's CBOR bytes; IOException when unreadable, too large, or not one of the forms. */
  public static byte[] read(Path file) throws IOException {
    if (Files.size(file) > MAX_BYTES) {
      throw new IOException(file + " is larger than " + MAX_BYTES + " bytes");
    }
    try {
      return decode(Files.readAllBytes(file));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + " is neither raw CBOR nor base64 or hex text", e);
    }
  }

  /** Raw CBOR passes through; text is decoded as hex when it is all hex digits, else base64. */
  static byte[] decode(byte[] content) {
    if (content.length == 0) {
      throw new IllegalArgumentException("empty");
    }
    if ((content[0] & 0x80) != 0) {
      return content;
    }
    String text = new String(content, StandardCharsets.US_ASCII).replaceAll("\\s+", "");
    if (text.isEmpty()) {
      throw new IllegalArgumentException("only whitespace");
    }
    if (HEX.matcher(text).matches()) {
      return HexFormat.of().parseHex(text);
    }
    boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
    return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
  }
}
