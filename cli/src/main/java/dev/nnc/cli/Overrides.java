package dev.nnc.cli;

import dev.nnc.pipeline.UserInputException;
import dev.nnc.runtime.TrainConfig;
import java.util.Locale;

/** {@code nnc train --lr RATE --batch N|full}: the recipe with the command line's values. */
final class Overrides {
  private Overrides() {}

  /**
   * {@code config} with the given learning rate and batch (either may be null).
   *
   * @throws UserInputException for a rate that is not positive and finite, a batch that is not a
   *     positive integer or {@code full}, or either with cg or lbfgs, which take neither
   */
  static TrainConfig apply(TrainConfig config, Double learningRate, String batch) {
    if (config.optimizer().fullBatchOnly()) {
      String optimizer =
          config.optimizer().kind() == dev.nnc.runtime.OptimizerSpec.Kind.LBFGS ? "lbfgs" : "cg";
      throw new UserInputException(
          "nnc: "
              + (learningRate != null ? "--lr" : "--batch")
              + ": "
              + optimizer
              + " has no learning rate and always takes the full batch; it takes neither --lr nor"
              + " --batch");
    }
    TrainConfig result = config;
    if (learningRate != null) {
      if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
        throw new UserInputException(
            "nnc: --lr must be a positive, finite learning rate, got " + learningRate);
      }
      result = result.withLearningRate(learningRate);
    }
    if (batch != null) {
      result = result.withBatchSize(batchSize(batch));
    }
    return result;
  }

  private static int batchSize(String batch) {
    if (batch.equals("full")) {
      return 0;
    }
    try {
      int size = Integer.parseInt(batch);
      if (size >= 1) {
        return size;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UserInputException(
        "nnc: --batch takes a number of rows (at least 1) or full, got '" + batch + "'");
  }

  /** {@code , lr 0.05 (--lr), batch 32 (--batch)}: what the run header adds. */
  static String describe(TrainConfig config, Double learningRate, String batch) {
    StringBuilder text = new StringBuilder();
    if (learningRate != null) {
      text.append(String.format(Locale.ROOT, ", lr %s (--lr)", config.learningRate()));
    }
    if (batch != null) {
      text.append(", batch ")
          .append(config.batchSize() == 0 ? "full" : Integer.toString(config.batchSize()))
          .append(" (--batch)");
    }
    return text.toString();
  }
}
