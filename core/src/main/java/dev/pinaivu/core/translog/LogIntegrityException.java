package dev.pinaivu.core.translog;

/**
 * The stored leaves no longer match a checkpoint the log signed: leaves were rewritten or deleted
 * behind its back. The log refuses to sign anything further, since a log must never sign two
 * inconsistent checkpoints.
 */
public class LogIntegrityException extends RuntimeException {
  public LogIntegrityException(String message) {
    super(message);
  }
}
