package dev.nnc.pipeline;

import dev.nnc.ir.Model;
import dev.nnc.ir.Reduction;
import dev.nnc.ir.Train;
import dev.nnc.lower.RuntimeViews;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Preprocessing;
import dev.nnc.runtime.data.Weights;
import dev.nnc.runtime.train.EarlyStopping;
import dev.nnc.runtime.train.History;
import dev.nnc.runtime.train.Metrics;
import dev.nnc.runtime.train.TrainListener;
import dev.nnc.runtime.train.Trainer;
import java.util.Map;

/**
 * One training run of a compiled model: fit the preprocessing on the raw data, initialise the
 * generated network from the recipe's seed, train with the runtime's {@link Trainer}.
 */
public final class Training {
  private Training() {}

  /** What a run leaves behind. */
  public record Result(
      Network network, Preprocessing preprocessing, Dataset data, History history) {

    /**
     * The loss on the whole (preprocessed) training set at the final parameters, or NaN when the
     * set is larger than the network's buffers (minibatch training): then the last epoch's mean
     * loss is the figure to report.
     */
    public double finalLoss() {
      if (network.maxRows() < data.rows()) {
        return Double.NaN;
      }
      return network.loss(Batch.of(network.spec(), data));
    }

    /** Weights by tensor name ({@code hidden.W} as rows × cols) plus the fitted statistics. */
    public Map<String, NpyArray> weights() {
      return Weights.arrays(network, preprocessing);
    }
  }

  /** Rows a network needs buffers for to run {@code config} on {@code rows} training rows. */
  public static int batchRows(TrainConfig config, int rows) {
    if (config.batchSize() == 0) {
      return rows;
    }
    return config.withReplacement() ? config.batchSize() : Math.min(config.batchSize(), rows);
  }

  /**
   * The metrics that fit the model's task: softmax cross-entropy is a classification, binary
   * cross-entropy with one output a binary one; squared error is a classification when the targets
   * are labels or all 0 or 1 (one-hot rows, a logic gate), else a regression measured in the
   * targets' units (RMSE, MAE).
   */
  public static Metrics metrics(Model model, Dataset raw, Preprocessing preprocessing) {
    int outputs = model.outputLayer().out();
    Metrics metrics =
        switch (model.loss().kind()) {
          case SOFTMAX_CROSS_ENTROPY -> Metrics.classification();
          case BINARY_CROSS_ENTROPY -> outputs == 1 ? Metrics.binary() : Metrics.classification();
          case SQUARED_ERROR -> Metrics.forData(RuntimeViews.spec(model), raw, preprocessing);
        };
    Reduction reduction = model.loss().reduction();
    return reduction == Reduction.SUM || reduction == Reduction.HALF_SUM
        ? metrics.withSummedLoss()
        : metrics;
  }

  /** Fits the preprocessing, builds and initialises the network: everything but the training. */
  public static Prepared prepare(CompiledModel model, Dataset raw, TrainConfig config) {
    return prepare(model, raw, null, config);
  }

  /**
   * As {@link #prepare(CompiledModel, Dataset, TrainConfig)}, with held-out rows (or null) whose
   * accuracy is measured after every epoch, preprocessed with the statistics fitted on {@code raw}.
   */
  public static Prepared prepare(
      CompiledModel model, Dataset raw, Dataset rawValidation, TrainConfig config) {
    Preprocessing preprocessing = Preprocessing.fit(model.spec(), raw);
    Dataset data = preprocessing.apply(raw);
    Dataset validation = rawValidation == null ? null : preprocessing.apply(rawValidation);
    Network network = model.newNetwork(batchRows(config, data.rows()));
    network.initialize(config.seed());
    EarlyStopping stopping =
        model
            .model()
            .train()
            .flatMap(Train::earlyStopping)
            .map(
                rule ->
                    new EarlyStopping(
                        rule.patience(), rule.monitor(), rule.minDelta(), rule.restoreBest()))
            .orElse(null);
    return new Prepared(
        network,
        preprocessing,
        data,
        validation,
        config,
        metrics(model.model(), raw, preprocessing),
        stopping);
  }

  public static Result run(
      CompiledModel model, Dataset raw, TrainConfig config, TrainListener listener) {
    return prepare(model, raw, config).train(listener);
  }

  /** A network initialised and its data preprocessed, ready to train. */
  public record Prepared(
      Network network,
      Preprocessing preprocessing,
      Dataset data,
      Dataset validation,
      TrainConfig config,
      Metrics metrics,
      EarlyStopping stopping) {

    /**
     * Trains; the {@link #metrics} are measured every epoch on the training set, and with the loss
     * on the validation set when there is one.
     *
     * @throws dev.nnc.runtime.train.TrainingDivergedException when a loss is not finite
     */
    public Result train(TrainListener listener) {
      Trainer trainer = configure(new Trainer(network, config).addListener(listener));
      History history = trainer.train(data);
      return new Result(network, preprocessing, data, history);
    }

    /**
     * Gives {@code trainer} the metrics, the validation data and the early stopping of the recipe
     * (a fresh copy each time, so a Prepared can train more than once).
     */
    public Trainer configure(Trainer trainer) {
      trainer.metrics(metrics).measureTrainingMetrics(true);
      if (stopping != null) {
        trainer.stopEarly(stopping.copy());
      }
      if (validation != null) {
        trainer.validateOn(validation);
      }
      return trainer;
    }
  }
}
