package dev.nnc.runtime.train;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.data.Dataset;

/**
 * The loss and the {@link Metrics} of one data set through one network, from a single forward pass:
 * the rows go through {@link Network#loss} in chunks of {@link Network#maxRows()}, and the outputs
 * of that same pass ({@link Network#lastOutputs}) feed the {@link MetricSums}. A network that does
 * not keep its outputs gets a {@link Network#predict} of each chunk instead. Without the loss, the
 * outputs come from {@link Network#predict} (which never drops); without the metrics, only the loss
 * is computed.
 *
 * <p>The chunk's batch, the outputs and the sums are allocated once, by the constructor: {@link
 * #run} allocates nothing, so the trainer keeps one instance per data set it measures every epoch.
 */
final class Evaluation {
  private final Network network;
  private final Dataset data;
  private final boolean lossSumsRows;
  private final boolean withLoss;
  private final boolean withMetrics;
  private final int chunk;
  private final Batch batch;
  private final double[] outputs;
  private final MetricSums sums;

  /**
   * @param withLoss whether {@link #run} computes the loss (else it returns NaN)
   * @param withMetrics whether {@link #run} adds the rows to the {@link #sums}
   */
  Evaluation(
      Network network, Metrics metrics, Dataset data, boolean withLoss, boolean withMetrics) {
    this.network = network;
    this.data = data;
    this.lossSumsRows = metrics.lossSumsRows();
    this.withLoss = withLoss;
    this.withMetrics = withMetrics;
    this.chunk = Math.min(network.maxRows(), data.rows());
    // shaped as the data (labels or dense targets), which the network's loss checks against itself
    this.batch =
        chunk == 0
            ? null
            : new Batch(
                chunk,
                data.inputWidth(),
                data.hasLabels() ? network.spec().targetWidth() : data.targetWidth(),
                data.hasLabels());
    this.outputs = withMetrics ? new double[chunk * network.spec().outputWidth()] : null;
    this.sums = new MetricSums(metrics, network.spec(), withMetrics ? data.rows() : 0);
  }

  /**
   * One pass over the data at the network's current parameters: returns the loss of the whole set
   * ({@link Metrics#loss}: penalty included, the chunks' losses weighted by their rows, or summed
   * for the sum reductions; NaN for no rows) and leaves the metrics of every row in {@link #sums}.
   */
  double run() {
    sums.reset();
    int rows = data.rows();
    if (rows == 0 || !withLoss && !withMetrics) {
      return Double.NaN;
    }
    double weighted = 0;
    double summed = 0;
    for (int start = 0; start < rows; start += chunk) {
      int count = Math.min(chunk, rows - start);
      copyRows(data, start, count, batch);
      if (withLoss) {
        double loss = network.loss(batch);
        weighted += loss * count;
        summed += loss;
      }
      if (withMetrics) {
        if (!withLoss || !network.lastOutputs(count, outputs)) {
          network.predict(batch.x, count, outputs);
        }
        sums.add(outputs, batch, count);
      }
    }
    return !withLoss ? Double.NaN : lossSumsRows ? summed : weighted / rows;
  }

  /** The metrics' sums of the last {@link #run}. */
  MetricSums sums() {
    return sums;
  }

  private static void copyRows(Dataset data, int start, int count, Batch batch) {
    data.copyInputs(start, count, batch.x, 0);
    if (batch.labels != null) {
      System.arraycopy(data.labels(), start, batch.labels, 0, count);
    } else {
      int targets = data.targetWidth();
      System.arraycopy(data.targets(), start * targets, batch.targets, 0, count * targets);
    }
    batch.setRows(count);
  }
}
