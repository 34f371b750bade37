package dev.nnc.runtime.train;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.NetworkSpec;
import java.util.Map;

/**
 * What the figures of {@link Metrics} are made of, added a chunk of rows at a time: the counts of
 * an accuracy, a precision and a recall, the sums of an RMSE and an MAE, and for two classes every
 * row's score (the AUC ranks them). {@link #add} takes a chunk's outputs with the batch that holds
 * its labels or targets; {@link #putFigures} writes the figures of every row added since {@link
 * #reset}, the same numbers {@link Metrics#evaluate} gives for those rows in that order.
 *
 * <p>Its buffers (the scores, for two classes) are allocated once, for {@code capacity} rows:
 * adding rows and reading the figures allocate nothing (the figures' map aside). The trainer keeps
 * one per data set it measures.
 */
final class MetricSums {
  private final Metrics.Task task;
  private final int outputs;
  private final boolean two;
  private final int capacity;
  private final double[] targetStds;
  private final double[] targetMeans;
  private final double[] positiveScores;
  private final double[] negativeScores;
  private int rows;
  private int correct;
  private int truePositives;
  private int predictedPositives;
  private int actualPositives;
  private int positives;
  private int negatives;
  private boolean unorderedScore;
  private double squares;
  private double absolute;
  private long values;

  /**
   * @param capacity the most rows added between two resets (for the two-class scores)
   */
  MetricSums(Metrics metrics, NetworkSpec spec, int capacity) {
    this.task = metrics.task();
    this.outputs = spec.outputWidth();
    this.two = task != Metrics.Task.REGRESSION && metrics.classes(spec) == 2;
    this.capacity = capacity;
    this.targetStds = metrics.preprocessing() == null ? null : metrics.preprocessing().targetStds();
    this.targetMeans =
        metrics.preprocessing() == null ? null : metrics.preprocessing().targetMeans();
    this.positiveScores = two ? new double[capacity] : null;
    this.negativeScores = two ? new double[capacity] : null;
  }

  /** Forgets every row added. */
  void reset() {
    rows = 0;
    correct = 0;
    truePositives = 0;
    predictedPositives = 0;
    actualPositives = 0;
    positives = 0;
    negatives = 0;
    unorderedScore = false;
    squares = 0;
    absolute = 0;
    values = 0;
  }

  /** Rows added since the last reset. */
  int rows() {
    return rows;
  }

  /**
   * Adds the first {@code count} rows of {@code out} (row-major, {@code count × outputWidth}),
   * whose labels or targets are the first {@code count} rows of {@code batch}.
   */
  void add(double[] out, Batch batch, int count) {
    if (rows + count > capacity) {
      throw new IllegalStateException(
          "room for " + capacity + " rows, " + rows + " added, " + count + " more");
    }
    rows += count;
    if (task == Metrics.Task.REGRESSION) {
      addRegression(out, batch, count);
      return;
    }
    for (int r = 0; r < count; r++) {
      int base = r * outputs;
      int actual = actualClass(batch, r);
      int predicted;
      double score;
      if (task == Metrics.Task.BINARY) {
        predicted = out[base] >= 0.5 ? 1 : 0;
        score = out[base];
      } else {
        predicted = Metrics.argmax(out, base, outputs);
        score = two ? out[base + 1] - out[base] : 0;
      }
      if (predicted == actual) {
        correct++;
      }
      if (two) {
        if (score != score) {
          unorderedScore = true; // NaN: no rank
        }
        if (actual == 1) {
          positiveScores[positives++] = score;
          actualPositives++;
        } else {
          negativeScores[negatives++] = score;
        }
        if (predicted == 1) {
          predictedPositives++;
          if (actual == 1) {
            truePositives++;
          }
        }
      }
    }
  }

