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
 * @param validation rows to measure accuracy on after every epoch ({@code validate …})
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
    Optional<DataSource> validation) {

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
