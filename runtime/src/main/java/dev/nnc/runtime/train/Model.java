package dev.nnc.runtime.train;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.DataFile;
import dev.nnc.runtime.data.DataFormatException;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.Preprocessing;
import dev.nnc.runtime.data.Weights;
import dev.nnc.runtime.parallel.DataParallel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A generated network with its {@link Recipe}, trained and used the way Keras' {@code Model} is:
 * {@link #fit} returns the {@link History}, {@link #evaluate} gives the loss and metrics of a data
 * set, {@link #predict} the outputs of raw rows, {@link #save} the {@code .npz} that {@code nnc
 * train} writes.
 *
 * <pre>{@code
 * Model<Wine> model = Wine.recipe().relativeTo(Path.of("src/main/nn/wine.nn")).model();
 * History history = model.fit();                                 // as nnc train does
 * Map<String, Double> test = model.evaluate(model.read(new DataFile.Csv("test.csv", true, 0)));
 * double[] probabilities = model.predict(rawRows, rows);        // rows × classes
 * model.save(Path.of("wine.npz"));
 * }</pre>
 *
 * <p>The first {@code fit} (or {@link #initialize}) fits the preprocessing ({@code standardize}) on
 * its training rows, builds the network with buffers for the recipe's batch and initialises it from
 * the recipe's seed; later calls continue from the current parameters with the same preprocessing,
 * as a second {@code model.fit} does in Keras. Everything is deterministic: the same recipe and
 * rows give the same bits, on any number of {@link #threads}. Not thread-safe: one thread uses a
 * model at a time.
 *
 * @param <N> the generated network class
 */
public final class Model<N extends Network> {
  private final Recipe<N> recipe;
  private final List<TrainListener> listeners = new ArrayList<>();
  private int threads = 1;
  private N network;
  private Preprocessing preprocessing;
  private Metrics metrics;
  private History history;

  Model(Recipe<N> recipe) {
    this.recipe = recipe;
  }

  /** Hears every step and epoch of the following {@link #fit} calls. */
  public Model<N> listener(TrainListener listener) {
    listeners.add(listener);
    return this;
  }

  /**
   * Splits each step over {@code count} threads when the class can (the same bits on any count; a
   * class too small to split ignores it).
   */
  public Model<N> threads(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + count);
    }
    this.threads = count;
    return this;
  }

  /**
   * Trains on the recipe's data ({@link Recipe#rows}: its data statement, its validation file or
   * split) with its recipe: optimizer, batches, epochs, early stopping. The loss, the validation
   * loss and the metrics that fit the task are in each epoch's record.
   *
   * @throws TrainingDivergedException when a loss is not finite (the parameters are those at the
   *     start of the failing epoch)
   */
  public History fit() {
    Recipe.Rows rows = recipe.rows();
    return fit(rows.training(), rows.validation());
  }

  /**
   * Trains on {@code raw} (rows as in the data file: before powers and standardisation), holding
   * out the recipe's {@code validate split(f)} if it has one (Keras' {@code fit(x, y,
   * validation_split=f)}); the recipe's own data and validation file are not read.
   */
  public History fit(Dataset raw) {
    checkRows(raw);
    Recipe.Rows rows = recipe.splitRows(raw);
    return fit(rows.training(), rows.validation());
  }

  /**
   * Trains on {@code raw}, measuring the validation loss and metrics on {@code rawValidation} (or
   * null) after every epoch (Keras' {@code fit(x, y, validation_data=…)}); both raw, preprocessed
   * with the statistics fitted on the first training rows.
   *
   * @throws IllegalArgumentException when the rows do not fit the network (input width, labels or
   *     targets, a label outside the classes, the target width), saying what it expected
   */
  public History fit(Dataset raw, Dataset rawValidation) {
    NetworkSpec spec = recipe.spec();
    checkRows(raw);
    if (rawValidation != null) {
      checkRows(rawValidation);
    }
    TrainConfig config = recipe.trainConfig();
    int batchRows = batchRows(config, raw.rows());
    if (network == null) {
      build(raw);
    } else if (network.maxRows() < batchRows) {
      N larger = recipe.newNetwork(batchRows);
      double[] parameters = new double[spec.parameterCount()];
      network.getParameters(parameters);
      larger.setParameters(parameters);
      network = larger;
    }
    if (network instanceof DataParallel parallel) {
      parallel.setThreads(threads);
    }
    try {
      Trainer trainer = new Trainer(network, config);
      listeners.forEach(trainer::addListener);
      trainer.metrics(metrics).measureTrainingMetrics(true);
      EarlyStopping stopping = recipe.earlyStopping();
      if (stopping != null) {
        trainer.stopEarly(stopping);
      }
      if (rawValidation != null) {
        trainer.validateOn(preprocessing.apply(rawValidation));
      }
      history = trainer.train(preprocessing.apply(raw));
      return history;
    } finally {
      if (network instanceof DataParallel parallel) {
        parallel.setThreads(1); // ends the worker threads
      }
    }
  }

  /**
   * Builds the network without training it, as the first {@link #fit} does: fits the preprocessing
   * on the recipe's training rows, allocates buffers for its batch and initialises the parameters
   * from its seed; so the untrained network can be evaluated (a following {@code fit()} trains from
   * exactly this start). Does nothing when the network exists.
   */
  public Model<N> initialize() {
    return network != null ? this : initialize(recipe.rows().training());
  }

  /** As {@link #initialize()}, the preprocessing fitted on {@code raw} (your training rows). */
  public Model<N> initialize(Dataset raw) {
    if (network == null) {
      checkRows(raw);
      build(raw);
    }
    return this;
  }

  private void build(Dataset raw) {
    TrainConfig config = recipe.trainConfig();
    preprocessing = Preprocessing.fit(recipe.spec(), raw);
    network = recipe.newNetwork(batchRows(config, raw.rows()));
    network.initialize(config.seed());
    metrics = recipe.metrics(raw, preprocessing);
  }

  private void checkRows(Dataset raw) {
    try {
      DataFile.checkFits(raw, recipe.spec());
    } catch (DataFormatException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static int batchRows(TrainConfig config, int rows) {
    if (config.batchSize() == 0) {
      return rows;
    }
    return config.withReplacement() ? config.batchSize() : Math.min(config.batchSize(), rows);
  }

  /**
   * The loss ({@code loss}, penalty included) and the metrics that fit the task ({@code accuracy},
   * {@code precision}, {@code recall}, {@code f1}, {@code auc}; or {@code rmse}, {@code mae} in the
   * targets' units) of the raw rows {@code raw} at the current parameters.
   */
  public Map<String, Double> evaluate(Dataset raw) {
    requireTrained();
    checkRows(raw);
    Dataset data = preprocessing.apply(raw);
    Metrics chosen = metrics != null ? metrics : recipe.metrics(raw, preprocessing);
    return chosen.lossAndEvaluate(network, data); // one forward pass (dropout is off after fit)
  }

  /**
   * The outputs for {@code rows} raw rows ({@code rows × rawInputWidth}, row-major), {@code rows ×
   * outputWidth} row-major: class probabilities for softmax cross-entropy, the probability of class
   * 1 for binary cross-entropy, values in the targets' units for squared error (see {@link
   * Weights#predict}).
   */
  public double[] predict(double[] rawX, int rows) {
    requireTrained();
    return Weights.predict(network, preprocessing, rawX, rows);
  }

  /** The predicted class of each of {@code rows} raw rows (a classifier only). */
  public int[] predictClasses(double[] rawX, int rows) {
    requireTrained();
    return Weights.classes(network, preprocessing, rawX, rows);
  }

  /** Writes the weights and the fitted standardisation as {@code nnc train} does (atomically). */
  public void save(Path file) throws IOException {
    requireTrained();
    Weights.save(file, network, preprocessing);
  }

  /**
   * Loads weights and standardisation written by {@link #save} or {@code nnc train} (instead of
   * training); a later {@link #fit} continues from them.
   */
  public Model<N> load(Path file) throws IOException {
    TrainConfig config = recipe.trainConfig();
    N loaded =
        network != null
            ? network
            : recipe.newNetwork(config.batchSize() > 0 ? config.batchSize() : 64);
    preprocessing = Weights.load(file, loaded);
    network = loaded;
    return this;
  }

  /** The rows of {@code file}, its path resolved as the recipe's data paths (a test set, say). */
  public Dataset read(DataFile file) {
    return recipe.read(file);
  }

  private void requireTrained() {
    if (network == null) {
      throw new IllegalStateException(
          "network "
              + recipe.spec().name()
              + " has no weights yet: call fit, initialize or load first");
    }
  }

  public Recipe<N> recipe() {
    return recipe;
  }

  /** The network (null before the first {@link #fit} or {@link #load}). */
  public N network() {
    return network;
  }

  /** The preprocessing fitted by the first {@link #fit} (null before). */
  public Preprocessing preprocessing() {
    return preprocessing;
  }

  /** The history of the last {@link #fit} (null before). */
  public History history() {
    return history;
  }
}
