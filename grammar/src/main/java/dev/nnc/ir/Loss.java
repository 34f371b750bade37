package dev.nnc.ir;

import dev.nnc.diag.Span;

/**
 * {@code loss squared_error(out, y) reduce half_sum}.
 *
 * @param onehot labels are turned into one-hot rows before the loss (squared error, binary
 *     cross-entropy); softmax cross-entropy takes labels directly and has onehot false
 */
public record Loss(Kind kind, Reduction reduction, boolean onehot, Span span) {
  public enum Kind {
    /** (a − t)² per element. */
    SQUARED_ERROR,
    /** −log softmax(scores)[label] per row; the output layer has no activation. */
    SOFTMAX_CROSS_ENTROPY,
    /** −t log a − (1 − t) log(1 − a) per element; the output layer is sigmoid. */
    BINARY_CROSS_ENTROPY
  }
}
