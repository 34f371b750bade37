package dev.nnc.spark;

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
import dev.nnc.runtime.optim.Objective;
import dev.nnc.runtime.optim.StepOptimizer;
import dev.nnc.runtime.parallel.BlockSums;
import dev.nnc.runtime.parallel.BlockTree;
import dev.nnc.runtime.parallel.DataParallel;
import dev.nnc.runtime.train.Checkpoint;
import dev.nnc.runtime.train.CheckpointMismatchException;
import dev.nnc.runtime.train.EpochRecord;
import dev.nnc.runtime.train.History;
import dev.nnc.runtime.train.TrainListener;
import dev.nnc.runtime.train.TrainingDivergedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;

/**
 * Trains a generated network on a Spark {@code Dataset<Row>}, with the optimizer on the driver and
 * the rows where they live, and gives the same bits as the single-machine run with the same blocks
 * ({@link #trainLocal}), whatever the partition count, the executors, the order tasks finish or the
 * retries.
 *
 * <p>How: the rows, in the Dataset's order, are cut into the generated network's own fixed blocks
 * of {@code BLOCK_ROWS} rows ({@link DataParallel#blockRows()}: a constant of the network, never of
 * the cluster); every block's loss and gradient is the network's {@link
 * DataParallel#blockLossAndGradient(dev.nnc.runtime.Batch, int, int, double[])}, and the blocks are
 * summed in the fixed pairwise tree of {@link BlockSums#pairwise(double[][], int, double[])} over
 * global block indices, piecewise where the blocks live ({@link BlockTree}). The preprocessing's
 * means and standard deviations are fitted the same way (two passes: sums, then squared
 * deviations). A network of unrolled layers only (no {@code DataParallel}) uses blocks of {@link
 * #UNROLLED_BLOCK_ROWS} rows, each its whole-step loss and gradient weighted by its rows.
 *
 * <ul>
 *   <li>L-BFGS and conjugate gradient ({@code batch full}): one distributed loss-and-gradient per
 *       evaluation, the runtime's {@link Lbfgs} / {@link ConjugateGradient} on the driver; an epoch
 *       is one iteration.
 *   <li>SGD, momentum, Adam: synchronous minibatches of whole blocks, {@code batch / blockRows}
 *       blocks a step, drawn from the recipe's seed (the block order reshuffled every epoch, or
 *       blocks drawn with replacement); {@code batch full} = every block every step. One job a
 *       step: the chosen blocks are computed on the executors that hold them.
 * </ul>
 *
 * <p>Checkpoints are the runtime's {@link Checkpoint} format, written on the driver at epoch
 * boundaries; their data identity is a fingerprint of the blocks, and the recipe records the block
 * size. Resuming SGD, momentum or Adam continues bit for bit; CG and L-BFGS restart their iteration
 * from the saved parameters, as {@code nnc train --resume} does.
 */
public final class SparkTrainer {
  /** Rows per block of a network of unrolled layers only, which has no blocks of its own. */
  public static final int UNROLLED_BLOCK_ROWS = 1024;

  /** Mixed into the seed so batching and initialisation draw different streams (as Trainer). */
  static final long BATCHING_STREAM = 0x626174636E6E6300L;

  private final SparkModel model;
  private TrainConfig config;
  private int partitions;
  private int treeDepth = 2;
  private List<String> featureColumns;
  private List<String> targetColumns;
  private String source = "the Dataset";
  private int checkpointEvery;
  private Path checkpointFile;
  private boolean resume;
  private final List<TrainListener> listeners = new ArrayList<>();

  public SparkTrainer(SparkModel model) {
    this.model = model;
    this.config = model.trainConfig().orElse(null);
  }

  /** The recipe (the {@code .nn} file's {@code train} block by default). */
  public SparkTrainer config(TrainConfig recipe) {
    this.config = recipe;
    return this;
  }

  /**
   * How many partitions hold the blocks (rounded so each holds a power-of-two run of blocks);
   * default: the input's partition count. Does not change the result.
   */
  public SparkTrainer partitions(int count) {
    this.partitions = count;
    return this;
  }

  /** The depth of Spark's {@code treeAggregate} (default 2). Does not change the result. */
  public SparkTrainer treeDepth(int depth) {
    this.treeDepth = depth;
    return this;
  }

  /** The input columns: one array column or {@code rawInputWidth} numeric columns. */
  public SparkTrainer features(String... columns) {
    this.featureColumns = List.of(columns);
    return this;
  }

  /** The target columns (one array column or as many as the target width), or the label column. */
  public SparkTrainer targets(String... columns) {
    this.targetColumns = List.of(columns);
    return this;
  }

