package dev.nnc.runtime.train;

import java.util.Map;

/**
 * What one epoch of training did.
 *
 * @param epoch 1-based epoch number
 * @param steps the steps taken in it (fewer than a full epoch when a step budget ends it)
 * @param meanLoss SGD, momentum and Adam: the mean, over its steps, of the loss each step computed
 *     before its update; CG and L-BFGS (one iteration per epoch): the cost <em>after</em> the
 *     iteration, at the parameters the epoch ends with
 * @param learningRate the learning rate used throughout the epoch (decay applies after it); NaN for
 *     CG and L-BFGS, which use none
 * @param validationLoss the loss of the whole validation set at the parameters the epoch ends with
 *     (penalty included, see {@link Metrics#loss}); NaN when there is no validation set
 * @param metrics the {@link Metrics} of the epoch, by name: {@code train_accuracy}, {@code
 *     val_accuracy}, {@code val_f1}, {@code train_rmse}, … (training figures only when they are
 *     measured, validation figures only with a validation set), in a stable order. The {@code
 *     val_…} figures are measured after the epoch; the {@code train_…} figures, like {@code
 *     meanLoss}, are running figures over the rows of the epoch's steps (SGD, momentum, Adam: see
 *     {@link Trainer#measureTrainingMetrics}), or measured on the whole training set after the
 *     epoch (CG, L-BFGS)
 */
public record EpochRecord(
    int epoch,
    int steps,
    double meanLoss,
    double learningRate,
    double validationLoss,
    Map<String, Double> metrics) {

  public EpochRecord {
    metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
  }

  /** An epoch with no validation and no metrics. */
  public EpochRecord(int epoch, int steps, double meanLoss, double learningRate) {
    this(epoch, steps, meanLoss, learningRate, Double.NaN, Map.of());
  }

  /** The metric {@code name} ({@code val_accuracy}, …), NaN when it was not measured. */
  public double metric(String name) {
    Double value = metrics.get(name);
    return value == null ? Double.NaN : value;
  }

  /**
   * One line as Keras prints it: {@code epoch 12: loss 0.052170, val_loss 0.081233, train_accuracy
   * 0.9912, val_accuracy 0.9643} (losses to 6 significant digits, metrics to 4 decimals; absent
   * figures left out).
   */
  public String summary() {
    StringBuilder line = new StringBuilder("epoch ").append(epoch).append(": loss ");
    line.append(String.format(java.util.Locale.ROOT, "%.6g", meanLoss));
    if (!Double.isNaN(validationLoss)) {
      line.append(String.format(java.util.Locale.ROOT, ", val_loss %.6g", validationLoss));
    }
    metrics.forEach(
        (name, value) ->
            line.append(String.format(java.util.Locale.ROOT, ", %s %.4f", name, value)));
    return line.toString();
  }

  /**
   * Accuracy on the training rows: over the epoch's steps, or after the epoch for CG and L-BFGS
   * (see {@link #metrics}); NaN when not measured.
   */
  public double trainAccuracy() {
    return metric("train_accuracy");
  }

  /** Accuracy on the validation set after the epoch, NaN when there is none. */
  public double validationAccuracy() {
    return metric("val_accuracy");
  }
}
