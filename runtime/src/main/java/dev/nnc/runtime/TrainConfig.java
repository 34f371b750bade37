package dev.nnc.runtime;

/**
 * A training recipe: what the {@code train} block of a {@code .nn} file says.
 *
 * @param learningRate SGD step size
 * @param decayPerEpoch the learning rate is multiplied by this after every epoch (1 = none)
 * @param batchSize rows per step; 0 means the full training set in every step
 * @param shuffle reshuffle the rows before every epoch (ignored with replacement)
 * @param withReplacement draw each batch's rows uniformly with replacement (cs231n); an epoch is
 *     then max(m / batchSize, 1) steps
 * @param epochs epochs to run, or 0 when {@code steps} is given
 * @param steps steps to run, or 0 when {@code epochs} is given
 * @param seed seeds initialisation and batching
 * @param optimizer which optimizer; for CG and L-BFGS an epoch is one iteration and the learning
 *     rate is unused
 * @param schedule the learning rate of each epoch, or null: the learning rate times the decay after
 *     every epoch (a schedule needs decay 1)
 */
public record TrainConfig(
    double learningRate,
    double decayPerEpoch,
    int batchSize,
    boolean shuffle,
    boolean withReplacement,
    int epochs,
    int steps,
    long seed,
    OptimizerSpec optimizer,
    LearningRateSchedule schedule) {

  /** A recipe without a schedule (the learning rate decays by {@code decayPerEpoch}). */
  public TrainConfig(
      double learningRate,
      double decayPerEpoch,
      int batchSize,
      boolean shuffle,
      boolean withReplacement,
      int epochs,
      int steps,
      long seed,
      OptimizerSpec optimizer) {
    this(
        learningRate,
        decayPerEpoch,
        batchSize,
        shuffle,
        withReplacement,
        epochs,
        steps,
        seed,
        optimizer,
        null);
  }

  /** Plain SGD: the recipe of a {@code train} block without another optimizer. */
  public TrainConfig(
      double learningRate,
      double decayPerEpoch,
      int batchSize,
      boolean shuffle,
      boolean withReplacement,
      int epochs,
      int steps,
      long seed) {
    this(
        learningRate,
        decayPerEpoch,
        batchSize,
        shuffle,
        withReplacement,
        epochs,
        steps,
        seed,
        OptimizerSpec.sgd());
  }

  public TrainConfig {
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
    }
    if (batchSize < 0 || epochs < 0 || steps < 0 || (epochs == 0) == (steps == 0)) {
      throw new IllegalArgumentException(
          "need batch ≥ 0 and exactly one of epochs, steps: "
              + batchSize
              + ", "
              + epochs
              + ", "
              + steps);
    }
    if (optimizer == null) {
      throw new IllegalArgumentException("optimizer must not be null");
    }
    if (schedule != null && decayPerEpoch != 1) {
      throw new IllegalArgumentException(
          "a schedule replaces the decay per epoch: give one or the other, got decay "
              + decayPerEpoch);
    }
  }

  public TrainConfig withEpochs(int newEpochs) {
    return new TrainConfig(
        learningRate,
        decayPerEpoch,
        batchSize,
        shuffle,
        withReplacement,
        newEpochs,
        0,
        seed,
        optimizer,
        schedule);
  }

  /** The recipe with another learning rate (SGD, momentum and Adam). */
  public TrainConfig withLearningRate(double newLearningRate) {
    return new TrainConfig(
        newLearningRate,
        decayPerEpoch,
        batchSize,
        shuffle,
        withReplacement,
        epochs,
        steps,
        seed,
        optimizer,
        schedule);
  }

  /** The recipe with another batch size (0 = the full training set), its order kept. */
  public TrainConfig withBatchSize(int newBatchSize) {
    return new TrainConfig(
        learningRate,
        decayPerEpoch,
        newBatchSize,
        shuffle,
        withReplacement,
        epochs,
        steps,
        seed,
        optimizer,
        schedule);
  }

  public TrainConfig withSeed(long newSeed) {
    return new TrainConfig(
        learningRate,
        decayPerEpoch,
        batchSize,
        shuffle,
        withReplacement,
        epochs,
        steps,
        newSeed,
        optimizer,
        schedule);
  }

  /** The recipe with a learning-rate schedule (null: none). */
  public TrainConfig withSchedule(LearningRateSchedule newSchedule) {
    return new TrainConfig(
        learningRate,
        decayPerEpoch,
        batchSize,
        shuffle,
        withReplacement,
        epochs,
        steps,
        seed,
        optimizer,
        newSchedule);
  }
}
