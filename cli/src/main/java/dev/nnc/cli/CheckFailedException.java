package dev.nnc.cli;

/** A check or a training run that ran and failed (exit code 1); the message says how. */
final class CheckFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CheckFailedException(String message) {
    super(message, null, false, false);
  }
}
