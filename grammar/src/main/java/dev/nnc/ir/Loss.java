package dev.nnc.ir;

import dev.nnc.diag.Span;
import java.util.List;

/**
 * {@code loss squared_error(out, y) reduce half_sum}.
 *
 * @param onehot labels are turned into one-hot rows before the loss (squared error, binary
 *     cross-entropy); softmax cross-entropy takes labels directly and has onehot false
 * @param classWeights {@code class_weights(…)}: one positive weight per class, by which the loss of
 *     every row of that class is multiplied (Keras' {@code class_weight}: the reduction is
 *     unchanged); empty for none. Labels only
 */
public record Loss(
    Kind kind, Reduction reduction, boolean onehot, Span span, List<Double> classWeights) {

  public Loss {
    classWeights = List.copyOf(classWeights);
  }

  /** A loss without class weights. */
  public Loss(Kind kind, Reduction reduction, boolean onehot, Span span) {
    this(kind, reduction, onehot, span, List.of());
  }

  /** Whether each row's loss is multiplied by the weight of its class. */
  public boolean weighted() {
    return !classWeights.isEmpty();
  }

  public enum Kind {
    /** (a − t)² per element. */
    SQUARED_ERROR,
    /** −log softmax(scores)[label] per row; the output layer has no activation. */
    SOFTMAX_CROSS_ENTROPY,
    /** −t log a − (1 − t) log(1 − a) per element; the output layer is sigmoid. */
    BINARY_CROSS_ENTROPY
  }
}
