package dev.nnc.runtime.train;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.FixedBatch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.kernels.Kernels;
import dev.nnc.runtime.optim.StepOptimizer;
import java.util.function.IntFunction;

/**
 * Makes the JIT compile a network's training step while the caller is busy with something else
 * (reading the data): a daemon thread builds its own instance of the network class and runs the
 * calls {@link Trainer} will make, on synthetic rows, until {@link #stop} (called before the first
 * real step). The first epoch then starts with the step already compiled (or further on its way):
 * the Vector API kernels in particular box every vector until C2 has compiled them, which made
 * Nielsen's first epoch 20 times slower than the later ones (bench/README.md).
 *
 * <p>The calls, in a loop: {@code setDropout(seed, step)}, {@code lossAndGradient} and the recipe's
 * update ({@code sgdStep}, or a {@link StepOptimizer}'s {@code step} for momentum and Adam, or CG's
 * and L-BFGS' {@code getGradient}/{@code setParameters}), and every few steps the evaluation's
 * {@code loss} and {@code predict} with dropout off.
 *
 * <p><b>It never changes a trained network.</b> The warm-up's instance, batch, optimizer state and
 * output buffer are its own; the generated classes keep no mutable static state; the kernels' and
 * {@code VectorMath}'s scratch arrays are per thread; the instance never gets a worker pool (it
 * runs on the warm-up thread alone). What the two threads share is the JIT's compiled code, which
 * computes the same bits as the interpreter (the kernels use only exact IEEE operations and fused
 * multiply-adds, no reassociation). {@code WarmUpTest} trains with and without a concurrent warm-up
 * and compares every bit.
 *
 * <p>Nothing it does is visible: a failure inside it (say an instance too large for the heap) ends
 * the warm-up quietly, and the training runs as it would have without one.
 */
public final class WarmUp implements AutoCloseable {
  /** The most rows of the warm-up's batches: enough to run every tile shape of the kernels. */
  static final int MAX_ROWS = 64;

  /** Rows of the warm-up's batch for a full-batch recipe (CG, L-BFGS, batch full). */
  static final int FULL_BATCH_ROWS = 64;

  /** Steps between two evaluations (loss and predict, dropout off), as an epoch's end does. */
  static final int EVALUATE_EVERY = 8;

  /** The system property that turns the warm-up off ({@code -Dnnc.warmup=false}). */
  public static final String PROPERTY = "nnc.warmup";

  private static final WarmUp NONE = new WarmUp();

  private final Thread thread;
  private volatile boolean stopping;
  private volatile long steps;
  private volatile long evaluations;

  private WarmUp() {
    this.thread = null;
  }

  private WarmUp(IntFunction<? extends Network> newNetwork, TrainConfig config) {
    this.thread = new Thread(() -> run(newNetwork, config), "nnc warm-up");
    thread.setDaemon(true);
  }

  /**
   * Starts warming up the class {@code newNetwork} instantiates (given the rows of its buffers) for
   * {@code config}; {@link #stop} ends it. Does nothing (returns a warm-up that has ended) unless
   * {@link #enabled}: where no processor is idle, the warm-up would only take time from the caller.
   */
  public static WarmUp start(IntFunction<? extends Network> newNetwork, TrainConfig config) {
    if (!enabled()) {
      return NONE;
    }
    return startAlways(newNetwork, config);
  }

  /** A warm-up that never started: {@link #stop} returns 0 at once. */
  public static WarmUp none() {
    return NONE;
  }

  /**
   * {@link #start} without looking at the property or the processors: always starts the thread (for
   * tests, and callers that decided themselves).
   */
  public static WarmUp startAlways(IntFunction<? extends Network> newNetwork, TrainConfig config) {
    WarmUp warmUp = new WarmUp(newNetwork, config);
    warmUp.thread.start();
    return warmUp;
  }

  /**
   * Starts a daemon thread that calls each of the kernels once, in double and float, on small
   * arrays of its own: the Vector API's first calls load and link its classes (about 0.2 s at
   * start-up), which a caller can have done while it is busy with something else (checking and
   * generating the network) rather than in the warm-up's or training's first step. One call each
   * triggers no compilation. Does nothing where {@link #start} would not start.
   */
  public static void prepareKernels() {
    if (!enabled()) {
      return;
    }
    Thread thread =
        new Thread(
            () -> {
              try {
                callEachKernel();
              } catch (Throwable e) { // NOPMD: only the time of the first step is at stake
                // nothing to do
              }
            },
            "nnc kernels");
    thread.setDaemon(true);
    thread.start();
  }

