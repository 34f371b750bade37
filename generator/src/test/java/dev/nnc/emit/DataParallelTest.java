package dev.nnc.emit;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.ir.Activation;
import dev.nnc.ir.Loss;
import dev.nnc.ir.Model;
import dev.nnc.ir.Reduction;
import dev.nnc.reference.ReferenceNetwork;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.parallel.BlockSums;
import dev.nnc.runtime.parallel.BusyThreads;
import dev.nnc.runtime.parallel.DataParallel;
import dev.nnc.testing.Batches;
import dev.nnc.testing.ModelFixtures;
import dev.nnc.testing.Seeds;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A batch is cut into blocks of {@code BLOCK_ROWS} rows and each dW element is one chain over the
 * batch: 1, 2, 3 and 4 threads give bit-identical losses and gradients, step after step, on every
 * seed network with a looped layer (double and float) and on seeded random shapes, while busy
 * threads oversubscribe the cores; the one-thread result matches the reference interpreter (1e-10),
 * so the threads cannot all agree on something wrong. The per-block form a cluster would use sums
 * to the same loss and gradient (1e-10: a tree of per-block chains against one chain, with the
 * cancellation of S4's random data), in the same bits whatever order the blocks come in.
 */
class DataParallelTest {
  private static final int[] THREADS = {1, 2, 3, 4};

  /** Runs three SGD steps on 1-4 threads and compares every loss and gradient bit for bit. */
  private static void sameBitsOnEveryThreadCount(
      GeneratedNetworks compiled, Model model, int rows, long seed) {
    Network[] networks = new Network[THREADS.length];
    for (int t = 0; t < THREADS.length; t++) {
      networks[t] = compiled.create(model, rows);
      ((DataParallel) networks[t]).setThreads(THREADS[t]);
      assertThat(((DataParallel) networks[t]).threads()).isEqualTo(THREADS[t]);
      networks[t].initialize(seed);
      networks[t].setPenaltyExampleCount(1000);
    }
    ReferenceNetwork reference = new ReferenceNetwork(model, rows);
    reference.initialize(seed);
    reference.setPenaltyExampleCount(1000);
    Batch batch = Batches.random(networks[0].spec(), rows, seed + 11);
    int n = networks[0].spec().parameterCount();
    String what =
        model.name()
            + " ("
            + rows
            + " rows, "
            + ((DataParallel) networks[0]).blocks(rows)
            + " blocks)";
    try {
      for (int step = 0; step < 2; step++) {
        double[] losses = new double[THREADS.length];
        double[][] gradients = new double[THREADS.length][n];
        for (int t = 0; t < THREADS.length; t++) {
          losses[t] = networks[t].lossAndGradient(batch);
          networks[t].getGradient(gradients[t]);
        }
        for (int t = 1; t < THREADS.length; t++) {
          assertWithMessage("%s step %s: loss, %s threads vs 1", what, step, THREADS[t])
              .that(losses[t])
              .isEqualTo(losses[0]);
          assertWithMessage("%s step %s: gradient, %s threads vs 1", what, step, THREADS[t])
              .that(gradients[t])
              .isEqualTo(gradients[0]);
        }
        double lossReference = reference.lossAndGradient(batch);
        if (networks[0].spec().precision() == NetworkSpec.Precision.DOUBLE) {
          double[] gradientReference = new double[n];
          reference.getGradient(gradientReference);
          assertWithMessage("%s: loss vs reference", what)
              .that(losses[0])
              .isWithin(1e-10 * Math.abs(lossReference))
              .of(lossReference);
          Tolerances.Mismatch worst =
              Tolerances.worst(
                  "gradient", networks[0].spec(), gradients[0], gradientReference, 1e-6);
          assertWithMessage("%s: gradient vs reference, %s", what, worst.description())
              .that(worst.error())
              .isAtMost(1e-10);
        }
        for (Network network : networks) {
          network.sgdStep(1e-5);
        }
        reference.sgdStep(1e-5);
      }
    } finally {
      for (Network network : networks) {
        ((DataParallel) network).setThreads(1);
      }
    }
  }

  @Test
  void everySeedGivesTheSameBitsOnOneToFourThreadsUnderLoad() {
    List<Model> models = new ArrayList<>();
    for (String seed : Seeds.ALL) {
      models.add(Seeds.model(seed));
    }
    models.add(SeedNetworksTest.asFloat(Seeds.model("S4")));
    models.add(SeedNetworksTest.asFloat(Seeds.model("S5")));
    // S3's 25-wide layer takes the one-thread step that adds dW block by block, in float too
    models.add(SeedNetworksTest.asFloat(Seeds.model("S3")));
    GeneratedNetworks compiled = GeneratedNetworks.compile(models);
    int parallel = 0;
    try (BusyThreads busy = BusyThreads.oversubscribe()) {
      for (Model model : models) {
        if (!(compiled.create(model, 1) instanceof DataParallel probe)) {
          continue; // unrolled layers only: no split (S1, S6)
        }
        parallel++;
        int block = probe.blockRows();
        // four blocks, the last one short; and a batch of one block
        sameBitsOnEveryThreadCount(compiled, model, 3 * block + 5, 5);
        if (parallel <= 2) {
          sameBitsOnEveryThreadCount(compiled, model, block - 3, 6);
        }
      }
    }
    // S2toy, S2, S3, S4, S5 and the float S4, S5 and S3 (S1 and S6 are unrolled)
    assertWithMessage("seeds with a looped layer, double and float").that(parallel).isEqualTo(8);
  }

  @Test
  void randomShapesGiveTheSameBitsOnOneToFourThreadsUnderLoad() {
    Rng rng = new Rng(2026);
    List<Model> models = new ArrayList<>();
    Activation[] activations = {
      Activation.TANH, Activation.RELU, Activation.SIGMOID, Activation.IDENTITY
    };
    for (int m = 0; m < 6; m++) {
      ModelFixtures.Builder builder = ModelFixtures.network("Random" + m, 3 + rng.nextInt(60));
      int layers = 1 + rng.nextInt(3);
      for (int l = 0; l < layers - 1; l++) {
        builder.dense(
            "h" + l,
            2 + rng.nextInt(40),
            activations[rng.nextInt(activations.length)],
            rng.nextInt(4) != 0);
      }
      if (m % 2 == 0) {
        builder.dense("out", 2 + rng.nextInt(9), Activation.IDENTITY);
        builder.loss(Loss.Kind.SOFTMAX_CROSS_ENTROPY, Reduction.values()[m % 3]);
      } else {
        builder.dense("out", 1 + rng.nextInt(9), Activation.SIGMOID);
        builder.loss(Loss.Kind.SQUARED_ERROR, Reduction.values()[m % 3]);
      }
      if (m % 3 == 0) {
        builder.penalty(0.01, m % 2 == 0);
      }
      models.add(builder.build());
    }
    GeneratedNetworks compiled = GeneratedNetworks.compile(models);
    int parallel = 0;
    try (BusyThreads busy = BusyThreads.oversubscribe()) {
      for (int m = 0; m < models.size(); m++) {
        Model model = models.get(m);
        if (!(compiled.create(model, 1) instanceof DataParallel probe)) {
          continue;
        }
        parallel++;
        int rows = 1 + rng.nextInt(6 * probe.blockRows());
        sameBitsOnEveryThreadCount(compiled, model, rows, 100 + m);
      }
    }
    assertWithMessage("random networks with a looped layer").that(parallel).isAtLeast(4);
  }

  @Test
  void blocksSummedInTheTreeGiveTheStepsLossAndGradientInAnyOrder() {
    Model s4 = Seeds.model("S4");
    Model s3 = Seeds.model("S3"); // with a penalty, which block 0 carries
    GeneratedNetworks compiled = GeneratedNetworks.compile(List.of(s4, s3));
    for (Model model : List.of(s4, s3)) {
      DataParallel probe = (DataParallel) compiled.create(model, 1);
      int rows = 4 * probe.blockRows() + 7;
      Network network = compiled.create(model, rows);
      DataParallel parallel = (DataParallel) network;
      network.initialize(3);
      network.setPenaltyExampleCount(500);
      Batch batch = Batches.random(network.spec(), rows, 4);
      int n = network.spec().parameterCount();
      int blocks = parallel.blocks(rows);
      assertThat(blocks).isEqualTo(5);
      double[] losses = new double[blocks];
      double[][] gradients = new double[blocks][n];
      for (int b = blocks - 1; b >= 0; b--) { // computed in reverse, as a cluster might deliver
        losses[b] = parallel.blockLossAndGradient(batch, b, gradients[b]);
      }
      double[] summed = new double[n];
      BlockSums.pairwise(gradients, blocks, summed);
      double loss = BlockSums.pairwise(losses, 0, blocks);
      double expectedLoss = network.lossAndGradient(batch);
      double[] expected = new double[n];
      network.getGradient(expected);
      assertWithMessage("%s: tree of block losses", model.name())
          .that(loss)
          .isWithin(1e-10 * Math.abs(expectedLoss))
          .of(expectedLoss);
      Tolerances.Mismatch worst =
          Tolerances.worst("gradient", network.spec(), summed, expected, 1e-6);
      assertWithMessage("%s: tree of block gradients, %s", model.name(), worst.description())
          .that(worst.error())
          .isAtMost(1e-10);
      // the same blocks in order give the same bits
      double[][] again = new double[blocks][n];
      for (int b = 0; b < blocks; b++) {
        parallel.blockLossAndGradient(batch, b, again[b]);
      }
      double[] summedAgain = new double[n];
      BlockSums.pairwise(again, blocks, summedAgain);
      assertWithMessage("%s: blocks in order vs reversed", model.name())
          .that(summedAgain)
          .isEqualTo(summed);
      // a block given alone (what a cluster's executor holds) gives the same bits as that block
      // of the whole batch; the loss is still scaled for the whole batch
      for (int b = 0; b < blocks; b++) {
        int from = b * parallel.blockRows();
        int count = Math.min(parallel.blockRows(), rows - from);
        Batch alone = Batch.forSpec(network.spec(), count);
        alone.setRows(count);
        int in = network.spec().inputWidth();
        System.arraycopy(batch.x, from * in, alone.x, 0, count * in);
        if (batch.labels != null) {
          System.arraycopy(batch.labels, from, alone.labels, 0, count);
        } else {
          int t = network.spec().targetWidth();
          System.arraycopy(batch.targets, from * t, alone.targets, 0, count * t);
        }
        double[] gradient = new double[n];
        double blockLoss = parallel.blockLossAndGradient(alone, rows, b, gradient);
        assertWithMessage("%s: block %s alone, loss", model.name(), b)
            .that(Double.doubleToRawLongBits(blockLoss))
            .isEqualTo(Double.doubleToRawLongBits(losses[b]));
        assertWithMessage("%s: block %s alone, gradient", model.name(), b)
            .that(gradient)
            .isEqualTo(gradients[b]);
      }
    }
  }

  @Test
  void aStepOnThreeThreadsAllocatesNothing() {
    Model s4 = Seeds.model("S4");
    GeneratedNetworks compiled = GeneratedNetworks.compile(s4);
    Network network = compiled.create(s4, 64);
    ((DataParallel) network).setThreads(3);
    network.initialize(1);
    Batch batch = Batches.random(network.spec(), 64, 3);
    assertThat(((DataParallel) network).blocks(64)).isAtLeast(3);
    Runnable steps =
        () -> {
          for (int k = 0; k < 300; k++) {
            network.lossAndGradient(batch);
            network.sgdStep(1e-9);
          }
        };
    steps.run(); // warm up: class loading and JIT compilation allocate, the steps do not
    steps.run();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    // the least over up to 20 measurements: with the Vector API the kernels box their vectors until
    // C2 has compiled them, which on a loaded machine takes longer than the warm-up (35-212 MB
    // were measured at load 20 on 2 cores); an allocation per step would show in every measurement
    long bytes = Long.MAX_VALUE;
    for (int attempt = 0; attempt < 20 && bytes != 0; attempt++) {
      long before = threads.getThreadAllocatedBytes(thread);
      steps.run();
      bytes = Math.min(bytes, threads.getThreadAllocatedBytes(thread) - before);
    }
    ((DataParallel) network).setThreads(1);
    assertWithMessage("bytes allocated by 300 split steps on three threads")
        .that(bytes)
        .isEqualTo(0);
  }
}
