package dev.nnc.ir;

import dev.nnc.diag.Span;
import java.util.Optional;

/**
 * The {@code train} block.
 *
 * @param batchSize rows per step; 0 = the full training set
 * @param epochs 0 when steps is given
 * @param steps 0 when epochs is given
 * @param decayPerEpoch 1 when no decay is given
 * @param learningRate 1 for CG and L-BFGS, which have none
 * @param epochs for CG and L-BFGS: the number of iterations
 * @param data the {@code data inline} rows, if the data is written in the file
 * @param source the data file, if the data comes from one (never both)
 * @param validation rows to measure the loss and metrics on after every epoch ({@code validate …})
 * @param validationSplit {@code validate split(f)}: the share f of the training rows held out
 *     (seeded, stratified for labels); 0 when there is no split
 * @param earlyStopping {@code stop early(…)}, if given
 * @param schedule {@code schedule …(…)}, if given (then the decay is 1)
 */
public record Train(
    double learningRate,
    double decayPerEpoch,
    int batchSize,
    boolean shuffle,
    boolean withReplacement,
    int epochs,
    int steps,
    long seed,
    Optional<InlineData> data,
    Span span,
    Optimizer optimizer,
    Optional<DataSource> source,
    Optional<DataSource> validation,
    double validationSplit,
    Optional<EarlyStopping> earlyStopping,
    Optional<Schedule> schedule) {

  /** A recipe without a schedule. */
  public Train(
      double learningRate,
      double decayPerEpoch,
      int batchSize,
      boolean shuffle,
      boolean withReplacement,
      int epochs,
      int steps,
      long seed,
      Optional<InlineData> data,
      Span span,
      Optimizer optimizer,
      Optional<DataSource> source,
      Optional<DataSource> validation,
      double validationSplit,
      Optional<EarlyStopping> earlyStopping) {
    this(
        learningRate,
        decayPerEpoch,
        batchSize,
        shuffle,
        withReplacement,
        epochs,
        steps,
        seed,
        data,
        span,
        optimizer,
        source,
        validation,
        validationSplit,
        earlyStopping,
        Optional.empty());
  }

  /** A recipe without a validation split or early stopping. */
  public Train(
      double learningRate,
      double decayPerEpoch,
      int batchSize,
      boolean shuffle,
      boolean withReplacement,
      int epochs,
      int steps,
      long seed,
      Optional<InlineData> data,
      Span span,
      Optimizer optimizer,
      Optional<DataSource> source,
      Optional<DataSource> validation) {
    this(
        learningRate,
        decayPerEpoch,
        batchSize,
        shuffle,
        withReplacement,
        epochs,
        steps,
        seed,
        data,
        span,
        optimizer,
        source,
        validation,
        0,
        Optional.empty());
  }

  /** Plain SGD on inline data (or none). */
  public Train(
      double learningRate,
      double decayPerEpoch,
      int batchSize,
      boolean shuffle,
      boolean withReplacement,
      int epochs,
      int steps,
      long seed,
      Optional<InlineData> data,
      Span span) {
    this(
        learningRate,
        decayPerEpoch,
        batchSize,
        shuffle,
        withReplacement,
        epochs,
        steps,
        seed,
        data,
        span,
        new Optimizer.Sgd(),
        Optional.empty(),
        Optional.empty());
  }
}
