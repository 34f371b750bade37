package dev.nnc.runtime.train;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.DataFile;
import dev.nnc.runtime.data.DataFormatException;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.Datasets;
import dev.nnc.runtime.data.Preprocessing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Everything a {@code .nn} file's {@code train} block says, for training from Java: the {@link
 * TrainConfig} (optimizer, learning rate, batch, epochs, seed), where the rows come from ({@code
 * data inline}, {@code data csv(…)}, …), the validation ({@code validate …} or {@code validate
 * split(f)}), {@code stop early(…)}, and how to build the network. Every generated trainer class
 * has {@code public static Recipe<Name> recipe()}; {@link #model()} gives the {@link Model} that
 * trains it, as {@code nnc train} does:
 *
 * <pre>{@code
 * Model<Wine> model = Wine.recipe().relativeTo(Path.of("src/main/nn/wine.nn")).model();
 * History history = model.fit();   // the file's data, split, early stopping
 * }</pre>
 *
 * <p>Immutable: the {@code with…}-style methods ({@link #epochs}, {@link #learningRate}, {@link
 * #batchSize}, {@link #seed}, {@link #validationSplit}, {@link #stopEarly}, …) return a changed
 * copy, like {@code nnc train --epochs/--lr/--batch/--seed}.
 *
 * <p>Data paths are as written in the {@code .nn} file; they are resolved against the folder of the
 * file given to {@link #relativeTo} (as {@code nnc train} resolves them against the {@code .nn}
 * file's folder), or against the working directory when none was given; an absolute path stays as
 * it is. {@code validate split(f)} holds out its rows with the file's seed (as {@code nnc train}
 * does, also when {@link #seed} changes the initialisation and batching).
 *
 * @param <N> the generated network class
 */
public final class Recipe<N extends Network> {
  private final NetworkSpec spec;
  private final IntFunction<N> factory;
  private final TrainConfig config;
  private final DataFile data;
  private final Dataset inline;
  private final DataFile validation;
  private final double validationSplit;
  private final long splitSeed;
  private final EarlyStopping stopping;
  private final boolean summedLoss;
  private final Path folder;

  private Recipe(
      NetworkSpec spec,
      IntFunction<N> factory,
      TrainConfig config,
      DataFile data,
      Dataset inline,
      DataFile validation,
      double validationSplit,
      long splitSeed,
      EarlyStopping stopping,
      boolean summedLoss,
      Path folder) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.config = Objects.requireNonNull(config, "config");
    this.data = data;
    this.inline = inline;
    this.validation = validation;
    this.validationSplit = validationSplit;
    this.splitSeed = splitSeed;
    this.stopping = stopping;
    this.summedLoss = summedLoss;
    this.folder = folder;
  }

  /**
   * A recipe without data, validation or early stopping (what generated code starts from).
   *
   * @param spec the network's {@code SPEC}
   * @param factory its constructor taking the rows to allocate buffers for ({@code Wine::new})
   * @param config its {@code trainConfig()}
   */
  public static <N extends Network> Recipe<N> of(
      NetworkSpec spec, IntFunction<N> factory, TrainConfig config) {
    return new Recipe<>(
        spec, factory, config, null, null, null, 0, config.seed(), null, false, null);
  }

  private Recipe<N> with(
      TrainConfig newConfig,
      DataFile newData,
      Dataset newInline,
      DataFile newValidation,
      double newSplit,
      EarlyStopping newStopping,
      boolean newSummedLoss,
      Path newFolder) {
    return new Recipe<>(
        spec,
        factory,
        newConfig,
        newData,
        newInline,
        newValidation,
        newSplit,
        splitSeed,
        newStopping,
        newSummedLoss,
        newFolder);
  }

  /** Trains on the rows of {@code file} ({@code data csv(…)}, …). */
  public Recipe<N> data(DataFile file) {
    return with(config, file, null, validation, validationSplit, stopping, summedLoss, folder);
  }

  /** Trains on these raw rows ({@code data inline}, or your own). */
  public Recipe<N> data(Dataset rows) {
    return with(config, null, rows, validation, validationSplit, stopping, summedLoss, folder);
  }

  /** Measures the validation loss and metrics on the rows of {@code file} after every epoch. */
  public Recipe<N> validation(DataFile file) {
    return with(config, data, inline, file, 0, stopping, summedLoss, folder);
  }

  /**
   * Holds out the share {@code fraction} of the training rows for validation ({@code validate
   * split(f)}; seeded, stratified for classes, see {@link Datasets#holdOut}); 0 for none.
   */
  public Recipe<N> validationSplit(double fraction) {
    if (fraction != 0 && !(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException(
          "the validation split must be a fraction in (0, 1) (0 for none), got " + fraction);
    }
    return with(
        config,
        data,
        inline,
        fraction > 0 ? null : validation,
        fraction,
        stopping,
        summedLoss,
        folder);
  }

  /** Stops early by {@code rule} ({@code stop early(…)}); null for none. */
  public Recipe<N> stopEarly(EarlyStopping rule) {
    return with(config, data, inline, validation, validationSplit, rule, summedLoss, folder);
  }

  /**
   * Marks the loss as reduced with {@code sum} or {@code half_sum}, so a whole set's loss adds its
   * chunks' losses ({@link Metrics#withSummedLoss}).
   */
  public Recipe<N> summedLoss() {
    return with(config, data, inline, validation, validationSplit, stopping, true, folder);
  }

  /**
   * Resolves the data paths against the folder of {@code nnFile}, as {@code nnc train nnFile} does.
   */
  public Recipe<N> relativeTo(Path nnFile) {
    Path parent = nnFile.toAbsolutePath().getParent();
    return with(config, data, inline, validation, validationSplit, stopping, summedLoss, parent);
  }

  /** Replaces the whole {@link TrainConfig}. */
  public Recipe<N> config(TrainConfig newConfig) {
    return with(
        Objects.requireNonNull(newConfig, "config"),
        data,
        inline,
        validation,
        validationSplit,
        stopping,
        summedLoss,
        folder);
  }

  /** Runs {@code count} epochs ({@code --epochs}). */
  public Recipe<N> epochs(int count) {
    return config(config.withEpochs(count));
  }

  /** Another learning rate ({@code --lr}). */
  public Recipe<N> learningRate(double rate) {
    return config(config.withLearningRate(rate));
  }

  /** Another batch size, 0 for the full training set ({@code --batch}). */
  public Recipe<N> batchSize(int rows) {
    return config(config.withBatchSize(rows));
  }

  /** Another learning-rate schedule ({@code schedule …}); null for none. */
  public Recipe<N> schedule(dev.nnc.runtime.LearningRateSchedule schedule) {
    return config(config.withSchedule(schedule));
  }

  /** Another seed for initialisation and batching ({@code --seed}). */
  public Recipe<N> seed(long seed) {
    return config(config.withSeed(seed));
  }

  public NetworkSpec spec() {
    return spec;
  }

  public TrainConfig trainConfig() {
    return config;
  }

  /** The {@code stop early} rule (a fresh copy), or null. */
  public EarlyStopping earlyStopping() {
    return stopping == null ? null : stopping.copy();
  }

  /** The {@code data} file, or null (inline rows, or none). */
  public DataFile data() {
    return data;
  }

  /** The {@code validate} file, or null (a split, or none). */
  public DataFile validation() {
    return validation;
  }

  public double validationSplit() {
    return validationSplit;
  }

  /** A new, untrained network of {@code maxRows} rows. */
  public N newNetwork(int maxRows) {
    return factory.apply(maxRows);
  }

  /** A {@link Model} that trains with this recipe. */
  public Model<N> model() {
    return new Model<>(this);
  }

  /** The raw rows a recipe trains on and validates on (null: no validation). */
  public record Rows(Dataset training, Dataset validation) {}

  /**
   * Reads the training rows and the validation rows (the {@code validate} file, or the rows {@code
   * validate split(f)} holds out), raw: before powers and standardisation.
   *
   * @throws IllegalStateException when the recipe has no data
   * @throws UncheckedIOException when a file cannot be read
   * @throws DataFormatException when a file's rows do not fit the network, naming file and record
   */
  public Rows rows() {
    Dataset all;
    if (inline != null) {
      all = inline;
    } else if (data != null) {
      all = read(data);
    } else {
      throw new IllegalStateException(
          "network "
              + spec.name()
              + ": the recipe has no data: give rows to Model.fit, or a data file with"
              + " Recipe.data");
    }
    if (validationSplit > 0) {
      return splitRows(all);
    }
    return new Rows(all, validation == null ? null : read(validation));
  }

  /** {@code validate split(f)} of {@code all}, or all of it and null without a split. */
  Rows splitRows(Dataset all) {
    if (validationSplit > 0) {
      Datasets.Split split = Datasets.holdOut(all, validationSplit, splitSeed);
      return new Rows(split.first(), split.rest());
    }
    return new Rows(all, null);
  }

  /**
   * The raw rows of {@code file}, resolved as the recipe's data paths are (see {@link #relativeTo})
   * and checked against the network (a test set, say).
   *
   * @throws UncheckedIOException when it cannot be read
   * @throws DataFormatException when its rows do not fit the network, naming file and record
   */
  public Dataset read(DataFile file) {
    try {
      return file.read(folder, spec);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + (folder == null ? Path.of(file.file()) : folder.resolve(file.file())),
          e);
    }
  }

  /**
   * The metrics that fit the task, as {@code nnc train} chooses them: accuracy (and the two-class
   * figures) for softmax or binary cross-entropy, and for squared error whatever the rows call for
   * ({@link Metrics#forData}: RMSE and MAE in the targets' units for a regression).
   */
  public Metrics metrics(Dataset raw, Preprocessing preprocessing) {
    Metrics metrics =
        switch (spec.outputKind()) {
          case LOGITS -> Metrics.classification();
          case PROBABILITIES ->
              spec.outputWidth() == 1 ? Metrics.binary() : Metrics.classification();
          case VALUES -> Metrics.forData(spec, raw, preprocessing);
        };
    return summedLoss ? metrics.withSummedLoss() : metrics;
  }
}
