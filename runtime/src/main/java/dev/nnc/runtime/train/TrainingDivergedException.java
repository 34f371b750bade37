package dev.nnc.runtime.train;

/**
 * Training stopped because a loss was not finite. The network's parameters have been put back to
 * where they were at the start of the failing epoch (its last good state), and {@link #history()}
 * holds the epochs completed before it.
 */
public class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int epoch;
  private final int step;
  private final double loss;
  private final transient History history;

  public TrainingDivergedException(int epoch, int step, double loss, History history) {
    this(epoch, step, loss, history, false);
  }

  /**
   * @param parameterNotFinite true when a parameter (rather than the loss) became {@code loss}: the
   *     last update of an epoch can overflow with no loss computed after it
   */
  public TrainingDivergedException(
      int epoch, int step, double loss, History history, boolean parameterNotFinite) {
    super(
        (parameterNotFinite ? "a parameter became " : "loss became ")
            + loss
            + " at epoch "
            + epoch
            + ", step "
            + step
            + "; parameters restored to "
            + (epoch == 1 ? "their initial values" : "the end of epoch " + (epoch - 1)));
    this.epoch = epoch;
    this.step = step;
    this.loss = loss;
    this.history = history;
  }

  /** The 1-based epoch in which the loss was not finite. */
  public int epoch() {
    return epoch;
  }

  /** The 1-based step within that epoch. */
  public int step() {
    return step;
  }

  /** The loss value: NaN or ±Infinity. */
  public double loss() {
    return loss;
  }

  /** The epochs completed before the failing one. */
  public History history() {
    return history;
  }
}
