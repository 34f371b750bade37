package dev.nnc.runtime.optim;

/**
 * A full-batch optimizer that runs one iteration (one line search) at a time on an {@link
 * Objective}, so a training loop can report, check and stop between iterations.
 */
public interface Minimizer {
  /**
   * Runs one iteration. Returns false when the optimizer cannot make progress and gives up (for
   * fmincg: a line search failed twice in a row); the current point is then the last good one and
   * further calls do nothing.
   */
  boolean iterate();

  /** The objective's value at the current point (after the last iteration). */
  double cost();

  /** Copies the current point into {@code dst}. */
  void copyParameters(double[] dst);

  /** How many times the objective has been evaluated, the starting point included. */
  int evaluations();

  /** Iterations run so far. */
  int iterations();

  /** Why the optimizer gave up, or null while it has not. */
  String stopReason();
}
