package dev.pinaivu.core.dispatch;

/** The chosen node cannot take the job right now; routing moves on to the next. */
public class NodeUnavailableException extends Exception {
  public NodeUnavailableException(String message) {
    super(message, null, false, false);
  }
}
