package dev.nnc.runtime.train;

import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.OptimizerSpec;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.TensorSpec;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.DataFormatException;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Npz;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a {@link Trainer} needs to continue a run exactly where it stood at the end of an
 * epoch, as one NumPy {@code .npz} written atomically (temporary file, then rename: a crash while
 * writing leaves the previous checkpoint whole).
 *
 * <p>Checkpoints are taken <em>only at epoch boundaries</em>, so no half-consumed batch order needs
 * saving. Members:
 *
 * <ul>
 *   <li>{@code nnc.checkpoint}: the format version (1);
 *   <li>{@code identity.network}, {@code identity.recipe}, {@code identity.data}: what the run was
 *       (text stored as UTF-16 code units): the network's layout, the recipe without its length (so
 *       a run may be resumed with more epochs), and a fingerprint of the training rows. A
 *       checkpoint of anything else is refused ({@link CheckpointMismatchException});
 *   <li>{@code position}: epochs done, steps done, the learning rate of the next epoch;
 *   <li>{@code parameters}: the flat parameter vector;
 *   <li>{@code optimizer.velocity} (momentum), {@code optimizer.m}, {@code optimizer.v}, {@code
 *       optimizer.steps} (Adam): the optimizer's state;
 *   <li>{@code rng.state} (two unsigned 32-bit halves, since an {@code .npy} integer read as a
 *       double would round a 64-bit state), {@code rng.spare}: the batching stream;
 *   <li>{@code order}: the row order the next shuffle starts from (shuffles compose);
 *   <li>{@code history} (epochs × (5 + metrics): epoch, steps, mean loss, learning rate, validation
 *       loss, then the metrics named, comma-separated, by {@code history.metrics}) and {@code
 *       history.stopReason}.
 * </ul>
 *
 * <p>Conjugate gradient and L-BFGS keep only their parameters: a resumed run <em>restarts</em> the
 * iteration from them (a steepest-descent first step, an empty L-BFGS memory), so its trajectory
 * differs from an uninterrupted run's. SGD, momentum and Adam resume bit for bit.
 */
public final class Checkpoint {
  static final int FORMAT = 2;

  /** What a checkpoint belongs to; two runs may share a checkpoint only when all three agree. */
  public record Identity(String network, String recipe, String data) {

    /**
     * The identity of training {@code spec} with {@code config} on {@code training}; {@code
     * modelDescription} (activations, loss, …, or null) adds what the spec does not show.
     */
    public static Identity of(
        NetworkSpec spec, String modelDescription, TrainConfig config, Dataset training) {
      StringBuilder network = new StringBuilder(spec.name()).append(':');
      for (TensorSpec tensor : spec.tensors()) {
        network.append(' ').append(tensor.name()).append(' ').append(tensor.rows()).append('x');
        network.append(tensor.cols());
      }
      network.append("; ").append(spec.precision().name().toLowerCase(java.util.Locale.ROOT));
      if (modelDescription != null && !modelDescription.isEmpty()) {
        network.append("; ").append(modelDescription);
      }
      return new Identity(network.toString(), recipe(config), data(training));
    }

    private static String recipe(TrainConfig config) {
      OptimizerSpec optimizer = config.optimizer();
      // spelled as in the .nn file: momentum is an option of sgd
      StringBuilder text =
          new StringBuilder(
              switch (optimizer.kind()) {
                case SGD, MOMENTUM -> "sgd";
                case ADAM -> "adam";
                case CONJUGATE_GRADIENT -> "cg";
                case LBFGS -> "lbfgs";
              });
      switch (optimizer.kind()) {
        case MOMENTUM -> text.append(" momentum=").append(optimizer.momentum());
        case ADAM ->
            text.append(" beta1=")
                .append(optimizer.beta1())
                .append(" beta2=")
                .append(optimizer.beta2())
                .append(" epsilon=")
                .append(optimizer.epsilon());
        case LBFGS -> text.append(" memory=").append(optimizer.memory());
        case SGD, CONJUGATE_GRADIENT -> {}
      }
      if (!optimizer.fullBatchOnly()) {
        text.append(" lr=").append(config.learningRate());
        text.append(" decay=").append(config.decayPerEpoch());
        if (config.schedule() != null) {
          text.append(" schedule=").append(config.schedule().text());
        }
      }
      text.append(" batch=").append(config.batchSize() == 0 ? "full" : config.batchSize());
      if (config.batchSize() != 0) {
        text.append(
            config.withReplacement() ? " with replacement" : config.shuffle() ? " shuffle" : "");
      }
      return text.append(" seed=").append(config.seed()).toString();
    }

    private static String data(Dataset training) {
      long hash = 0x6E6E632D64617461L; // "nnc-data"
      hash = mix(hash, training.rows());
      hash = mix(hash, training.inputWidth());
      hash = mix(hash, training.targetWidth());
      for (double value : training.x()) {
        hash = mix(hash, Double.doubleToLongBits(value));
      }
      if (training.hasLabels()) {
        for (int label : training.labels()) {
          hash = mix(hash, label);
        }
      } else {
        for (double value : training.targets()) {
          hash = mix(hash, Double.doubleToLongBits(value));
        }
      }
      return training.rows()
          + " rows of "
          + training.inputWidth()
          + " inputs, fingerprint "
          + String.format("%016x", hash);
    }