  // As Metrics.evaluate: outputs and targets in the data's units (v · std + mean per column when
  // the targets are standardised), squares and absolute errors summed in row-major order.
  private void addRegression(double[] out, Batch batch, int count) {
    int width = batch.targetWidth;
    double[] targets = batch.targets;
    for (int i = 0; i < count * outputs; i++) {
      double predicted = out[i];
      double actual = targets[i];
      if (targetMeans != null) {
        int column = i % width;
        predicted = predicted * targetStds[column] + targetMeans[column];
        actual = actual * targetStds[column] + targetMeans[column];
      }
      double error = predicted - actual;
      squares += error * error;
      absolute += Math.abs(error);
    }
    values += (long) count * outputs;
  }

  private int actualClass(Batch batch, int row) {
    if (batch.labels != null) {
      return batch.labels[row];
    }
    int width = batch.targetWidth;
    if (task == Metrics.Task.BINARY) {
      return batch.targets[row * width] >= 0.5 ? 1 : 0;
    }
    return Metrics.argmax(batch.targets, row * width, width);
  }

  /**
   * Puts the figures of the rows added, under {@code prefix + name} in the order of {@link
   * Metrics#names}; NaN for no rows.
   */
  void putFigures(Map<String, Double> figures, String prefix) {
    if (task == Metrics.Task.REGRESSION) {
      figures.put(prefix + "rmse", values == 0 ? Double.NaN : Math.sqrt(squares / values));
      figures.put(prefix + "mae", values == 0 ? Double.NaN : absolute / values);
      return;
    }
    figures.put(prefix + "accuracy", rows == 0 ? Double.NaN : (double) correct / rows);
    if (two) {
      double precision =
          predictedPositives == 0 ? Double.NaN : (double) truePositives / predictedPositives;
      double recall = actualPositives == 0 ? Double.NaN : (double) truePositives / actualPositives;
      figures.put(prefix + "precision", precision);
      figures.put(prefix + "recall", recall);
      figures.put(
          prefix + "f1",
          truePositives == 0
              ? (actualPositives == 0 ? Double.NaN : 0.0)
              : 2 * precision * recall / (precision + recall));
      figures.put(prefix + "auc", auc());
    }
  }

  /**
   * The AUC of the rows added (see {@link #auc(double[], int, double[], int)}); NaN for a NaN
   * score.
   */
  double auc() {
    return unorderedScore ? Double.NaN : auc(positiveScores, positives, negativeScores, negatives);
  }

  /**
   * The area under the ROC curve: the probability that a positive row scores above a negative one,
   * ties counting one half (the Mann–Whitney statistic U / (P·N), U counted in halves, exactly);
   * NaN when a class is absent. The scores are {@code positive[0 .. p)} and {@code negative[0 ..
   * n)}, no NaN among them; both are sorted in place.
   */
  static double auc(double[] positive, int p, double[] negative, int n) {
    if (p == 0 || n == 0) {
      return Double.NaN;
    }
    sort(positive, p);
    sort(negative, n);
    long twiceU = 0; // Σ over the positives of 2·(negatives below) + (negatives equal)
    int below = 0;
    int equal = 0;
    for (int i = 0; i < p; i++) {
      double score = positive[i];
      if (i == 0 || score != positive[i - 1]) {
        while (below < n && negative[below] < score) {
          below++;
        }
        equal = 0;
        while (below + equal < n && negative[below + equal] == score) {
          equal++;
        }
      }
      twiceU += 2L * below + equal;
    }
    return twiceU / (2.0 * p * n);
  }

  /** Heapsort of {@code a[0 .. n)}, ascending (no NaN): in place, allocating nothing. */
  static void sort(double[] a, int n) {
    for (int start = n / 2 - 1; start >= 0; start--) {
      siftDown(a, start, n);
    }
    for (int end = n - 1; end > 0; end--) {
      double top = a[0];
      a[0] = a[end];
      a[end] = top;
      siftDown(a, 0, end);
    }
  }

  private static void siftDown(double[] a, int root, int n) {
    double value = a[root];
    int parent = root;
    while (true) {
      int child = 2 * parent + 1;
      if (child >= n) {
        break;
      }
      if (child + 1 < n && a[child + 1] > a[child]) {
        child++;
      }
      if (!(a[child] > value)) {
        break;
      }
      a[parent] = a[child];
      parent = child;
    }
    a[parent] = value;
  }
}
