package dev.nnc.cli;

import dev.nnc.runtime.train.EpochRecord;
import java.util.List;
import java.util.Locale;

/**
 * The figures of an epoch as {@code nnc train} prints them: after the loss, the validation loss and
 * the metrics that fit the task ({@code accuracy 95.1% f1 0.953 auc 0.991} for a two-class
 * classification, {@code rmse 54.21 mae 44.10} for a regression), training figures first, then the
 * validation ones prefixed {@code val_}. Precision and recall are in the history CSV.
 */
final class EpochLine {
  private EpochLine() {}

  /** The metrics the log shows, in order (without the {@code train_}/{@code val_} prefix). */
  private static final List<String> SHOWN = List.of("accuracy", "f1", "auc", "rmse", "mae");

  /** {@code val_loss 0.52310000 accuracy 95.1% val_accuracy 94.0%}: with a leading space. */
  static String figures(EpochRecord record, boolean compact) {
    StringBuilder text = new StringBuilder();
    if (!Double.isNaN(record.validationLoss())) {
      text.append(compact ? " val_loss " : "  val_loss ")
          .append(
              compact
                  ? TrainProgress.shortLoss(record.validationLoss())
                  : TrainCommand.formatLoss(record.validationLoss()));
    }
    for (String prefix : List.of("train_", "val_")) {
      for (String name : SHOWN) {
        double value = record.metric(prefix + name);
        if (Double.isNaN(value) && !record.metrics().containsKey(prefix + name)) {
          continue;
        }
        String label = prefix.equals("train_") ? name : "val_" + name;
        if (compact) {
          label = label.replace("accuracy", "acc");
        }
        text.append(compact ? " " : "  ")
            .append(label)
            .append(' ')
            .append(value(name, value, compact));
      }
    }
    return text.toString();
  }

  private static String value(String name, double value, boolean compact) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return switch (name) {
      case "accuracy" -> String.format(Locale.ROOT, compact ? "%.1f%%" : "%5.1f%%", 100 * value);
      case "f1", "auc" -> String.format(Locale.ROOT, "%.3f", value);
      default -> String.format(Locale.ROOT, "%.4g", value);
    };
  }
}
