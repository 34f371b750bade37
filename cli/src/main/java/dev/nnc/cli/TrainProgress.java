package dev.nnc.cli;

import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.train.EpochRecord;
import dev.nnc.runtime.train.TrainListener;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * How {@code nnc train} shows its progress: progress bars on a terminal, plain lines (one per
 * epoch, thinned for long runs) when the output goes to a file, a pipe or CI, where a bar's
 * carriage returns would be noise.
 */
abstract class TrainProgress implements TrainListener {
  /** Which display: {@code auto} chooses bars exactly when {@link System#console()} is not null. */
  enum Mode {
    AUTO,
    BAR,
    LINES
  }

  /** At most this many epochs get a bar of their own; longer runs get one bar over the epochs. */
  static final int BAR_PER_EPOCH_LIMIT = 50;

  /** Called once after training (normally or not): finishes the display. */
  abstract void finish();

  /**
   * The display for {@code mode}.
   *
   * @param lines the plain per-epoch printer, used for {@link Mode#LINES}
   * @param finishLines what ends {@code lines} (prints a pending last epoch)
   * @param terminal where bars are drawn (standard error, so standard output stays clean)
   * @param config the recipe, for the number of steps in an epoch
   * @param rows training rows
   */
  static TrainProgress create(
      Mode mode,
      TrainListener lines,
      Runnable finishLines,
      PrintStream terminal,
      TrainConfig config,
      int rows) {
    boolean bars = mode == Mode.BAR || (mode == Mode.AUTO && System.console() != null);
    if (!bars) {
      return new TrainProgress() {
        @Override
        public void onStep(int epoch, int step, double loss) {
          lines.onStep(epoch, step, loss);
        }

        @Override
        public void onEpoch(EpochRecord record) {
          lines.onEpoch(record);
        }

        @Override
        void finish() {
          finishLines.run();
        }
      };
    }
    long steps = stepsPerEpoch(config, rows);
    int epochs =
        config.epochs() > 0
            ? config.epochs()
            : (int) Math.max(1, (config.steps() + steps - 1) / steps);
    return new Bars(
        terminal, epochs, steps, config.optimizer().fullBatchOnly() ? "iterations" : "epochs");
  }

  /** Steps in one epoch, as the runtime's trainer counts them. */
  static long stepsPerEpoch(TrainConfig config, int rows) {
    if (config.optimizer().fullBatchOnly() || config.batchSize() == 0) {
      return 1;
    }
    if (config.withReplacement()) {
      return Math.max(rows / config.batchSize(), 1);
    }
    return (rows + config.batchSize() - 1) / config.batchSize();
  }

  /**
   * {@code loss 0.012345 val_loss 0.0234 acc 95.1% val_acc 94.0%}: the bar's extra message, short
   * for 80 columns.
   */
  static String summary(EpochRecord record) {
    StringBuilder text = new StringBuilder(Double.isNaN(record.learningRate()) ? "cost " : "loss ");
    text.append(shortLoss(record.meanLoss()));
    text.append(EpochLine.figures(record, true));
    return text.toString();
  }

  static String shortLoss(double loss) {
    return String.format(Locale.ROOT, "%.5g", loss);
  }

  /** One bar per epoch over its steps, or one bar over the epochs for long runs of short epochs. */
  private static final class Bars extends TrainProgress {
    private final PrintStream terminal;
    private final int epochs;
    private final long stepsPerEpoch;
    private final boolean perEpoch;
    private ProgressBar bar;
    private double lossSum;

    Bars(PrintStream terminal, int epochs, long stepsPerEpoch, String unit) {
      this.terminal = terminal;
      this.epochs = epochs;
      this.stepsPerEpoch = stepsPerEpoch;
      this.perEpoch = epochs <= BAR_PER_EPOCH_LIMIT && stepsPerEpoch > 1;
      if (!perEpoch) {
        bar = newBar(unit, epochs);
      }
    }

    private ProgressBar newBar(String task, long max) {
      return new ProgressBarBuilder()
          .setTaskName(task)
          .setInitialMax(max)
          .setStyle(ProgressBarStyle.UNICODE_BLOCK)
          .setUpdateIntervalMillis(200)
          .hideEta()
          // On a terminal the bar takes its width; forced bars elsewhere (tests) get 100 columns.
          .setConsumer(
              System.console() != null
                  ? new ConsoleProgressBarConsumer(terminal)
                  : new ConsoleProgressBarConsumer(terminal, 100))
          .build();
    }

    @Override
    public void onStep(int epoch, int step, double loss) {
      if (!perEpoch) {
        return;
      }
      if (bar == null) {
        String width = Integer.toString(epochs);
        bar =
            newBar(
                String.format(Locale.ROOT, "epoch %" + width.length() + "d/%s", epoch, width),
                stepsPerEpoch);
        lossSum = 0;
      }
      bar.stepTo(step);
      lossSum += loss;
      if (step % 16 == 1) {
        // the running mean, so the line keeps its length until the epoch's figures replace it
        bar.setExtraMessage("loss " + shortLoss(lossSum / step));
      }
    }

    @Override
    public void onEpoch(EpochRecord record) {
      if (perEpoch) {
        if (bar != null) {
          bar.stepTo(stepsPerEpoch);
          bar.setExtraMessage(summary(record));
          bar.close();
          bar = null;
        }
      } else {
        bar.stepTo(record.epoch());
        bar.setExtraMessage(summary(record));
      }
    }

    @Override
    void finish() {
      if (bar != null) {
        bar.close();
        bar = null;
      }
      terminal.flush();
    }
  }
}
