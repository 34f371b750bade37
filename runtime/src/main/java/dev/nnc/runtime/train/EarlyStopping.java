package dev.nnc.runtime.train;

import dev.nnc.runtime.Network;
import java.util.Locale;

/**
 * Keras' {@code EarlyStopping}: after every epoch the monitored figure ({@code val_loss}, {@code
 * loss}, or a metric of the {@link EpochRecord} such as {@code val_accuracy}) is compared with the
 * best so far; an epoch improves on it when it is lower by more than {@code minDelta} (losses,
 * RMSE, MAE) or higher by more than {@code minDelta} (accuracy, precision, recall, F1, AUC). After
 * {@code patience} epochs without an improvement training ends. With {@code restoreBest}, the
 * network then holds the parameters of its best epoch, also when the epochs run out first.
 *
 * <p>One instance serves one run: it keeps the best value, its epoch, and (with restoreBest) a copy
 * of the parameters, taken once per improving epoch.
 */
public final class EarlyStopping {
  private final int patience;
  private final String monitor;
  private final double minDelta;
  private final boolean restoreBest;
  private final boolean higherIsBetter;
  private double best = Double.NaN;
  private int bestEpoch;
  private int waited;
  private double[] bestParameters;

  public EarlyStopping(int patience, String monitor, double minDelta, boolean restoreBest) {
    if (patience < 1) {
      throw new IllegalArgumentException("patience must be at least 1 epoch, got " + patience);
    }
    if (!(minDelta >= 0) || !Double.isFinite(minDelta)) {
      throw new IllegalArgumentException("min_delta must be finite and ≥ 0, got " + minDelta);
    }
    this.patience = patience;
    this.monitor = monitor;
    this.minDelta = minDelta;
    this.restoreBest = restoreBest;
    this.higherIsBetter =
        monitor.endsWith("accuracy")
            || monitor.endsWith("precision")
            || monitor.endsWith("recall")
            || monitor.endsWith("f1")
            || monitor.endsWith("auc");
  }

  /** A fresh instance with the same rule, for another run. */
  public EarlyStopping copy() {
    return new EarlyStopping(patience, monitor, minDelta, restoreBest);
  }

  /** The monitored figure of {@code record}. */
  double value(EpochRecord record) {
    return switch (monitor) {
      case "loss" -> record.meanLoss();
      case "val_loss" -> record.validationLoss();
      default -> record.metric(monitor);
    };
  }

  /**
   * Takes the epoch's record (the network at the parameters the epoch ends with); true when
   * training should end.
   *
   * @throws IllegalArgumentException when the record does not have the monitored figure (a metric
   *     of another task, or a validation figure without validation data)
   */
  public boolean update(EpochRecord record, Network network) {
    double value = value(record);
    if (Double.isNaN(value) && !record.metrics().containsKey(monitor)) {
      boolean measured =
          monitor.equals("loss")
              || (monitor.equals("val_loss") && !Double.isNaN(record.validationLoss()));
      if (!measured) {
        throw new IllegalArgumentException(
            "early stopping monitors "
                + monitor
                + ", which this run does not measure; it has loss"
                + (Double.isNaN(record.validationLoss()) ? "" : ", val_loss")
                + (record.metrics().isEmpty()
                    ? ""
                    : ", " + String.join(", ", record.metrics().keySet())));
      }
    }
    boolean improved =
        !Double.isNaN(value)
            && (Double.isNaN(best)
                || (higherIsBetter ? value > best + minDelta : value < best - minDelta));
    if (improved) {
      best = value;
      bestEpoch = record.epoch();
      waited = 0;
      if (restoreBest) {
        if (bestParameters == null) {
          bestParameters = new double[network.spec().parameterCount()];
        }
        network.getParameters(bestParameters);
      }
      return false;
    }
    waited++;
    return waited >= patience;
  }

  /** Puts the best epoch's parameters back (with restoreBest); true when it changed them. */
  public boolean restore(Network network, int lastEpoch) {
    if (!restoreBest || bestParameters == null || bestEpoch == lastEpoch) {
      return false;
    }
    network.setParameters(bestParameters);
    return true;
  }

  /** Why training ended: {@code early stopping: val_loss did not improve for 5 epochs (best …)}. */
  String stopReason() {
    return String.format(
        Locale.ROOT,
        "early stopping: %s did not improve for %d epochs (best %.6g at epoch %d)%s",
        monitor,
        patience,
        best,
        bestEpoch,
        restoreBest ? "; the weights of epoch " + bestEpoch + " are restored" : "");
  }

  /** The epoch with the best value so far (0 before the first). */
  public int bestEpoch() {
    return bestEpoch;
  }

  public double best() {
    return best;
  }

  public String monitor() {
    return monitor;
  }
}
