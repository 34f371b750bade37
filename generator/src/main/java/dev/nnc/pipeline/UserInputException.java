package dev.nnc.pipeline;

/**
 * Bad input from the user (a malformed {@code .nn} file, unreadable data, a path that cannot be
 * written): the message is complete and printable as it is, without a stack trace.
 */
public final class UserInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserInputException(String message) {
    super(message, null, false, false);
  }
}