  private static void callEachKernel() {
    Kernels kernels = Kernels.INSTANCE;
    int rows = 8;
    int n = 32;
    double[][] a = new double[rows][n];
    double[][] b = new double[n][n];
    double[][] c = new double[rows][n];
    double[][] d = new double[n][n];
    kernels.matmulRows(c, a, b, 0, rows, 0, n, n);
    kernels.matmulColumns(d, a, c, 0, n, 0, rows, n);
    kernels.sigmoid(c[0], a[0], n);
    kernels.exp(c[1], a[1], n);
    float[][] af = new float[rows][n];
    float[][] bf = new float[n][n];
    float[][] cf = new float[rows][n];
    float[][] df = new float[n][n];
    kernels.matmulRows(cf, af, bf, 0, rows, 0, n, n);
    kernels.matmulColumns(df, af, cf, 0, n, 0, rows, n);
    kernels.sigmoid(cf[0], af[0], n);
  }

  /**
   * Whether {@link #start} starts a thread in this JVM: not with {@code -Dnnc.warmup=false}, and
   * only when a processor is idle (more than one, and a load average, where the system says it, at
   * least one below their number): on a busy machine the warm-up would take its time from the
   * caller's own work (measured: the header of {@code nnc train} came later by more than the first
   * epoch gained, at load averages of 13-17 on 2 cores).
   */
  public static boolean enabled() {
    return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"))
        && idleProcessor(loadAverage(), Runtime.getRuntime().availableProcessors());
  }

  /**
   * Whether {@code processors} with this one-minute load average (NaN: unknown) have one to spare.
   */
  static boolean idleProcessor(double loadAverage, int processors) {
    return processors > 1 && !(loadAverage > processors - 1);
  }

  /** The one-minute load average from /proc/loadavg (Linux), or NaN where there is none. */
  static double loadAverage() {
    try {
      String text = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"));
      return Double.parseDouble(text.substring(0, text.indexOf(' ')));
    } catch (java.io.IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Rows of the warm-up's batch for {@code config}: its batch size, at most {@link #MAX_ROWS}. */
  static int rows(TrainConfig config) {
    return config.batchSize() > 0 ? Math.min(config.batchSize(), MAX_ROWS) : FULL_BATCH_ROWS;
  }

  private void run(IntFunction<? extends Network> newNetwork, TrainConfig config) {
    try {
      int rows = rows(config);
      Network network = newNetwork.apply(rows);
      network.initialize(config.seed());
      int parameterCount = network.spec().parameterCount();
      double[] start = new double[parameterCount];
      network.getParameters(start);
      // as Trainer does with m training rows; any m > 0 runs the same code
      network.setPenaltyExampleCount(rows);
      Batch batch = Batch.random(network.spec(), rows, config.seed() ^ 0x7761726D7570L);
      // the steps take the batch the trainer fills (Network.newBatch: a float network's rows as
      // floats, lent to its input buffer), so that the same code is compiled
      Batch fed = network.newBatch(rows);
      fed.copyFrom(batch);
      double[] out = new double[rows * network.spec().outputWidth()];
      StepOptimizer optimizer = Trainer.newStepOptimizer(config, parameterCount);
      boolean fullBatch = config.optimizer().fullBatchOnly();
      double[] gradient = fullBatch ? new double[parameterCount] : null;
      // CG and L-BFGS evaluate a fixed batch (NetworkObjective): the inputs held, not loaded
      FixedBatch fixed = fullBatch ? FixedBatch.copyOf(batch) : null;
      double learningRate = config.learningRate();
      long seed = config.seed();
      for (long step = 0; !stopping; step++) {
        network.setDropout(seed, step);
        double loss = fixed != null ? network.lossAndGradient(fixed) : network.lossAndGradient(fed);
        if (!Double.isFinite(loss)) {
          network.setParameters(start); // synthetic rows may diverge: start again
        } else if (fullBatch) {
          network.getGradient(gradient); // NetworkObjective's calls
          network.setParameters(start);
        } else if (optimizer == null) {
          network.sgdStep(learningRate);
        } else {
          optimizer.step(network, learningRate);
        }
        steps = step + 1;
        if (step % EVALUATE_EVERY == 0) { // after the first step, then every few
          network.setDropout(seed, -1);
          network.loss(batch);
          network.predict(batch.x, rows, out);
          evaluations++;
        }
      }
    } catch (Throwable e) { // NOPMD: a failed warm-up only means an unwarmed training
      // nothing to do: training does not depend on the warm-up
    }
  }

  /**
   * Ends the warm-up and waits for its thread (at most one call of the network's to finish), so it
   * takes no core from the training that follows. Returns the training steps it ran.
   */
  public long stop() {
    stopping = true;
    if (thread != null) {
      boolean interrupted = false;
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return steps;
  }

  /** Training steps (lossAndGradient and update) run so far. */
  public long steps() {
    return steps;
  }

  /** Evaluations (loss and predict) run so far. */
  public long evaluations() {
    return evaluations;
  }

  /** Whether this warm-up started a thread. */
  public boolean started() {
    return thread != null;
  }

  @Override
  public void close() {
    stop();
  }
}
