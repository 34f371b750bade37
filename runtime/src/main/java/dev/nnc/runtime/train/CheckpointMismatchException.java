package dev.nnc.runtime.train;

/**
 * A checkpoint that belongs to another network, recipe or training set: resuming from it would
 * silently train something else, so it is refused. The message names the file and what differs.
 */
public class CheckpointMismatchException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public CheckpointMismatchException(String message) {
    super(message);
  }
}