  /** What the data is called in error messages (a path, a table name). */
  public SparkTrainer source(String name) {
    this.source = name;
    return this;
  }

  public SparkTrainer addListener(TrainListener listener) {
    listeners.add(listener);
    return this;
  }

  /**
   * Writes a checkpoint to {@code file} (atomically) every {@code epochs} epochs and at the end.
   */
  public SparkTrainer checkpointEvery(int epochs, Path file) {
    if (epochs < 1) {
      throw new IllegalArgumentException("checkpoint every N epochs needs N ≥ 1, got " + epochs);
    }
    this.checkpointEvery = epochs;
    this.checkpointFile = file;
    return this;
  }

  /** Continues from the checkpoint file given to {@link #checkpointEvery} when it exists. */
  public SparkTrainer resume(boolean fromCheckpoint) {
    this.resume = fromCheckpoint;
    return this;
  }

  /**
   * Rows per block: the network's {@link DataParallel#blockRows()}, or {@link #UNROLLED_BLOCK_ROWS}
   * for a network of unrolled layers only.
   */
  public int resolvedBlockRows() {
    return model.factory().newNetwork(1) instanceof DataParallel parallel
        ? parallel.blockRows()
        : UNROLLED_BLOCK_ROWS;
  }

  /** Trains on a Spark Dataset. Nothing is written (no checkpoint) when the data is refused. */
  public SparkTrainingResult train(org.apache.spark.sql.Dataset<Row> data) {
    TrainConfig recipe = recipe();
    int size = resolvedBlockRows();
    checkBatch(recipe, size);
    RowReader reader =
        RowReader.of(model.spec(), data.schema(), source, featureColumns, targetColumns);
    JavaSparkContext context =
        JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
    int wanted = partitions > 0 ? partitions : data.rdd().getNumPartitions();
    SparkBlocks blocks = null;
    try {
      blocks =
          new SparkBlocks(
              context, model.factory(), data.javaRDD(), reader, source, size, wanted, treeDepth);
      return run(blocks, recipe);
    } catch (Exception e) { // SparkException is checked in Java, thrown undeclared by Scala
      throw SparkTrainer.<RuntimeException>sneaky(unwrap(e));
    } finally {
      if (blocks != null) {
        blocks.release();
      }
    }
  }

  /**
   * The single-machine run with the same blocks and tree: what {@link #train} must equal bit for
   * bit. {@code raw} as loaded (before powers and standardisation).
   */
  public SparkTrainingResult trainLocal(Dataset raw) {
    TrainConfig recipe = recipe();
    int size = resolvedBlockRows();
    checkBatch(recipe, size);
    if (raw.rows() == 0) {
      throw new SparkDataException(raw.source() + " has no rows");
    }
    return run(new LocalBlocks(model.factory(), raw, size), recipe);
  }

  private TrainConfig recipe() {
    if (config == null) {
      throw new IllegalArgumentException(
          model.name() + " has no train block: give the recipe with config(TrainConfig)");
    }
    return config;
  }

