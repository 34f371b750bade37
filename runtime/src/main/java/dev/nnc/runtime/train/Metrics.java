package dev.nnc.runtime.train;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.Preprocessing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures that fit what a network is trained to do (Keras' {@code metrics}, chosen from the
 * task rather than asked for), measured on a whole data set ({@link #evaluate}), on the validation
 * rows after every epoch, and over the rows of an epoch's steps as they train (see {@link
 * Trainer#measureTrainingMetrics}):
 *
 * <ul>
 *   <li>{@link Task#CLASSIFICATION} (labels, or one-hot targets): {@code accuracy}, the argmax of
 *       the outputs against the label (or the target's argmax); with two classes also {@code
 *       precision}, {@code recall} and {@code f1} of class 1 and {@code auc}, the area under the
 *       ROC curve of the score {@code out[1] − out[0]};
 *   <li>{@link Task#BINARY} (one output, 0/1 targets or labels): the same five, the output read as
 *       the probability of class 1 (predicted 1 when it is at least 0.5);
 *   <li>{@link Task#REGRESSION} (any other dense targets): {@code rmse} and {@code mae} over every
 *       output, in the targets' own units (outputs and targets de-standardised with the fitted
 *       {@link Preprocessing}). Never an accuracy: a 0.5 rule on a regression target means nothing.
 * </ul>
 *
 * <p>The data is preprocessed as for training. Rows go through the network in chunks of {@link
 * Network#maxRows()} (the buffers of one measurement allocated once; the trainer keeps them across
 * epochs); {@link #loss} is the loss of the whole set (penalty included), exact for the mean
 * reductions; for {@code sum} and {@code half_sum}, which grow with the rows, it is the sum of the
 * chunks' losses, so a penalty is then counted once per chunk of {@code maxRows} rows.
 */
public final class Metrics {
  /** What a network is trained to do. */
  public enum Task {
    CLASSIFICATION,
    BINARY,
    REGRESSION
  }

  private final Task task;
  private final Preprocessing preprocessing;
  private final boolean lossSumsRows;

  private Metrics(Task task, Preprocessing preprocessing, boolean lossSumsRows) {
    this.task = task;
    this.preprocessing = preprocessing;
    this.lossSumsRows = lossSumsRows;
  }

  /**
   * These metrics for a loss reduced with {@code sum} or {@code half_sum}: {@link #loss} adds the
   * chunks' losses instead of averaging them.
   */
  public Metrics withSummedLoss() {
    return new Metrics(task, preprocessing, true);
  }

  /** Accuracy (and the two-class figures); labels or one-hot targets. */
  public static Metrics classification() {
    return new Metrics(Task.CLASSIFICATION, null, false);
  }

  /** One output read as the probability of class 1. */
  public static Metrics binary() {
    return new Metrics(Task.BINARY, null, false);
  }

  /**
   * RMSE and MAE in the targets' units.
   *
   * @param preprocessing the fitted preprocessing whose target statistics undo the standardisation,
   *     or null when the targets are not standardised
   */
  public static Metrics regression(Preprocessing preprocessing) {
    return new Metrics(Task.REGRESSION, preprocessing, false);
  }

  /**
   * The metrics a network's data calls for when the loss is not known: labels are classes (binary
   * with a single output), dense targets that are all 0 or 1 are classes (binary when one wide),
   * any other dense targets are a regression.
   */
  public static Metrics forData(NetworkSpec spec, Dataset data, Preprocessing preprocessing) {
    if (data.hasLabels()) {
      return spec.outputWidth() == 1 ? binary() : classification();
    }
    if (isZeroOne(data.targets())) {
      return data.targetWidth() == 1 ? binary() : classification();
    }
    return regression(preprocessing);
  }

  /** True when every value is exactly 0 or 1. */
  public static boolean isZeroOne(double[] values) {
    if (values == null) {
      return false;
    }
    for (double value : values) {
      if (value != 0 && value != 1) {
        return false;
      }
    }
    return true;
  }

  public Task task() {
    return task;
  }

  /** The names of the figures {@link #evaluate} returns for {@code spec}, in order. */
  public List<String> names(NetworkSpec spec) {
    if (task == Task.REGRESSION) {
      return List.of("rmse", "mae");
    }
    if (classes(spec) == 2) {
      return List.of("accuracy", "precision", "recall", "f1", "auc");
    }
    return List.of("accuracy");
  }

  int classes(NetworkSpec spec) {
    if (task == Task.BINARY) {
      return 2;
    }
    return spec.targetKind() == NetworkSpec.TargetKind.LABELS
        ? spec.targetWidth()
        : spec.outputWidth();
  }

  /**
   * The loss of the whole of {@code data} at the current parameters, penalty included (see the
   * class comment for the sum reductions); NaN for an empty set.
   */
  public double loss(Network network, Dataset data) {
    return new Evaluation(network, this, data, true, false).run();
  }

  /**
   * The figures of {@link #names} on {@code data} at the network's current parameters, in that
   * order, from {@link Network#predict} (which never drops); NaN for an empty set.
   */
  public Map<String, Double> evaluate(Network network, Dataset data) {
    Evaluation evaluation = new Evaluation(network, this, data, false, true);
    evaluation.run();
    Map<String, Double> figures = new LinkedHashMap<>();
    evaluation.sums().putFigures(figures, "");
    return figures;
  }

  /**
   * {@code loss} ({@link #loss}) and the figures of {@link #evaluate}, from one forward pass: the
   * outputs of the loss's own pass ({@link Network#lastOutputs}), so with any dropout turned off
   * ({@code setDropout(seed, −1)}, as the trainer leaves a network) they are the same numbers.
   */
  public Map<String, Double> lossAndEvaluate(Network network, Dataset data) {
    Evaluation evaluation = new Evaluation(network, this, data, true, true);
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("loss", evaluation.run());
    evaluation.sums().putFigures(figures, "");
    return figures;
  }

  boolean lossSumsRows() {
    return lossSumsRows;
  }

  Preprocessing preprocessing() {
    return preprocessing;
  }

  /** Index (0-based, relative to offset) of the first largest of {@code length} values. */
  static int argmax(double[] values, int offset, int length) {
    int best = 0;
    for (int i = 1; i < length; i++) {
      if (values[offset + i] > values[offset + best]) {
        best = i;
      }
    }
    return best;
  }
}
