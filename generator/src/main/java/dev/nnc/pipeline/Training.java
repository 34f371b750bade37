package dev.nnc.pipeline;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Preprocessing;
import dev.nnc.runtime.train.History;
import dev.nnc.runtime.train.TrainListener;
import dev.nnc.runtime.train.Trainer;
import java.util.LinkedHashMap;
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
      NetworkSpec spec = network.spec();
      double[] flat = new double[spec.parameterCount()];
      network.getParameters(flat);
      Map<String, NpyArray> arrays = new LinkedHashMap<>();
      for (var tensor : spec.tensors()) {
        double[] values = new double[tensor.size()];
        System.arraycopy(flat, tensor.offset(), values, 0, values.length);
        // (in, out) for W, (out,) for b, PyTorch's (out_ch, in_ch, kh, kw) for a kernel
        arrays.put(
            tensor.name(), new NpyArray("<f8", dev.nnc.runtime.data.Weights.shape(tensor), values));
      }
      arrays.putAll(preprocessing.stats());
      return arrays;
    }
  }

  /** Rows a network needs buffers for to run {@code config} on {@code rows} training rows. */
  public static int batchRows(TrainConfig config, int rows) {
    if (config.batchSize() == 0) {
      return rows;
    }
    return config.withReplacement() ? config.batchSize() : Math.min(config.batchSize(), rows);
  }

  private static boolean isZeroOne(double[] targets) {
    if (targets == null) {
      return false;
    }
    for (double t : targets) {
      if (t != 0 && t != 1) {
        return false;
      }
    }
    return true;
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
    return new Prepared(
        network,
        preprocessing,
        data,
        validation,
        config,
        isZeroOne(raw.targets()) || raw.hasLabels());
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
      boolean classification) {

    /**
     * Trains; accuracy is measured every epoch for classification data (labels, or 0/1 targets).
     *
     * @throws dev.nnc.runtime.train.TrainingDivergedException when a loss is not finite
     */
    public Result train(TrainListener listener) {
      Trainer trainer = new Trainer(network, config).addListener(listener);
      trainer.measureTrainingAccuracy(classification);
      if (validation != null) {
        trainer.validateOn(validation);
      }
      History history = trainer.train(data);
      return new Result(network, preprocessing, data, history);
    }
  }
}
