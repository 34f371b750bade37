package dev.nnc.runtime.train;

import java.util.List;

/**
 * One {@link EpochRecord} per epoch trained, in order.
 *
 * @param stopReason why training ended before its epochs, or null when it ran them all: CG and
 *     L-BFGS end a run when they cannot make progress (a line search failed twice in a row) rather
 *     than throwing
 */
public record History(List<EpochRecord> epochs, String stopReason) {
  public History {
    epochs = List.copyOf(epochs);
  }

  /** A history that ran all its epochs. */
  public History(List<EpochRecord> epochs) {
    this(epochs, null);
  }

  /** True when training ended early; {@link #stopReason()} says why. */
  public boolean stoppedEarly() {
    return stopReason != null;
  }

  /** The last epoch's record. */
  public EpochRecord last() {
    if (epochs.isEmpty()) {
      throw new IllegalStateException("no epoch was trained");
    }
    return epochs.get(epochs.size() - 1);
  }

  /** Steps over all epochs. */
  public long totalSteps() {
    long total = 0;
    for (EpochRecord record : epochs) {
      total += record.steps();
    }
    return total;
  }

  /** Every metric name any epoch recorded, in the order first seen. */
  public List<String> metricNames() {
    java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
    for (EpochRecord record : epochs) {
      names.addAll(record.metrics().keySet());
    }
    return List.copyOf(names);
  }

  /**
   * The history as CSV with a header line {@code epoch,steps,mean_loss,learning_rate,val_loss}
   * followed by the metrics ({@code train_accuracy,val_accuracy,…} or {@code
   * train_rmse,train_mae,val_rmse,val_mae}, see {@link Metrics}; {@code mean_loss} and the {@code
   * train_…} figures running over the epoch's steps, the {@code val_…} ones measured after it, see
   * {@link EpochRecord}); numbers in full precision ({@link Double#toString}), figures that were
   * not measured (and the learning rate of CG and L-BFGS, which have none) left empty.
   */
  public String toCsv() {
    List<String> names = metricNames();
    StringBuilder csv = new StringBuilder("epoch,steps,mean_loss,learning_rate,val_loss");
    for (String name : names) {
      csv.append(',').append(name);
    }
    csv.append('\n');
    for (EpochRecord record : epochs) {
      csv.append(record.epoch())
          .append(',')
          .append(record.steps())
          .append(',')
          .append(record.meanLoss())
          .append(',')
          .append(cell(record.learningRate()))
          .append(',')
          .append(cell(record.validationLoss()));
      for (String name : names) {
        csv.append(',').append(cell(record.metric(name)));
      }
      csv.append('\n');
    }
    return csv.toString();
  }

  private static String cell(double value) {
    return Double.isNaN(value) ? "" : Double.toString(value);
  }
}
