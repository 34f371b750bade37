package dev.nnc.emit.perf;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.FixedBatch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.TensorSpec;
import dev.nnc.runtime.optim.NetworkObjective;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * Times training steps of any {@link Network} (a generated class or the reference interpreter):
 * what {@code nnc bench model.nn} prints, and the arithmetic the JMH table in {@code bench/}
 * shares.
 *
 * <p>A step is {@code lossAndGradient(batch)} then {@code sgdStep(learningRate)}. FLOPs count
 * 2·M·N·K per matrix product actually executed: per dense layer in→out over N rows, the forward z =
 * x·W and the weight gradient dW = xᵀ·δ (2·N·in·out each), and the input gradient dx = δ·Wᵀ for
 * every layer but the first (the input needs none). Activations, losses and the update are not
 * counted.
 *
 * <p>These are wall-clock figures on a possibly shared machine: compare only figures measured in
 * the same run, and never assert them in a test.
 */
public final class Benchmarking {
  private Benchmarking() {}

  /** One timed run. */
  public record Result(
      String network,
      NetworkSpec.Precision precision,
      int rows,
      long steps,
      double microsPerStep,
      double examplesPerSecond,
      long flopsPerStep,
      double gflopsPerSecond,
      double bytesAllocatedPerStep) {

    /** The same run, counted with {@code flops} per step (a convolutional network's). */
    public Result withFlopsPerStep(long flops) {
      return new Result(
          network,
          precision,
          rows,
          steps,
          microsPerStep,
          examplesPerSecond,
          flops,
          flops / (microsPerStep * 1e3),
          bytesAllocatedPerStep);
    }

    /** One line: {@code Nielsen f64 N=10 12.3 µs/step 813,000 ex/s 3.9 GFLOP/s 0 B/step}. */
    public String row() {
      return String.format(
          Locale.ROOT,
          "%s %s N=%d  %.3f µs/step  %,.0f examples/s  %.2f GFLOP/s  %.0f B/step",
          network,
          precision == NetworkSpec.Precision.FLOAT ? "f32" : "f64",
          rows,
          microsPerStep,
          examplesPerSecond,
          gflopsPerSecond,
          bytesAllocatedPerStep);
    }
  }

  /** Floating-point operations of the matrix products of one training step over {@code rows}. */
  public static long flopsPerStep(NetworkSpec spec, int rows) {
    long flops = 0;
    boolean first = true;
    for (TensorSpec tensor : spec.tensors()) {
      if (!tensor.name().endsWith(".W")) {
        continue;
      }
      long product = 2L * rows * tensor.rows() * tensor.cols();
      flops +=
          first ? 2 * product : 3 * product; // z = x·W, dW = xᵀ·δ, and dx = δ·Wᵀ after the first
      first = false;
    }
    return flops;
  }

  /**
   * Floating-point operations of one training step of {@code model} over {@code rows}, convolutions
   * included: a conv's forward, dK and dx (not for the first layer) each multiply-add every kernel
   * value with every output position, 2·rows·out_ch·H'·W'·in_ch·kh·kw; dense layers as {@link
   * #flopsPerStep(NetworkSpec, int)}. Pooling and activations are not counted.
   */
  public static long flopsPerStep(dev.nnc.ir.Model model, int rows) {
    long flops = 0;
    boolean first = true;
    for (dev.nnc.ir.Spatial layer : model.spatial()) {
      if (layer instanceof dev.nnc.ir.Conv conv) {
        long product = 2L * rows * conv.outSize() * conv.patchSize();
        flops += first ? 2 * product : 3 * product;
        first = false;
      } else {
        first = false; // a pool's input gets its gradient: the next conv computes its dx
      }
    }
    for (dev.nnc.ir.Dense layer : model.layers()) {
      long product = 2L * rows * layer.in() * layer.out();
      flops += first ? 2 * product : 3 * product;
      first = false;
    }
    return flops;
  }

