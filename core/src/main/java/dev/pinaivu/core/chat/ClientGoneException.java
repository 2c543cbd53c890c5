package dev.pinaivu.core.chat;

/** The client closed the connection; the job must be cancelled at the node. */
public class ClientGoneException extends Exception {
  public ClientGoneException(Throwable cause) {
    super("client disconnected", cause, false, false);
  }
}
