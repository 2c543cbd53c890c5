package dev.pinaivu.core.protocol;

/** A frame that cannot be decoded or is not allowed at this point of the conversation. */
public class ProtocolException extends Exception {
  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
