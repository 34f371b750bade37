package dev.nnc.runtime.train;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.Preprocessing;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures that fit what a network is trained to do, measured on a whole data set after every
 * epoch (Keras' {@code metrics}, chosen from the task rather than asked for):
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
 * Network#maxRows()}; {@link #loss} is the loss of the whole set (penalty included), exact for the
 * mean reductions; for {@code sum} and {@code half_sum}, which grow with the rows, it is the sum of
 * the chunks' losses, so a penalty is then counted once per chunk of {@code maxRows} rows.
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

  private int classes(NetworkSpec spec) {
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
    NetworkSpec spec = network.spec();
    int rows = data.rows();
    if (rows == 0) {
      return Double.NaN;
    }
    int chunk = Math.min(network.maxRows(), rows);
    Batch batch = Batch.forSpec(spec, chunk);
    double weighted = 0;
    double summed = 0;
    for (int start = 0; start < rows; start += chunk) {
      int count = Math.min(chunk, rows - start);
      copyRows(data, start, count, batch);
      double loss = network.loss(batch);
      weighted += loss * count;
      summed += loss;
    }
    return lossSumsRows ? summed : weighted / rows;
  }

  /**
   * The figures of {@link #names} on {@code data} at the network's current parameters, in that
   * order; NaN for an empty set.
   */
  public Map<String, Double> evaluate(Network network, Dataset data) {
    NetworkSpec spec = network.spec();
    int outputs = spec.outputWidth();
    int rows = data.rows();
    double[] out = predictAll(network, data);
    Map<String, Double> figures = new LinkedHashMap<>();
    if (task == Task.REGRESSION) {
      double[] predicted = preprocessing == null ? out : preprocessing.inverseTargets(out);
      double[] actual =
          preprocessing == null ? data.targets() : preprocessing.inverseTargets(data.targets());
      double squares = 0;
      double absolute = 0;
      for (int i = 0; i < predicted.length; i++) {
        double error = predicted[i] - actual[i];
        squares += error * error;
        absolute += Math.abs(error);
      }
      int count = predicted.length;
      figures.put("rmse", count == 0 ? Double.NaN : Math.sqrt(squares / count));
      figures.put("mae", count == 0 ? Double.NaN : absolute / count);
      return figures;
    }
    int classes = classes(spec);
    int correct = 0;
    boolean two = classes == 2;
    double[] scores = two ? new double[rows] : null;
    boolean[] positive = two ? new boolean[rows] : null;
    int truePositives = 0;
    int predictedPositives = 0;
    int actualPositives = 0;
    for (int r = 0; r < rows; r++) {
      int actual = actualClass(data, r);
      int predicted;
      if (task == Task.BINARY) {
        predicted = out[r * outputs] >= 0.5 ? 1 : 0;
        if (two) {
          scores[r] = out[r * outputs];
        }
      } else {
        predicted = argmax(out, r * outputs, outputs);
        if (two) {
          scores[r] = out[r * outputs + 1] - out[r * outputs];
        }
      }
      if (predicted == actual) {
        correct++;
      }
      if (two) {
        positive[r] = actual == 1;
        if (predicted == 1) {
          predictedPositives++;
          if (actual == 1) {
            truePositives++;
          }
        }
        if (actual == 1) {
          actualPositives++;
        }
      }
    }
    figures.put("accuracy", rows == 0 ? Double.NaN : (double) correct / rows);
    if (two) {
      double precision =
          predictedPositives == 0 ? Double.NaN : (double) truePositives / predictedPositives;
      double recall = actualPositives == 0 ? Double.NaN : (double) truePositives / actualPositives;
      figures.put("precision", precision);
      figures.put("recall", recall);
      figures.put(
          "f1",
          truePositives == 0
              ? (actualPositives == 0 ? Double.NaN : 0.0)
              : 2 * precision * recall / (precision + recall));
      figures.put("auc", auc(scores, positive));
    }
    return figures;
  }

  private int actualClass(Dataset data, int row) {
    if (data.hasLabels()) {
      return data.labels()[row];
    }
    int width = data.targetWidth();
    if (task == Task.BINARY) {
      return data.targets()[row * width] >= 0.5 ? 1 : 0;
    }
    return argmax(data.targets(), row * width, width);
  }

  /** Every row's outputs, row-major, in chunks of the network's buffers. */
  static double[] predictAll(Network network, Dataset data) {
    int outputs = network.spec().outputWidth();
    int inputs = data.inputWidth();
    int rows = data.rows();
    double[] all = new double[rows * outputs];
    if (rows == 0) {
      return all;
    }
    int chunk = Math.min(network.maxRows(), rows);
    double[] x = new double[chunk * inputs];
    double[] out = new double[chunk * outputs];
    for (int start = 0; start < rows; start += chunk) {
      int count = Math.min(chunk, rows - start);
      System.arraycopy(data.x(), start * inputs, x, 0, count * inputs);
      network.predict(x, count, out);
      System.arraycopy(out, 0, all, start * outputs, count * outputs);
    }
    return all;
  }

  /**
   * The area under the ROC curve: the probability that a random positive row scores above a random
   * negative one, ties counting one half (the Mann–Whitney statistic); NaN when a class is absent.
   */
  static double auc(double[] scores, boolean[] positive) {
    int n = scores.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    double positiveRankSum = 0;
    long positives = 0;
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double averageRank = (i + j) / 2.0 + 1; // 1-based ranks, ties share their mean rank
      for (int k = i; k <= j; k++) {
        if (positive[order[k]]) {
          positiveRankSum += averageRank;
          positives++;
        }
      }
      i = j + 1;
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }

  private static void copyRows(Dataset data, int start, int count, Batch batch) {
    int inputs = data.inputWidth();
    System.arraycopy(data.x(), start * inputs, batch.x, 0, count * inputs);
    if (batch.labels != null) {
      System.arraycopy(data.labels(), start, batch.labels, 0, count);
    } else {
      int targets = data.targetWidth();
      System.arraycopy(data.targets(), start * targets, batch.targets, 0, count * targets);
    }
    batch.setRows(count);
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