  private void checkBatch(TrainConfig recipe, int size) {
    if (recipe.optimizer().fullBatchOnly() && recipe.batchSize() != 0) {
      throw new IllegalArgumentException(
          recipe.optimizer().kind()
              + " evaluates the whole training set at every point: it needs batch full, got batch "
              + recipe.batchSize());
    }
    if (recipe.batchSize() != 0 && recipe.batchSize() % size != 0) {
      throw new IllegalArgumentException(
          "on a cluster a minibatch is a whole number of the network's blocks: batch "
              + recipe.batchSize()
              + " is not a multiple of "
              + model.name()
              + "'s "
              + size
              + " rows a block (use batch full, or a multiple of "
              + size
              + ")");
    }
    if (!(recipe.decayPerEpoch() > 0) || !Double.isFinite(recipe.decayPerEpoch())) {
      throw new IllegalArgumentException(
          "the learning-rate decay per epoch must be positive (1 = none), got "
              + recipe.decayPerEpoch());
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> E sneaky(Exception e) throws E {
    throw (E) e;
  }

  /** A data error from an executor, unwrapped from Spark's job failure; else {@code e} itself. */
  static Exception unwrap(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SparkDataException data) {
        return t == e ? e : new SparkDataException(data.getMessage());
      }
    }
    String marker = SparkDataException.class.getName() + ": ";
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      int at = message.indexOf(marker);
      if (at >= 0) {
        String rest = message.substring(at + marker.length());
        int end = rest.indexOf('\n');
        return new SparkDataException(end < 0 ? rest : rest.substring(0, end));
      }
    }
    return e;
  }

  private SparkTrainingResult run(BlockSource blocks, TrainConfig recipe) {
    NetworkSpec spec = model.spec();
    NetworkFactory factory = model.factory();
    long[] fingerprints = blocks.fingerprints(); // reads every row: refuses bad data first
    Map<String, double[]> stats = fitStatistics(blocks, spec, factory);
    blocks.preprocess(spec, stats);
    Checkpoint.Identity identity = identity(spec, recipe, blocks, fingerprints);
    double[] parameters = new double[spec.parameterCount()];
    var network = factory.newNetwork(1);
    network.initialize(recipe.seed());
    network.getParameters(parameters);
    Checkpoint resumed = null;
    if (resume && checkpointFile != null && Files.exists(checkpointFile)) {
      try {
        resumed = Checkpoint.read(checkpointFile);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the checkpoint " + checkpointFile, e);
      }
      resumed.checkMatches(identity, checkpointFile.toString());
      double[] saved = resumed.parameters();
      if (saved.length != parameters.length) {
        throw new CheckpointMismatchException(
            checkpointFile + ": " + saved.length + " parameters, network has " + parameters.length);
      }
      parameters = saved;
    }
    History history =
        recipe.optimizer().fullBatchOnly()
            ? fullBatch(blocks, recipe, parameters, identity, resumed)
            : minibatch(blocks, recipe, parameters, identity, resumed);
    return new SparkTrainingResult(
        model.name(),
        spec,
        parameters,
        BlockMath.preprocessing(spec, stats).stats(),
        history,
        blocks.rows(),
        blocks.blockRows(),
        blocks.blocks());
  }

  /** Means and standard deviations by the block tree: sums, then squared deviations. */
  private static Map<String, double[]> fitStatistics(
      BlockSource blocks, NetworkSpec spec, NetworkFactory factory) {
    Map<String, double[]> stats = new LinkedHashMap<>();
    int inputs = spec.inputStandardizeDdof() >= 0 ? spec.inputWidth() : 0;
    int targets = BlockMath.standardizesTargets(spec) ? spec.targetWidth() : 0;
    if (inputs + targets == 0) {
      return stats;
    }
    double n = blocks.rows();
    double[] sums =
        blocks.sum((b, leaf) -> BlockMath.columnMoments(factory.spec(), b, null, null, 1), null);
    double[] inputMeans = inputs > 0 ? new double[inputs] : null;
    double[] targetMeans = targets > 0 ? new double[targets] : null;
    for (int c = 0; c < inputs; c++) {
      inputMeans[c] = sums[c] / n;
    }
    for (int c = 0; c < targets; c++) {
      targetMeans[c] = sums[inputs + c] / n;
    }
    double[] squares =
        blocks.sum(
            (b, leaf) -> BlockMath.columnMoments(factory.spec(), b, inputMeans, targetMeans, 2),
            null);
    if (inputs > 0) {
      stats.put(spec.inputName() + ".mean", inputMeans);
      stats.put(
          spec.inputName() + ".std",
          stds(squares, 0, inputs, n, spec.inputStandardizeDdof(), spec.inputName()));
    }
    if (targets > 0) {
      stats.put(spec.targetName() + ".mean", targetMeans);
      stats.put(
          spec.targetName() + ".std",
          stds(squares, inputs, targets, n, spec.targetStandardizeDdof(), spec.targetName()));
    }
    return stats;
  }

  private static double[] stds(
      double[] squares, int from, int width, double n, int ddof, String name) {
    if (n - ddof <= 0) {
      throw new SparkDataException(
          "standardising " + name + " with ddof " + ddof + " needs more than " + ddof + " rows");
    }
    double[] stds = new double[width];
    for (int c = 0; c < width; c++) {
      stds[c] = Math.sqrt(squares[from + c] / (n - ddof));
      if (stds[c] == 0) {
        stds[c] = 1; // a constant column: centre it, do not divide by zero (as Preprocessing)
      }
    }
    return stds;
  }

  private Checkpoint.Identity identity(
      NetworkSpec spec, TrainConfig recipe, BlockSource blocks, long[] fingerprints) {
    int w = spec.rawInputWidth();
    boolean labels = spec.targetKind() == NetworkSpec.TargetKind.LABELS;
    Dataset one =
        new Dataset(
            "",
            1,
            w,
            new double[w],
            spec.targetWidth(),
            labels ? null : new double[spec.targetWidth()],
            labels ? new int[1] : null);
    Checkpoint.Identity shape = Checkpoint.Identity.of(spec, model.description(), recipe, one);
    long hash = BlockMath.mix(0x6E6E632D64617461L, blocks.rows());
    for (long f : fingerprints) {
      hash = BlockMath.mix(hash, f);
    }
    return new Checkpoint.Identity(
        shape.network(),
        shape.recipe() + " blocks=" + blocks.blockRows(),
        blocks.rows()
            + " rows of "
            + w
            + " inputs in "
            + blocks.blocks()
            + " blocks, fingerprint "
            + String.format("%016x", hash));
  }

  private static long rowsOf(BlockSource blocks, int[] selection) {
    if (selection == null) {
      return blocks.rows();
    }
    long rows = 0;
    for (int b : selection) {
      rows += Math.min(blocks.blockRows(), blocks.rows() - (long) b * blocks.blockRows());
    }
    return rows;
  }

  /** The loss of the batch of the selected blocks; its gradient into {@code gradient}. */
  private static double evaluate(
      BlockSource blocks, double[] parameters, int[] selection, double[] gradient) {
    double[] sum = blocks.lossAndGradient(parameters, selection, (int) rowsOf(blocks, selection));
    System.arraycopy(sum, 1, gradient, 0, gradient.length);
    return sum[0];
  }

  private History minibatch(
      BlockSource blocks,
      TrainConfig recipe,
      double[] parameters,
      Checkpoint.Identity identity,
      Checkpoint resumed) {
    int count = blocks.blocks();
    boolean fullBatch = recipe.batchSize() == 0;
    boolean withReplacement = !fullBatch && recipe.withReplacement();
    boolean shuffle = !fullBatch && !withReplacement && recipe.shuffle();
    int perStep = fullBatch ? count : Math.min(recipe.batchSize() / blocks.blockRows(), count);
    if (withReplacement) {
      perStep = recipe.batchSize() / blocks.blockRows();
    }
    int stepsPerEpoch =
        fullBatch ? 1 : withReplacement ? Math.max(count / perStep, 1) : ceilDiv(count, perStep);
    long totalSteps = recipe.steps() > 0 ? recipe.steps() : (long) recipe.epochs() * stepsPerEpoch;
    Rng rng = new Rng(recipe.seed() ^ BATCHING_STREAM);
    int[] order = new int[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    OptimizerSpec optimizer = recipe.optimizer();
    int dimension = parameters.length;
    StepOptimizer stepOptimizer =
        switch (optimizer.kind()) {
          case MOMENTUM -> new Momentum(dimension, optimizer.momentum());
          case ADAM ->
              new Adam(dimension, optimizer.beta1(), optimizer.beta2(), optimizer.epsilon());
          default -> null;
        };
    List<EpochRecord> records = new ArrayList<>();
    double learningRate = recipe.learningRate();
    long done = 0;
    int firstEpoch = 1;
    if (resumed != null) {
      if (stepOptimizer instanceof Momentum momentum) {
        momentum.restoreVelocity(state(resumed, "velocity"));
      } else if (stepOptimizer instanceof Adam adam) {
        adam.restore(state(resumed, "m"), state(resumed, "v"), resumed.adamSteps());
      }
      if (resumed.rng() != null) {
        rng = Rng.restore(resumed.rng());
      }
      if (resumed.order() != null) {
        if (resumed.order().length != count) {
          throw new CheckpointMismatchException(
              checkpointFile + ": a block order of " + resumed.order().length + ", not " + count);
        }
        order = resumed.order();
      }
      records.addAll(resumed.history().epochs());
      done = resumed.stepsDone();
      learningRate = resumed.learningRate();
      firstEpoch = resumed.epochsDone() + 1;
    }
    double[] gradient = new double[dimension];
    double[] lastGood = new double[dimension];
    int[] drawn = withReplacement ? new int[perStep] : null;
    dev.nnc.runtime.LearningRateSchedule schedule = recipe.schedule();
    int scheduledEpochs = (int) ((totalSteps + stepsPerEpoch - 1) / stepsPerEpoch);
    for (int epoch = firstEpoch; done < totalSteps; epoch++) {
      if (schedule != null) { // as the runtime's Trainer: the rate of the epoch, from the epoch
        learningRate = schedule.rate(recipe.learningRate(), epoch, scheduledEpochs);
      }
      System.arraycopy(parameters, 0, lastGood, 0, dimension);
      if (shuffle) {
        rng.shuffle(order);
      }
      int steps = (int) Math.min(stepsPerEpoch, totalSteps - done);
      double lossSum = 0;
      for (int step = 1; step <= steps; step++) {
        int[] selection;
        if (fullBatch) {
          selection = null;
        } else if (withReplacement) {
          for (int i = 0; i < perStep; i++) {
            drawn[i] = rng.nextInt(count);
          }
          selection = drawn;
        } else {
          int from = (step - 1) * perStep;
          selection = Arrays.copyOfRange(order, from, Math.min(from + perStep, count));
        }
        double loss = evaluate(blocks, parameters, selection, gradient);
        if (!Double.isFinite(loss)) {
          System.arraycopy(lastGood, 0, parameters, 0, dimension);
          throw new TrainingDivergedException(epoch, step, loss, new History(records));
        }
        if (stepOptimizer == null) {
          for (int i = 0; i < dimension; i++) {
            parameters[i] -= learningRate * gradient[i];
          }
        } else {
          stepOptimizer.update(parameters, gradient, learningRate);
        }
        lossSum += loss;
        done++;
        for (TrainListener listener : listeners) {
          listener.onStep(epoch, step, loss);
        }
      }
      EpochRecord record = new EpochRecord(epoch, steps, lossSum / steps, learningRate);
      records.add(record);
      for (TrainListener listener : listeners) {
        listener.onEpoch(record);
      }
      learningRate *= recipe.decayPerEpoch();
      checkFinite(parameters, lastGood, epoch, steps, records);
      if (checkpointFile != null
          && steps == stepsPerEpoch
          && (epoch % checkpointEvery == 0 || done >= totalSteps)) {
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
                new History(records)));
      }
    }
    return new History(records);
  }

  private History fullBatch(
      BlockSource blocks,
      TrainConfig recipe,
      double[] parameters,
      Checkpoint.Identity identity,
      Checkpoint resumed) {
    Objective objective =
        new Objective() {
          @Override
          public int dimension() {
            return parameters.length;
          }

          @Override
          public double evaluate(double[] point, double[] gradientOut) {
            return SparkTrainer.evaluate(blocks, point.clone(), null, gradientOut);
          }
        };
    List<EpochRecord> records = new ArrayList<>();
    int firstEpoch = 1;
    if (resumed != null) {
      records.addAll(resumed.history().epochs());
      firstEpoch = resumed.epochsDone() + 1;
    }
    boolean lbfgs = recipe.optimizer().kind() == OptimizerSpec.Kind.LBFGS;
    String name = lbfgs ? "L-BFGS" : "conjugate gradient";
    double[] start = parameters.clone();
    Minimizer minimizer =
        lbfgs
            ? new Lbfgs(objective, start, recipe.optimizer().memory())
            : new ConjugateGradient(objective, start);
    if (!Double.isFinite(minimizer.cost())) {
      throw new TrainingDivergedException(firstEpoch, 1, minimizer.cost(), new History(records));
    }
    long iterations = recipe.steps() > 0 ? recipe.steps() : recipe.epochs();
    String stopReason = null;
    double[] current = new double[parameters.length];
    for (int epoch = firstEpoch; epoch <= iterations; epoch++) {
      boolean progressing = minimizer.iterate();
      double cost = minimizer.cost();
      minimizer.copyParameters(current);
      if (!Double.isFinite(cost)) {
        throw new TrainingDivergedException(epoch, 1, cost, new History(records));
      }
      System.arraycopy(current, 0, parameters, 0, current.length);
      for (TrainListener listener : listeners) {
        listener.onStep(epoch, 1, cost);
      }
      EpochRecord record = new EpochRecord(epoch, 1, cost, Double.NaN);
      records.add(record);
      for (TrainListener listener : listeners) {
        listener.onEpoch(record);
      }
      if (!progressing) {
        stopReason =
            name
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
    return new History(records, stopReason);
  }

  private static void checkFinite(
      double[] parameters, double[] lastGood, int epoch, int steps, List<EpochRecord> records) {
    for (double value : parameters) {
      if (!Double.isFinite(value)) {
        System.arraycopy(lastGood, 0, parameters, 0, parameters.length);
        throw new TrainingDivergedException(
            epoch, steps, value, new History(records.subList(0, records.size() - 1)), true);
      }
    }
  }

  private double[] state(Checkpoint checkpoint, String name) {
    double[] state = checkpoint.optimizerState(name);
    if (state == null) {
      throw new CheckpointMismatchException(
          checkpointFile + ": no optimizer state '" + name + "' for " + config.optimizer().kind());
    }
    return state;
  }

  private void write(Checkpoint checkpoint) {
    try {
      checkpoint.write(checkpointFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the checkpoint " + checkpointFile, e);
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
