package dev.nnc.runtime.train;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.data.Dataset;

/**
 * The fraction of rows a network gets right, from {@link Network#predict}:
 *
 * <ul>
 *   <li>labels: the argmax of the outputs equals the label;
 *   <li>dense targets wider than 1 (one-hot or scores): the argmax of the outputs equals the argmax
 *       of the targets;
 *   <li>dense targets of width 1 (a binary output): the output and the target fall on the same side
 *       of 0.5 (0.5 itself counts as 1).
 * </ul>
 *
 * Ties in an argmax go to the first maximum, as numpy's. Rows go through {@code predict} in chunks
 * of {@link Network#maxRows()}. The data must be preprocessed as for training: with standardised
 * dense targets, the 0.5 rule applies to standardised values.
 */
public final class Accuracy {
  private Accuracy() {}

  /** The fraction in [0, 1] of {@code data}'s rows that {@code network} gets right. */
  public static double of(Network network, Dataset data) {
    int outputs = network.spec().outputWidth();
    int inputs = data.inputWidth();
    int chunk = Math.min(network.maxRows(), data.rows());
    double[] out = new double[chunk * outputs];
    double[] x = data.rows() <= chunk ? data.x() : new double[chunk * inputs];
    int correct = 0;
    for (int start = 0; start < data.rows(); start += chunk) {
      int rows = Math.min(chunk, data.rows() - start);
      if (x != data.x()) {
        System.arraycopy(data.x(), start * inputs, x, 0, rows * inputs);
      }
      network.predict(x, rows, out);
      for (int r = 0; r < rows; r++) {
        if (isCorrect(out, r * outputs, outputs, data, start + r)) {
          correct++;
        }
      }
    }
    return data.rows() == 0 ? Double.NaN : (double) correct / data.rows();
  }

  private static boolean isCorrect(double[] out, int offset, int outputs, Dataset data, int row) {
    if (data.hasLabels()) {
      return argmax(out, offset, outputs) == data.labels()[row];
    }
    int width = data.targetWidth();
    if (width == 1) {
      return (out[offset] >= 0.5) == (data.targets()[row] >= 0.5);
    }
    return argmax(out, offset, outputs) == argmax(data.targets(), row * width, width);
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
