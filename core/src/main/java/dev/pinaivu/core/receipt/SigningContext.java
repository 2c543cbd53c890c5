package dev.pinaivu.core.receipt;

import java.nio.charset.StandardCharsets;

/**
 * Domain separation: each kind of signed document is signed as {@code prefix + JCS(document)}, so a
 * signature made for one kind can never be presented as another (a proof as a receipt, a token as a
 * node offer). The prefixes are part of the format in docs/receipts.md.
 */
public enum SigningContext {
  DISPATCH_TOKEN("pinaivu/dispatch-token/v1\n"),
  PROOF("pinaivu/proof/v1\n"),
  RECEIPT("pinaivu/receipt/v1\n");

  private final String prefix;

  SigningContext(String prefix) {
    this.prefix = prefix;
  }

  public String prefix() {
    return prefix;
  }

  /** The exact bytes signed: the UTF-8 prefix followed by the canonical document. */
  public byte[] message(byte[] canonicalDocument) {
    byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + canonicalDocument.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(canonicalDocument, 0, out, head.length, canonicalDocument.length);
    return out;
  }
}