    private static long mix(long hash, long value) {
      long z = (hash ^ value) * 0x9E3779B97F4A7C15L;
      z = (z ^ (z >>> 32)) * 0xBF58476D1CE4E5B9L;
      return z ^ (z >>> 29);
    }
  }

  private final Identity identity;
  private final int epochsDone;
  private final long stepsDone;
  private final double learningRate;
  private final double[] parameters;
  private final Map<String, double[]> optimizerState;
  private final int adamSteps;
  private final Rng.Snapshot rng;
  private final int[] order;
  private final History history;

  /**
   * @param optimizerState by member name without the {@code optimizer.} prefix: {@code velocity},
   *     or {@code m} and {@code v}; empty for SGD, CG and L-BFGS
   * @param rng the batching stream, or null (full-batch optimizers draw nothing)
   * @param order the row order before the next epoch's shuffle, or null
   */
  public Checkpoint(
      Identity identity,
      int epochsDone,
      long stepsDone,
      double learningRate,
      double[] parameters,
      Map<String, double[]> optimizerState,
      int adamSteps,
      Rng.Snapshot rng,
      int[] order,
      History history) {
    this.identity = identity;
    this.epochsDone = epochsDone;
    this.stepsDone = stepsDone;
    this.learningRate = learningRate;
    this.parameters = parameters.clone();
    this.optimizerState = new LinkedHashMap<>();
    optimizerState.forEach((key, value) -> this.optimizerState.put(key, value.clone()));
    this.adamSteps = adamSteps;
    this.rng = rng;
    this.order = order == null ? null : order.clone();
    this.history = history;
  }

  public Identity identity() {
    return identity;
  }

  /** Epochs completed when the checkpoint was taken. */
  public int epochsDone() {
    return epochsDone;
  }

  /** Steps (SGD, momentum, Adam) or iterations (CG, L-BFGS) completed. */
  public long stepsDone() {
    return stepsDone;
  }

  /** The learning rate the next epoch uses (decay already applied). */
  public double learningRate() {
    return learningRate;
  }

  public double[] parameters() {
    return parameters.clone();
  }

  /** A copy of one piece of optimizer state ({@code velocity}, {@code m}, {@code v}), or null. */
  public double[] optimizerState(String name) {
    double[] state = optimizerState.get(name);
    return state == null ? null : state.clone();
  }

  public int adamSteps() {
    return adamSteps;
  }

  /** The batching stream's state, or null. */
  public Rng.Snapshot rng() {
    return rng;
  }

  /** The row order the next shuffle starts from, or null. */
  public int[] order() {
    return order == null ? null : order.clone();
  }

  /** The epochs trained up to the checkpoint. */
  public History history() {
    return history;
  }

  /**
   * Refuses to continue {@code expected} from this checkpoint unless it is the same network, recipe
   * and data; the message names {@code file} and every field that differs.
   */
  public void checkMatches(Identity expected, String file) {
    List<String> differences = new ArrayList<>();
    if (!identity.network().equals(expected.network())) {
      differences.add("network: checkpoint " + identity.network() + ", now " + expected.network());
    }
    if (!identity.recipe().equals(expected.recipe())) {
      differences.add("recipe: checkpoint " + identity.recipe() + ", now " + expected.recipe());
    }
    if (!identity.data().equals(expected.data())) {
      differences.add("training data: checkpoint " + identity.data() + ", now " + expected.data());
    }
    if (!differences.isEmpty()) {
      throw new CheckpointMismatchException(
          file
              + " was written for another "
              + (differences.size() == 1
                  ? differences.get(0).substring(0, differences.get(0).indexOf(':'))
                  : "run")
              + ", refusing to resume from it:\n  "
              + String.join("\n  ", differences));
    }
  }

