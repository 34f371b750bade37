package dev.nnc.runtime.train;

/**
 * Hears about training as it goes (progress bars, loss curves, tests); both methods default to
 * no-ops.
 */
public interface TrainListener {
  /**
   * After every step's update.
   *
   * @param epoch 1-based epoch
   * @param step 1-based step within the epoch
   * @param loss the loss the step computed before its update; for CG and L-BFGS (one step = one
   *     iteration) the cost after the iteration
   */
  default void onStep(int epoch, int step, double loss) {}

  /** After every epoch, accuracies measured and before the learning rate decays. */
  default void onEpoch(EpochRecord record) {}

  /** Prints {@link EpochRecord#summary()} to {@code out} after every epoch (Keras' verbose = 2). */
  static TrainListener printing(java.io.PrintStream out) {
    return new TrainListener() {
      @Override
      public void onEpoch(EpochRecord record) {
        out.println(record.summary());
      }
    };
  }
}
