package dev.nnc.runtime.train;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link TrainConfig} with plain SGD: every step {@code loss =
 * network.lossAndGradient(batch); network.sgdStep(lr)}.
 *
 * <p>Batching: batch size 0 = the whole training set every step (one step per epoch); batch N = the
 * rows in order, or reshuffled before every epoch, in ⌈m / N⌉ steps (the last one smaller when N
 * does not divide m); with replacement = N rows drawn uniformly each step, max(m / N, 1) steps an
 * epoch. The learning rate is multiplied by the decay after every epoch. With a step budget the
 * last epoch may end part-way.
 *
 * <p>All randomness comes from one {@link Rng} seeded with {@code config.seed()} XOR a fixed
 * constant, so batching never replays the stream that initialisation ({@code new Rng(seed)}) used.
 * One {@link Batch} is allocated up front and refilled: a step allocates nothing.
 *
 * <p>A loss that is not finite stops training at once: the parameters are restored to their copy
 * from the start of the epoch and a {@link TrainingDivergedException} names the epoch and step.
 */
public final class Trainer {
  /** Mixed into the seed so batching and initialisation draw different streams ("batchnnc"). */
  static final long BATCHING_STREAM = 0x626174636E6E6300L;

  private final Network network;
  private final TrainConfig config;
  private final List<TrainListener> listeners = new ArrayList<>();
  private Dataset validation;
  private boolean measureTrainingAccuracy;

  public Trainer(Network network, TrainConfig config) {
    if (!(config.decayPerEpoch() > 0) || !Double.isFinite(config.decayPerEpoch())) {
      throw new IllegalArgumentException(
          "the learning-rate decay per epoch must be positive (1 = none), got "
              + config.decayPerEpoch());
    }
    this.network = network;
    this.config = config;
  }

  /** Adds a listener, called in the order added. */
  public Trainer addListener(TrainListener listener) {
    listeners.add(listener);
    return this;
  }

  /**
   * Measures accuracy on {@code validationData} (preprocessed like the training data) after every
   * epoch.
   */
  public Trainer validateOn(Dataset validationData) {
    this.validation = validationData;
    return this;
  }

  /**
   * Also measures accuracy on the whole training set after every epoch (off by default: it costs a
   * forward pass).
   */
  public Trainer measureTrainingAccuracy(boolean measure) {
    this.measureTrainingAccuracy = measure;
    return this;
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

    Batch batch = Batch.forSpec(spec, batchRows);
    Rng rng = new Rng(batchingSeed(config.seed()));
    int[] order = new int[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    int[] drawn = withReplacement ? new int[batchRows] : null;
    double[] lastGood = new double[spec.parameterCount()];
    List<EpochRecord> records = new ArrayList<>();
    network.setPenaltyExampleCount(m);
    if (fullBatch) {
      fill(batch, training, order, 0, m); // the same rows every step: fill once
    }

    double learningRate = config.learningRate();
    long done = 0;
    for (int epoch = 1; done < totalSteps; epoch++) {
      network.getParameters(lastGood);
      if (shuffle) {
        rng.shuffle(order);
      }
      int steps = (int) Math.min(stepsPerEpoch, totalSteps - done);
      double lossSum = 0;
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
        double loss = network.lossAndGradient(batch);
        if (!Double.isFinite(loss)) {
          network.setParameters(lastGood);
          throw new TrainingDivergedException(epoch, step, loss, new History(records));
        }
        network.sgdStep(learningRate);
        lossSum += loss;
        done++;
        for (TrainListener listener : listeners) {
          listener.onStep(epoch, step, loss);
        }
      }
      EpochRecord record =
          new EpochRecord(
              epoch,
              steps,
              lossSum / steps,
              learningRate,
              measureTrainingAccuracy ? Accuracy.of(network, training) : Double.NaN,
              validation != null ? Accuracy.of(network, validation) : Double.NaN);
      records.add(record);
      for (TrainListener listener : listeners) {
        listener.onEpoch(record);
      }
      learningRate *= config.decayPerEpoch();
    }
    return new History(records);
  }

  /** Copies rows {@code rows[from .. from + count)} of {@code data} into the batch. */
  private static void fill(Batch batch, Dataset data, int[] rows, int from, int count) {
    int inputs = data.inputWidth();
    int targets = data.targetWidth();
    for (int i = 0; i < count; i++) {
      int row = rows[from + i];
      System.arraycopy(data.x(), row * inputs, batch.x, i * inputs, inputs);
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
              + " input columns, network "
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
              + " target columns, network "
              + spec.name()
              + " expects "
              + spec.targetWidth());
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