  /**
   * A seeded batch of {@code rows} rows for {@code spec}: inputs uniform in [−1, 1), dense targets
   * uniform in (0.05, 0.95), labels uniform over the classes.
   */
  public static Batch randomBatch(NetworkSpec spec, int rows, long seed) {
    return Batch.random(spec, rows, seed);
  }

  /** One training step: the loss and its gradient, then a tiny SGD update (so weights stay put). */
  public static double step(Network network, Batch batch) {
    double loss = network.lossAndGradient(batch);
    network.sgdStep(1e-9);
    return loss;
  }

  /**
   * Times {@code network} on {@code batch}'s rows as training feeds them: in a batch of the
   * network's own kind ({@link Network#newBatch}: a float network's rows as floats, converted once
   * here as the trainer converts them when it fills the batch); initialises it (seed 1), runs steps
   * for about {@code warmupMillis} so that the JIT compiles them, then measures steps for about
   * {@code measureMillis} (at least 3 steps), with the bytes the thread allocated meanwhile.
   */
  public static Result time(Network network, Batch batch, long warmupMillis, long measureMillis) {
    network.initialize(1);
    network.setPenaltyExampleCount(batch.rows());
    Batch fed = network.newBatch(batch.rows());
    fed.copyFrom(batch);
    return measure(network, batch.rows(), () -> step(network, fed), warmupMillis, measureMillis);
  }

  /**
   * Times what CG and L-BFGS run instead of a step (the recipe's optimizer is {@code cg} or {@code
   * lbfgs}): one evaluation of their objective, {@link NetworkObjective#evaluate} on a fixed copy
   * of {@code batch} (setParameters, {@link Network#lossAndGradient(FixedBatch)}, getGradient), at
   * the parameters of {@code initialize(1)}; otherwise as {@link #time}.
   */
  public static Result timeObjective(
      Network network, Batch batch, long warmupMillis, long measureMillis) {
    network.initialize(1);
    network.setPenaltyExampleCount(batch.rows());
    NetworkObjective objective = new NetworkObjective(network, FixedBatch.copyOf(batch));
    double[] parameters = new double[objective.dimension()];
    network.getParameters(parameters);
    double[] gradient = new double[objective.dimension()];
    return measure(
        network,
        batch.rows(),
        () -> objective.evaluate(parameters, gradient),
        warmupMillis,
        measureMillis);
  }

  private static Result measure(
      Network network, int rows, DoubleSupplier step, long warmupMillis, long measureMillis) {
    runFor(step, warmupMillis * 1_000_000L);
    long bytesBefore = allocatedBytes();
    long start = System.nanoTime();
    long deadline = start + measureMillis * 1_000_000L;
    long steps = 0;
    double sink = 0;
    long now;
    do {
      for (int k = 0; k < 8; k++) {
        sink += step.getAsDouble();
      }
      steps += 8;
      now = System.nanoTime();
    } while (now < deadline || steps < 3);
    long bytesAfter = allocatedBytes();
    if (Double.isNaN(sink)) {
      network.initialize(2); // keeps sink alive; never expected to run
    }
    NetworkSpec spec = network.spec();
    double micros = (now - start) / 1e3 / steps;
    long flops = flopsPerStep(spec, rows);
    return new Result(
        spec.name(),
        spec.precision(),
        rows,
        steps,
        micros,
        rows / (micros * 1e-6),
        flops,
        flops / (micros * 1e3),
        bytesBefore < 0 ? Double.NaN : (double) (bytesAfter - bytesBefore) / steps);
  }

  private static void runFor(DoubleSupplier step, long nanos) {
    long deadline = System.nanoTime() + nanos;
    do {
      for (int k = 0; k < 8; k++) {
        step.getAsDouble();
      }
    } while (System.nanoTime() < deadline);
  }

  /** Bytes this thread has allocated so far, or −1 where the JVM does not say. */
  private static long allocatedBytes() {
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads) {
      return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
    return -1;
  }
}