  /** Writes the checkpoint to {@code file} atomically. */
  public void write(Path file) throws IOException {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    arrays.put("nnc.checkpoint", NpyArray.ofInts(new int[] {FORMAT}, 1));
    arrays.put("identity.network", text(identity.network()));
    arrays.put("identity.recipe", text(identity.recipe()));
    arrays.put("identity.data", text(identity.data()));
    arrays.put(
        "position", NpyArray.ofDoubles(new double[] {epochsDone, stepsDone, learningRate}, 3));
    arrays.put("parameters", NpyArray.ofDoubles(parameters, parameters.length));
    optimizerState.forEach(
        (name, state) -> arrays.put("optimizer." + name, NpyArray.ofDoubles(state, state.length)));
    if (!optimizerState.isEmpty() && optimizerState.containsKey("m")) {
      arrays.put("optimizer.steps", NpyArray.ofInts(new int[] {adamSteps}, 1));
    }
    if (rng != null) {
      long state = rng.state();
      arrays.put(
          "rng.state",
          new NpyArray("<i8", new int[] {2}, new double[] {state >>> 32, state & 0xFFFFFFFFL}));
      arrays.put(
          "rng.spare",
          NpyArray.ofDoubles(new double[] {rng.spareNormal(), rng.hasSpare() ? 1 : 0}, 2));
    }
    if (order != null) {
      arrays.put("order", NpyArray.ofInts(order, order.length));
    }
    List<EpochRecord> epochs = history.epochs();
    List<String> metricNames = history.metricNames();
    int width = 5 + metricNames.size();
    double[] table = new double[epochs.size() * width];
    for (int i = 0; i < epochs.size(); i++) {
      EpochRecord record = epochs.get(i);
      double[] row = {
        record.epoch(),
        record.steps(),
        record.meanLoss(),
        record.learningRate(),
        record.validationLoss()
      };
      System.arraycopy(row, 0, table, i * width, 5);
      for (int j = 0; j < metricNames.size(); j++) {
        table[i * width + 5 + j] = record.metric(metricNames.get(j));
      }
    }
    arrays.put("history", NpyArray.ofDoubles(table, epochs.size(), width));
    arrays.put("history.metrics", text(String.join(",", metricNames)));
    if (history.stopReason() != null) {
      arrays.put("history.stopReason", text(history.stopReason()));
    }
    Npz.write(file, arrays);
  }

  /**
   * Reads a checkpoint written by {@link #write}.
   *
   * @throws DataFormatException if the file is not an nnc checkpoint or is damaged; the message
   *     names the file
   */
  public static Checkpoint read(Path file) throws IOException {
    String name = file.getFileName().toString();
    Map<String, NpyArray> arrays = Npz.read(file);
    if (!arrays.containsKey("nnc.checkpoint")) {
      throw new DataFormatException(name + ": not an nnc checkpoint (no member 'nnc.checkpoint')");
    }
    int format = (int) arrays.get("nnc.checkpoint").scalar();
    if (format != FORMAT) {
      throw new DataFormatException(
          name + ": checkpoint format " + format + ", this nnc reads format " + FORMAT);
    }
    try {
      Identity identity =
          new Identity(
              text(Npz.member(arrays, name, "identity.network")),
              text(Npz.member(arrays, name, "identity.recipe")),
              text(Npz.member(arrays, name, "identity.data")));
      double[] position = Npz.member(arrays, name, "position").data();
      double[] parameters = Npz.member(arrays, name, "parameters").data();
      Map<String, double[]> state = new LinkedHashMap<>();
      for (String key : List.of("velocity", "m", "v")) {
        NpyArray array = arrays.get("optimizer." + key);
        if (array != null) {
          state.put(key, array.data());
        }
      }
      NpyArray stepsArray = arrays.get("optimizer.steps");
      int adamSteps = stepsArray == null ? 0 : (int) stepsArray.scalar();
      Rng.Snapshot rng = null;
      if (arrays.containsKey("rng.state")) {
        double[] halves = arrays.get("rng.state").data();
        double[] spare = Npz.member(arrays, name, "rng.spare").data();
        rng =
            new Rng.Snapshot(((long) halves[0] << 32) | (long) halves[1], spare[0], spare[1] != 0);
      }
      int[] order = arrays.containsKey("order") ? arrays.get("order").asInts() : null;
      double[] table = Npz.member(arrays, name, "history").data();
      String joined = text(Npz.member(arrays, name, "history.metrics"));
      List<String> metricNames = joined.isEmpty() ? List.of() : List.of(joined.split(","));
      int width = 5 + metricNames.size();
      List<EpochRecord> epochs = new ArrayList<>();
      for (int i = 0; i + width <= table.length; i += width) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int j = 0; j < metricNames.size(); j++) {
          if (!Double.isNaN(table[i + 5 + j])) {
            metrics.put(metricNames.get(j), table[i + 5 + j]);
          }
        }
        epochs.add(
            new EpochRecord(
                (int) table[i],
                (int) table[i + 1],
                table[i + 2],
                table[i + 3],
                table[i + 4],
                metrics));
      }
      String stopReason =
          arrays.containsKey("history.stopReason") ? text(arrays.get("history.stopReason")) : null;
      return new Checkpoint(
          identity,
          (int) position[0],
          (long) position[1],
          position[2],
          parameters,
          state,
          adamSteps,
          rng,
          order,
          new History(epochs, stopReason));
    } catch (ArrayIndexOutOfBoundsException | IllegalStateException e) {
      throw new DataFormatException(name + ": damaged checkpoint (" + e.getMessage() + ")", e);
    }
  }

  private static NpyArray text(String text) {
    int[] units = new int[text.length()];
    for (int i = 0; i < units.length; i++) {
      units[i] = text.charAt(i);
    }
    return new NpyArray("<i4", new int[] {units.length}, toDoubles(units));
  }

  private static String text(NpyArray array) {
    StringBuilder text = new StringBuilder();
    for (int unit : array.asInts()) {
      text.append((char) unit);
    }
    return text.toString();
  }

  private static double[] toDoubles(int[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
