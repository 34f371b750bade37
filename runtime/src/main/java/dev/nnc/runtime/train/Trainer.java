package dev.nnc.runtime.train;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.FixedBatch;
import dev.nnc.runtime.LearningRateSchedule;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.OptimizerSpec;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.optim.Adam;
import dev.nnc.runtime.optim.ConjugateGradient;
import dev.nnc.runtime.optim.Lbfgs;
import dev.nnc.runtime.optim.Minimizer;
import dev.nnc.runtime.optim.Momentum;
import dev.nnc.runtime.optim.NetworkObjective;
import dev.nnc.runtime.optim.StepOptimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link TrainConfig} with the optimizer it names.
 *
 * <p>SGD, momentum and Adam take steps on batches: every step {@code loss =
 * network.lossAndGradient(batch)}, then {@code network.sgdStep(lr)} for SGD, or a {@link Momentum}
 * or {@link Adam} update of the flat parameter vector (its state allocated once per {@link #train}
 * call).
 *
 * <p>Batching: batch size 0 = the whole training set every step (one step per epoch); batch N = the
 * rows in order, or reshuffled before every epoch, in ⌈m / N⌉ steps (the last one smaller when N
 * does not divide m); with replacement = N rows drawn uniformly each step, max(m / N, 1) steps an
 * epoch. The learning rate is multiplied by the decay after every epoch, or with a {@link
 * LearningRateSchedule} set to its rate at the start of every epoch. With a step budget the last
 * epoch may end part-way.
 *
 * <p>All randomness comes from one {@link Rng} seeded with {@code config.seed()} XOR a fixed
 * constant, so batching never replays the stream that initialisation ({@code new Rng(seed)}) used.
 * One {@link Batch} is allocated up front and refilled: a step allocates nothing.
 *
 * <p>Each epoch's {@link EpochRecord}, as Keras reports an epoch: the loss and the training metrics
 * ({@link #measureTrainingMetrics}) are running figures over the epoch's steps, taken from each
 * step's own forward pass ({@link Network#lastOutputs}); the validation loss and metrics ({@link
 * #validateOn}) are measured after the epoch, both from one forward pass. Their buffers are
 * allocated once per {@link #train} call: measuring an epoch allocates nothing but its record.
 *
 * <p>A loss that is not finite stops training at once: the parameters are restored to their copy
 * from the start of the epoch and a {@link TrainingDivergedException} names the epoch and step.
 *
 * <p>Checkpoints ({@link #checkpointEvery}) are taken at epoch boundaries only, after the epoch's
 * record and the learning-rate decay: parameters, optimizer state, the batching stream and row
 * order, the position and the history (see {@link Checkpoint}). A checkpoint is never written from
 * a diverged state: before writing, the parameters must be finite, else training stops as for a
 * non-finite loss and the previous checkpoint stays. {@link #resumeFrom} continues such a
 * checkpoint; for SGD, momentum and Adam the result is bit-identical to an uninterrupted run, for
 * CG and L-BFGS the iteration restarts from the saved parameters.
 *
 * <p>Conjugate gradient ({@link ConjugateGradient}, fmincg) and {@link Lbfgs} need batch size 0:
 * they minimise the loss on the whole training set as a pure function of the flat parameter vector
 * ({@link NetworkObjective}), one iteration (line search) per epoch, or per step with a step
 * budget. Each epoch records the cost <em>after</em> its iteration (SGD records the loss before its
 * updates), steps = 1 and a learning rate of NaN. A non-finite cost stops training as for SGD. When
 * the optimizer cannot make progress (a line search failed twice in a row) the run ends early, its
 * epoch recorded, and {@link History#stopReason()} says why; the network ends at the optimizer's
 * final parameters.
 */
public final class Trainer {
  /** Mixed into the seed so batching and initialisation draw different streams ("batchnnc"). */
  static final long BATCHING_STREAM = 0x626174636E6E6300L;

  private final Network network;
  private final TrainConfig config;
  private final List<TrainListener> listeners = new ArrayList<>();
  private Dataset validation;
  private boolean measureTrainingMetrics;
  private Metrics metrics;
  private EarlyStopping earlyStopping;
  private int checkpointEvery;
  private Path checkpointFile;
  private Checkpoint resume;
  private String resumeSource;
  private String modelDescription;

  public Trainer(Network network, TrainConfig config) {
    if (!(config.decayPerEpoch() > 0) || !Double.isFinite(config.decayPerEpoch())) {
      throw new IllegalArgumentException(
          "the learning-rate decay per epoch must be positive (1 = none), got "
              + config.decayPerEpoch());
    }
    if (config.optimizer().fullBatchOnly() && config.batchSize() != 0) {
      throw new IllegalArgumentException(
          describe(config.optimizer().kind())
              + " evaluates the whole training set at every point: it needs batch 0 (full batch),"
              + " got batch "
              + config.batchSize());
    }
    if (config.optimizer().fullBatchOnly() && config.schedule() != null) {
      throw new IllegalArgumentException(
          describe(config.optimizer().kind())
              + " takes no learning rate, so no schedule: got "
              + config.schedule().text());
    }
    this.network = network;
    this.config = config;
    newStepOptimizer(); // refuses bad momentum or Adam settings now rather than in train()
  }

  private static String describe(OptimizerSpec.Kind kind) {
    return kind == OptimizerSpec.Kind.LBFGS ? "L-BFGS" : "conjugate gradient";
  }

  /** Momentum or Adam with fresh state; null for SGD (the network's own sgdStep) and CG/L-BFGS. */
  private StepOptimizer newStepOptimizer() {
    return newStepOptimizer(config, network.spec().parameterCount());
  }

  /** {@code config}'s momentum or Adam for {@code dimension} parameters; null for the others. */
  static StepOptimizer newStepOptimizer(TrainConfig config, int dimension) {
    OptimizerSpec optimizer = config.optimizer();
    return switch (optimizer.kind()) {
      case MOMENTUM -> new Momentum(dimension, optimizer.momentum());
      case ADAM -> new Adam(dimension, optimizer.beta1(), optimizer.beta2(), optimizer.epsilon());
      case SGD, CONJUGATE_GRADIENT, LBFGS -> null;
    };
  }

  /** Adds a listener, called in the order added. */
  public Trainer addListener(TrainListener listener) {
    listeners.add(listener);
    return this;
  }

  /**
   * Measures the loss and the {@link Metrics} on {@code validationData} (preprocessed like the
   * training data) after every epoch, at the parameters it ends with and without dropout: {@link
   * EpochRecord#validationLoss()} and the {@code val_…} metrics, both from one forward pass (its
   * buffers allocated once per {@link #train}).
   */
  public Trainer validateOn(Dataset validationData) {
    this.validation = validationData;
    return this;
  }

  /**
   * Also reports the {@link Metrics} of the training rows, as {@code train_…}: with SGD, momentum
   * and Adam the running figures of the epoch, as Keras reports them (and as the {@code loss}
   * column is the mean of the steps' losses): the figures of every row the epoch's steps took, from
   * the outputs of each step's own forward pass, before its update and with its dropout; with CG
   * and L-BFGS, whose iteration evaluates the whole set at other points, the whole training set
   * measured at the parameters the epoch ends with. Off by default.
   */
  public Trainer measureTrainingMetrics(boolean measure) {
    this.measureTrainingMetrics = measure;
    return this;
  }

  /**
   * The metrics to measure; by default {@link Metrics#forData} on the training data (without
   * de-standardisation for a regression).
   */
  public Trainer metrics(Metrics chosen) {
    this.metrics = chosen;
    return this;
  }

  /**
   * Ends training early when {@code stopping} says so after an epoch ({@link History#stopReason()}
   * then says why), and with its restoreBest puts the best epoch's parameters back at the end. A
   * resumed run starts its patience afresh.
   */
  public Trainer stopEarly(EarlyStopping stopping) {
    this.earlyStopping = stopping;
    return this;
  }

  /**
   * Writes a {@link Checkpoint} to {@code file} (atomically) after every {@code epochs} epochs and
   * after the last one. A failure to write is an {@link UncheckedIOException} that ends training.
   */
  public Trainer checkpointEvery(int epochs, Path file) {
    if (epochs < 1) {
      throw new IllegalArgumentException("checkpoint every N epochs needs N ≥ 1, got " + epochs);
    }
    this.checkpointEvery = epochs;
    this.checkpointFile = file;
    return this;
  }

  /**
   * Continues from {@code checkpoint} instead of from the network's current parameters; {@link
   * #train} refuses it ({@link CheckpointMismatchException}) unless it was written for the same
   * network, recipe (the number of epochs or steps aside) and training data.
   *
   * @param source the checkpoint's file name, for messages
   */
  public Trainer resumeFrom(Checkpoint checkpoint, String source) {
    this.resume = checkpoint;
    this.resumeSource = source;
    return this;
  }

  /**
   * What the {@link NetworkSpec} does not show about the network (activations, loss, penalty),
   * recorded in checkpoints so that one of a different network is refused.
   */
  public Trainer describeModel(String description) {
    this.modelDescription = description;
    return this;
  }

  /** The identity checkpoints of this trainer on {@code training} carry. */
  public Checkpoint.Identity identity(Dataset training) {
    return Checkpoint.Identity.of(network.spec(), modelDescription, config, training);
  }

  /** The seed of the batching stream for a config seed. */
  static long batchingSeed(long configSeed) {
    return configSeed ^ BATCHING_STREAM;
  }

  /**
   * Trains on {@code training} (already preprocessed to the network's input width) and returns one
   * record per epoch.
   *
   * @throws TrainingDivergedException when a loss is not finite; parameters then are those at the
   *     start of the failing epoch
   */
  public History train(Dataset training) {
    NetworkSpec spec = network.spec();
    checkFits(spec, training, "training");
    if (validation != null) {
      checkFits(spec, validation, "validation");
    }
    Metrics active = metrics != null ? metrics : Metrics.forData(spec, training, null);
    if (config.optimizer().fullBatchOnly()) {
      return trainFullBatch(training, active);
    }
    int m = training.rows();
    boolean fullBatch = config.batchSize() == 0;
    boolean withReplacement = !fullBatch && config.withReplacement();
    boolean shuffle = !fullBatch && !withReplacement && config.shuffle();
    int batchRows =
        fullBatch ? m : withReplacement ? config.batchSize() : Math.min(config.batchSize(), m);
    if (batchRows > network.maxRows()) {
      throw new IllegalArgumentException(
          "batches of "
              + batchRows
              + " rows, but network "
              + spec.name()
              + " has buffers for "
              + network.maxRows());
    }
    int stepsPerEpoch =
        fullBatch ? 1 : withReplacement ? Math.max(m / batchRows, 1) : ceilDiv(m, batchRows);
    long totalSteps = config.steps() > 0 ? config.steps() : (long) config.epochs() * stepsPerEpoch;

    Batch batch = network.newBatch(batchRows); // float rows for a float network
    // the training metrics: running figures over the outputs of the epoch's steps (Keras' way)
    MetricSums running =
        measureTrainingMetrics ? new MetricSums(active, spec, stepsPerEpoch * batchRows) : null;
    double[] stepOutputs = running == null ? null : new double[batchRows * spec.outputWidth()];
    Evaluation validating = validating(active);
    Rng rng = new Rng(batchingSeed(config.seed()));
    int[] order = new int[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    int[] drawn = withReplacement ? new int[batchRows] : null;
    StepOptimizer stepOptimizer = newStepOptimizer();
    double[] lastGood = new double[spec.parameterCount()];
    List<EpochRecord> records = new ArrayList<>();
    network.setPenaltyExampleCount(m);
    if (fullBatch) {
      fill(batch, training, order, 0, m); // the same rows every step: fill once
    }

    double learningRate = config.learningRate();
    long done = 0;
    int firstEpoch = 1;
    Checkpoint.Identity identity =
        checkpointFile != null || resume != null ? identity(training) : null;
    if (resume != null) {
      resume.checkMatches(identity, resumeSource);
      network.setParameters(checkedLength(resume.parameters(), spec));
      restoreOptimizer(stepOptimizer, resume);
      if (resume.rng() != null) {
        rng = Rng.restore(resume.rng());
      }
      if (resume.order() != null) {
        int[] saved = resume.order();
        if (saved.length != m) {
          throw new CheckpointMismatchException(
              resumeSource + ": row order of " + saved.length + " rows, the data has " + m);
        }
        order = saved;
      }
      records.addAll(resume.history().epochs());
      done = resume.stepsDone();
      learningRate = resume.learningRate();
      firstEpoch = resume.epochsDone() + 1;
    }
    String stopReason = null;
    LearningRateSchedule schedule = config.schedule();
    int scheduledEpochs = (int) ((totalSteps + stepsPerEpoch - 1) / stepsPerEpoch);
    for (int epoch = firstEpoch; done < totalSteps; epoch++) {
      if (schedule != null) {
        learningRate = schedule.rate(config.learningRate(), epoch, scheduledEpochs);
      }
      network.getParameters(lastGood);
      if (shuffle) {
        rng.shuffle(order);
      }
      int steps = (int) Math.min(stepsPerEpoch, totalSteps - done);
      double lossSum = 0;
      if (running != null) {
        running.reset();
      }
      for (int step = 1; step <= steps; step++) {
        if (withReplacement) {
          for (int i = 0; i < batchRows; i++) {
            drawn[i] = rng.nextInt(m);
          }
          fill(batch, training, drawn, 0, batchRows);
        } else if (!fullBatch) {
          int start = (step - 1) * batchRows;
          fill(batch, training, order, start, Math.min(batchRows, m - start));
        }
        // dropout's masks: a function of the seed and the steps done, so a resumed run draws
        // the same ones
        network.setDropout(config.seed(), done);
        double loss = network.lossAndGradient(batch);
        if (!Double.isFinite(loss)) {
          network.setDropout(config.seed(), -1);
          network.setParameters(lastGood);
          throw new TrainingDivergedException(epoch, step, loss, new History(records));
        }
        if (running != null) {
          // the outputs of the step's own forward pass, before its update (with its dropout)
          int rows = batch.rows();
          if (!network.lastOutputs(rows, stepOutputs)) {
            network.predict(batch.x, rows, stepOutputs);
          }
          running.add(stepOutputs, batch, rows);
        }
        if (stepOptimizer == null) {
          network.sgdStep(learningRate);
        } else {
          stepOptimizer.step(network, learningRate);
        }
        lossSum += loss;
        done++;
        for (TrainListener listener : listeners) {
          listener.onStep(epoch, step, loss);
        }
      }
      network.setDropout(config.seed(), -1); // the epoch's figures are measured without dropout
      EpochRecord record = record(epoch, steps, lossSum / steps, learningRate, running, validating);
      records.add(record);
      for (TrainListener listener : listeners) {
        listener.onEpoch(record);
      }
      boolean stop = earlyStopping != null && earlyStopping.update(record, network);
      learningRate *= config.decayPerEpoch();
      // A step budget may end part-way through an epoch: no checkpoint there, as a resumed run
      // could not tell which of the epoch's batches are left.
      if (checkpointFile != null
          && steps == stepsPerEpoch
          && (epoch % checkpointEvery == 0 || done >= totalSteps || stop)) {
        double[] parameters = finiteParameters(lastGood, epoch, steps, records);
        Map<String, double[]> state = new LinkedHashMap<>();
        int adamSteps = 0;
        if (stepOptimizer instanceof Momentum momentum) {
          state.put("velocity", momentum.velocity());
        } else if (stepOptimizer instanceof Adam adam) {
          state.put("m", adam.firstMoment());
          state.put("v", adam.secondMoment());
          adamSteps = adam.steps();
        }
        write(
            new Checkpoint(
                identity,
                epoch,
                done,
                learningRate,
                parameters,
                state,
                adamSteps,
                rng.snapshot(),
                order,
                new History(records, stop ? earlyStopping.stopReason() : null)));
      }
      if (stop) {
        stopReason = earlyStopping.stopReason();
        break;
      }
    }
    if (checkpointFile == null && !records.isEmpty()) {
      finiteParameters(
          lastGood,
          records.get(records.size() - 1).epoch(),
          records.get(records.size() - 1).steps(),
          records);
    }
    restoreBest(records);
    return new History(records, stopReason);
  }

  /** With early stopping's restoreBest, the best epoch's parameters. */
  private void restoreBest(List<EpochRecord> records) {
    if (earlyStopping != null && !records.isEmpty()) {
      earlyStopping.restore(network, records.get(records.size() - 1).epoch());
    }
  }

  /**
   * The current parameters, or a {@link TrainingDivergedException} (parameters put back to {@code
   * lastGood}) when one is not finite: the last update can overflow without a loss seeing it.
   */
  private double[] finiteParameters(
      double[] lastGood, int epoch, int step, List<EpochRecord> records) {
    double[] parameters = new double[network.spec().parameterCount()];
    network.getParameters(parameters);
    for (double value : parameters) {
      if (!Double.isFinite(value)) {
        network.setParameters(lastGood);
        throw new TrainingDivergedException(
            epoch, step, value, new History(records.subList(0, records.size() - 1)), true);
      }
    }
    return parameters;
  }

  private void write(Checkpoint checkpoint) {
    try {
      checkpoint.write(checkpointFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the checkpoint " + checkpointFile, e);
    }
  }

  private double[] checkedLength(double[] parameters, NetworkSpec spec) {
    if (parameters.length != spec.parameterCount()) {
      throw new CheckpointMismatchException(
          resumeSource
              + ": "
              + parameters.length
              + " parameters, network "
              + spec.name()
              + " has "
              + spec.parameterCount());
    }
    return parameters;
  }

  private void restoreOptimizer(StepOptimizer stepOptimizer, Checkpoint checkpoint) {
    if (stepOptimizer instanceof Momentum momentum) {
      momentum.restoreVelocity(required(checkpoint, "velocity"));
    } else if (stepOptimizer instanceof Adam adam) {
      adam.restore(required(checkpoint, "m"), required(checkpoint, "v"), checkpoint.adamSteps());
    }
  }

  private double[] required(Checkpoint checkpoint, String name) {
    double[] state = checkpoint.optimizerState(name);
    if (state == null) {
      throw new CheckpointMismatchException(
          resumeSource + ": no optimizer state '" + name + "' for " + config.optimizer().kind());
    }
    return state;
  }

  /** CG or L-BFGS: one iteration per epoch on the whole training set. */
  private History trainFullBatch(Dataset training, Metrics active) {
    NetworkSpec spec = network.spec();
    int m = training.rows();
    if (m > network.maxRows()) {
      throw new IllegalArgumentException(
          describe(config.optimizer().kind())
              + " needs the whole training set ("
              + m
              + " rows) in one batch, but network "
              + spec.name()
              + " has buffers for "
              + network.maxRows());
    }
    network.setPenaltyExampleCount(m);
    NetworkObjective objective = new NetworkObjective(network, FixedBatch.of(spec, training));
    // one CG or L-BFGS iteration is many evaluations of the whole set, none of them necessarily at
    // the parameters it ends with: the training metrics are measured there, on the whole set
    Evaluation measuring =
        measureTrainingMetrics ? new Evaluation(network, active, training, false, true) : null;
    Evaluation validating = validating(active);
    double[] lastGood = new double[spec.parameterCount()];
    double[] current = new double[spec.parameterCount()];
    List<EpochRecord> records = new ArrayList<>();
    int firstEpoch = 1;
    Checkpoint.Identity identity =
        checkpointFile != null || resume != null ? identity(training) : null;
    if (resume != null) {
      // CG and L-BFGS keep no state in a checkpoint: the iteration restarts from its parameters.
      resume.checkMatches(identity, resumeSource);
      network.setParameters(checkedLength(resume.parameters(), spec));
      records.addAll(resume.history().epochs());
      firstEpoch = resume.epochsDone() + 1;
    }
    network.getParameters(lastGood);
    Minimizer minimizer =
        config.optimizer().kind() == OptimizerSpec.Kind.LBFGS
            ? new Lbfgs(objective, lastGood, config.optimizer().memory())
            : new ConjugateGradient(objective, lastGood);
    if (!Double.isFinite(minimizer.cost())) {
      network.setParameters(lastGood);
      throw new TrainingDivergedException(firstEpoch, 1, minimizer.cost(), new History(records));
    }
    long iterations = config.steps() > 0 ? config.steps() : config.epochs();
    String stopReason = null;
    for (int epoch = firstEpoch; epoch <= iterations; epoch++) {
      boolean progressing = minimizer.iterate();
      double cost = minimizer.cost();
      // The last evaluation may have been a rejected trial point: load the optimizer's own.
      minimizer.copyParameters(current);
      network.setParameters(current);
      if (!Double.isFinite(cost)) {
        network.setParameters(lastGood);
        throw new TrainingDivergedException(epoch, 1, cost, new History(records));
      }
      for (TrainListener listener : listeners) {
        listener.onStep(epoch, 1, cost);
      }
      if (measuring != null) {
        measuring.run();
      }
      EpochRecord record =
          record(
              epoch, 1, cost, Double.NaN, measuring == null ? null : measuring.sums(), validating);
      records.add(record);
      for (TrainListener listener : listeners) {
        listener.onEpoch(record);
      }
      System.arraycopy(current, 0, lastGood, 0, current.length);
      if (earlyStopping != null && earlyStopping.update(record, network) && progressing) {
        stopReason = earlyStopping.stopReason();
      }
      if (!progressing) {
        stopReason =
            describe(config.optimizer().kind())
                + " stopped after "
                + epoch
                + " of "
                + iterations
                + " iterations: "
                + minimizer.stopReason();
      }
      if (checkpointFile != null
          && (epoch % checkpointEvery == 0 || epoch == iterations || stopReason != null)) {
        write(
            new Checkpoint(
                identity,
                epoch,
                epoch,
                Double.NaN,
                current,
                Map.of(),
                0,
                null,
                null,
                new History(records, stopReason)));
      }
      if (stopReason != null) {
        break;
      }
    }
    restoreBest(records);
    return new History(records, stopReason);
  }

  /** The measurement of the validation set, its buffers kept across epochs; null without one. */
  private Evaluation validating(Metrics active) {
    return validation == null ? null : new Evaluation(network, active, validation, true, true);
  }

  /**
   * The epoch's record: the training metrics from {@code trainingSums} (null: not measured), the
   * validation loss and metrics measured now, at the parameters the epoch ends with, in one pass.
   */
  private static EpochRecord record(
      int epoch,
      int steps,
      double loss,
      double learningRate,
      MetricSums trainingSums,
      Evaluation validating) {
    Map<String, Double> figures = new LinkedHashMap<>();
    if (trainingSums != null) {
      trainingSums.putFigures(figures, "train_");
    }
    double validationLoss = Double.NaN;
    if (validating != null) {
      validationLoss = validating.run();
      validating.sums().putFigures(figures, "val_");
    }
    return new EpochRecord(epoch, steps, loss, learningRate, validationLoss, figures);
  }

  /**
   * Copies rows {@code rows[from .. from + count)} of {@code data} into the batch (MNIST's images
   * decoded from their bytes: {@link Dataset#copyInputs}; a float batch's rows as floats).
   */
  private static void fill(Batch batch, Dataset data, int[] rows, int from, int count) {
    int targets = data.targetWidth();
    for (int i = 0; i < count; i++) {
      int row = rows[from + i];
      batch.setInputs(i, data, row);
      if (batch.labels != null) {
        batch.labels[i] = data.labels()[row];
      } else {
        System.arraycopy(data.targets(), row * targets, batch.targets, i * targets, targets);
      }
    }
    batch.setRows(count);
  }

  private static void checkFits(NetworkSpec spec, Dataset data, String role) {
    String what = role + " data (" + data.source() + ")";
    if (data.rows() == 0) {
      throw new IllegalArgumentException(what + " has no rows");
    }
    if (data.inputWidth() != spec.inputWidth()) {
      throw new IllegalArgumentException(
          what
              + " has "
              + data.inputWidth()
              + (data.inputWidth() == 1 ? " input column" : " input columns")
              + ", network "
              + spec.name()
              + " expects "
              + spec.inputWidth()
              + (data.inputWidth() == spec.rawInputWidth() ? " (apply Preprocessing first)" : ""));
    }
    boolean wantsLabels = spec.targetKind() == NetworkSpec.TargetKind.LABELS;
    if (wantsLabels != data.hasLabels()) {
      throw new IllegalArgumentException(
          what
              + " has "
              + (data.hasLabels() ? "labels" : "dense targets")
              + ", network "
              + spec.name()
              + " expects "
              + (wantsLabels ? "labels" : "dense targets"));
    }
    if (wantsLabels) {
      int[] labels = data.labels();
      for (int r = 0; r < labels.length; r++) {
        if (labels[r] < 0 || labels[r] >= spec.targetWidth()) {
          throw new IllegalArgumentException(
              what
                  + ": label "
                  + labels[r]
                  + " in row "
                  + r
                  + " is outside 0.."
                  + (spec.targetWidth() - 1));
        }
      }
    } else if (data.targetWidth() != spec.targetWidth()) {
      throw new IllegalArgumentException(
          what
              + " has "
              + data.targetWidth()
              + (data.targetWidth() == 1 ? " target column" : " target columns")
              + ", network "
              + spec.name()
              + " expects "
              + spec.targetWidth());
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
