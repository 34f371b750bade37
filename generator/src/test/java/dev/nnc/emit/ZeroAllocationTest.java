package dev.nnc.emit;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.ir.Model;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.testing.Batches;
import dev.nnc.testing.Seeds;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A training step allocates nothing: {@code lossAndGradient} and {@code sgdStep} (and {@code
 * predict} within maxRows) on warm, compiled networks, measured with HotSpot's per-thread
 * allocation counter. Zero bytes, no slack: the counter itself does not allocate (checked by
 * reading it twice around nothing).
 */
class ZeroAllocationTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @Test
  void trainingStepsAllocateNothing() {
    List<Model> models = new ArrayList<>();
    for (String seed : List.of("S1", "S2toy", "S3", "S5", "S6")) {
      models.add(Seeds.model(seed));
    }
    models.add(SeedNetworksTest.asFloat(Seeds.model("S5")));
    models.add(SeedNetworksTest.asFloat(Seeds.model("S2toy")));
    // dropout (its masks drawn in the step) and class weights
    dev.nnc.check.CompileResult dropped =
        dev.nnc.check.NnCompiler.compile(
            "dropped.nn",
            "network Dropped {\n  input x[12]\n  dense h[40] relu dropout(0.5)\n"
                + "  dense g[3] tanh dropout(0.2)\n  dense out[3]\n  label y\n"
                + "  loss softmax_cross_entropy(out, y) class_weights(1, 2, 3)\n}\n");
    models.add(dropped.model().orElseThrow());
    GeneratedNetworks compiled = GeneratedNetworks.compile(models);

    long nothing = allocatedBy(() -> {});
    assertWithMessage("the allocation counter itself allocates").that(nothing).isEqualTo(0);

    for (Model model : models) {
      int rows = 10;
      Network network = compiled.create(model, rows);
      network.initialize(1);
      network.setPenaltyExampleCount(100);
      Batch batch = Batches.random(network.spec(), rows, 3);
      // the batch the trainer fills for this network (a float network's: float rows, lent)
      Batch fed = network.newBatch(rows);
      fed.copyFrom(batch);
      double[] out = new double[rows * network.spec().outputWidth()];
      Runnable step =
          () -> {
            for (int k = 0; k < 1000; k++) {
              network.setDropout(7, k);
              network.lossAndGradient(batch);
              network.sgdStep(1e-6);
              network.lossAndGradient(fed);
              network.sgdStep(1e-6);
              network.predict(batch.x, rows, out);
              network.loss(batch);
              network.loss(fed);
            }
          };
      long bytes = leastAllocatedBy(step);
      assertWithMessage("%s: bytes allocated by 1,000 training steps", model.name())
          .that(bytes)
          .isEqualTo(0);
    }
  }

  /**
   * S3's one-thread step over several blocks (each block's dW added while its rows are in cache,
   * through the block buffer lent to the input buffer), in double and float: nothing allocated once
   * compiled.
   */
  @Test
  void theBlockByBlockStepAllocatesNothing() {
    for (Model model : S3_BOTH) {
      Network network = threeBlocksAndFiveRows(model);
      int rows = network.maxRows();
      Batch batch = Batches.random(network.spec(), rows, 4);
      Batch fed = network.newBatch(rows); // a float network's: float rows, lent
      fed.copyFrom(batch);
      Runnable step =
          () -> {
            for (int k = 0; k < 200; k++) {
              network.lossAndGradient(batch);
              network.sgdStep(1e-6);
              network.lossAndGradient(fed);
              network.sgdStep(1e-6);
            }
          };
      long bytes = leastAllocatedBy(step);
      assertWithMessage("%s: bytes allocated by 200 steps of %s rows", model.name(), rows)
          .that(bytes)
          .isEqualTo(0);
    }
  }

  /**
   * CG's and L-BFGS's evaluation of a fixed batch (its inputs held by the network, lent to the
   * input buffer block by block), S3 in double and float: nothing allocated once the rows are held.
   */
  @Test
  void aFixedBatchsStepAllocatesNothing() {
    for (Model model : S3_BOTH) {
      Network network = threeBlocksAndFiveRows(model);
      int rows = network.maxRows();
      dev.nnc.runtime.optim.NetworkObjective objective =
          new dev.nnc.runtime.optim.NetworkObjective(
              network, Batches.random(network.spec(), rows, 4));
      double[] parameters = new double[objective.dimension()];
      network.getParameters(parameters);
      double[] gradient = new double[parameters.length];
      Runnable step =
          () -> {
            for (int k = 0; k < 200; k++) {
              objective.evaluate(parameters, gradient);
            }
          };
      long bytes = leastAllocatedBy(step);
      assertWithMessage("%s: bytes allocated by 200 evaluations of %s rows", model.name(), rows)
          .that(bytes)
          .isEqualTo(0);
    }
  }

  /**
   * An initialised network of {@code model} with buffers for three of its blocks of rows and five
   * rows more (so a step runs whole blocks and a part block), its penalty over 1,000 examples.
   */
  /** S3 in double and float, compiled once for the tests of its block-by-block step. */
  private static final List<Model> S3_BOTH =
      List.of(Seeds.model("S3"), SeedNetworksTest.asFloat(Seeds.model("S3")));

  private static GeneratedNetworks s3Compiled;

  private static synchronized GeneratedNetworks s3Compiled() {
    if (s3Compiled == null) {
      s3Compiled = GeneratedNetworks.compile(S3_BOTH);
    }
    return s3Compiled;
  }

  private static Network threeBlocksAndFiveRows(Model model) {
    GeneratedNetworks compiled = s3Compiled();
    Network probe = compiled.create(model, 1);
    int rows = 3 * ((dev.nnc.runtime.parallel.DataParallel) probe).blockRows() + 5;
    Network network = compiled.create(model, rows);
    network.initialize(1);
    network.setPenaltyExampleCount(1000);
    return network;
  }

  /**
   * The least of the bytes {@code step} allocates over up to 30 runs, after two warm-up runs (class
   * loading and JIT compilation allocate, the steps do not). On a loaded machine a late JIT event
   * can allocate a few hundred bytes once; and with the Vector API, a kernel tile that runs once
   * per step (TwoLayerToy's one 4-row tile of dW) reaches C2, which keeps its vectors in registers,
   * only after 5,000 to 12,000 steps (C1 code boxes every vector), as the compile queue full of
   * Vector API methods raises the thresholds; an allocation per step would show in every
   * measurement. Under load (busy cores, a long compile queue) C2 can come later still, so the runs
   * go on for up to a minute of wall time rather than a fixed count: a failure is an allocation in
   * every one of them.
   */
  private static long leastAllocatedBy(Runnable step) {
    step.run();
    step.run();
    long bytes = Long.MAX_VALUE;
    long deadline = System.nanoTime() + 60_000_000_000L;
    for (int attempt = 0; bytes != 0 && (attempt < 30 || System.nanoTime() < deadline); ) {
      bytes = Math.min(bytes, allocatedBy(step));
      attempt++;
    }
    return bytes;
  }

  private static long allocatedBy(Runnable work) {
    long thread = Thread.currentThread().getId();
    long before = THREADS.getThreadAllocatedBytes(thread);
    work.run();
    return THREADS.getThreadAllocatedBytes(thread) - before;
  }
}
