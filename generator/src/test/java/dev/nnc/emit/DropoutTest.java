package dev.nnc.emit;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.ir.Model;
import dev.nnc.reference.ReferenceNetwork;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Dropout;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.check.GradientCheck;
import dev.nnc.runtime.check.GradientReport;
import dev.nnc.runtime.parallel.BlockSums;
import dev.nnc.runtime.parallel.BusyThreads;
import dev.nnc.runtime.parallel.DataParallel;
import dev.nnc.testing.Batches;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code dropout(p)} in the generated class (looped and unrolled layers, relu, tanh and identity):
 * the same loss and gradient as the reference interpreter, which draws the masks itself (1e-10;
 * float 1e-4); nothing dropped by predict or with dropout off; a share p of the outputs dropped;
 * the same bits on 1-4 threads under load and in the per-block form a cluster runs; a gradient
 * check that passes, and fails once the backward forgets the mask.
 */
class DropoutTest {
  private static final String SOURCE =
      """
      network %s {
          precision %s
          input   x[7]
          dense   hidden[40]  relu     dropout(0.5)
          dense   mid[4]      tanh     dropout(p = 0.25)
          dense   lin[3]               dropout(rate = 0.1)
          dense   out[3]
          label   y
          loss    softmax_cross_entropy(out, y)
          penalty l2(0.001)
      }
      """;

  private static Model model(String name, String precision) {
    CompileResult result = NnCompiler.compile("drop.nn", SOURCE.formatted(name, precision));
    assertWithMessage(result.formatDiagnostics()).that(result.ok()).isTrue();
    return result.model().orElseThrow();
  }

  private static final Model DOUBLE = model("Drop", "double");
  private static final Model FLOAT = model("DropFloat", "float");
  private static final GeneratedNetworks COMPILED =
      GeneratedNetworks.compile(List.of(DOUBLE, FLOAT));

  private static double[] gradient(Network network) {
    double[] g = new double[network.spec().parameterCount()];
    network.getGradient(g);
    return g;
  }

  @Test
  void theGeneratedClassDropsAsTheReferenceDoes() {
    int rows = 9;
    Network generated = COMPILED.create(DOUBLE, rows);
    ReferenceNetwork reference = new ReferenceNetwork(DOUBLE, rows);
    generated.initialize(4);
    reference.initialize(4);
    Batch batch = Batches.random(generated.spec(), rows, 5);
    double off = generated.loss(batch);
    for (long step : new long[] {0, 1, 77}) {
      generated.setDropout(11, step);
      reference.setDropout(11, step);
      double loss = generated.lossAndGradient(batch);
      double expected = reference.lossAndGradient(batch);
      assertWithMessage("step %s: loss", step)
          .that(loss)
          .isWithin(1e-10 * Math.abs(expected))
          .of(expected);
      assertWithMessage("step %s: loss() at the same masks", step)
          .that(generated.loss(batch))
          .isWithin(1e-12 * Math.abs(expected))
          .of(loss);
      Tolerances.Mismatch worst =
          Tolerances.worst(
              "gradient", generated.spec(), gradient(generated), gradient(reference), 1e-6);
      assertWithMessage("step %s: %s", step, worst.description())
          .that(worst.error())
          .isAtMost(1e-10);
      // the masks drop something: the loss is not the one without dropout
      assertWithMessage("step %s: dropout changes the loss", step).that(loss).isNotEqualTo(off);
    }
    // off again: the loss without dropout, and predict never drops
    generated.setDropout(11, 3);
    double[] predicted = new double[rows * 3];
    generated.predict(batch.x, rows, predicted);
    generated.setDropout(11, -1);
    assertThat(generated.loss(batch)).isEqualTo(off);
    double[] expected = new double[rows * 3];
    reference.setDropout(11, -1);
    reference.predict(batch.x, rows, expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(predicted[i]).isWithin(1e-12 * (1 + Math.abs(expected[i]))).of(expected[i]);
    }
  }

  @Test
  void theFloatClassDropsTheSameUnits() {
    int rows = 6;
    Network generated = COMPILED.create(FLOAT, rows);
    ReferenceNetwork reference = new ReferenceNetwork(FLOAT, rows);
    generated.initialize(2);
    double[] parameters = new double[generated.spec().parameterCount()];
    generated.getParameters(parameters);
    reference.setParameters(parameters); // already float-rounded
    Batch batch = Batches.random(generated.spec(), rows, 3);
    for (int i = 0; i < batch.x.length; i++) {
      batch.x[i] = (float) batch.x[i];
    }
    generated.setDropout(5, 2);
    reference.setDropout(5, 2);
    double loss = generated.lossAndGradient(batch);
    double expected = reference.lossAndGradient(batch);
    assertThat(loss).isWithin(1e-4 * Math.abs(expected)).of(expected);
    Tolerances.Mismatch worst =
        Tolerances.worst(
            "gradient", generated.spec(), gradient(generated), gradient(reference), 1e-3);
    assertWithMessage(worst.description()).that(worst.error()).isAtMost(1e-4);
  }

  @Test
  void aShareOfPOfTheUnitsIsDroppedAndTheMasksChangeWithTheStepAndTheRow() {
    double p = 0.3;
    long threshold = Dropout.threshold(p);
    int n = 200_000;
    int dropped = 0;
    int sameAcrossSteps = 0;
    int sameAcrossRows = 0;
    for (int i = 0; i < n; i++) {
      int row = i / 50;
      int unit = i % 50;
      boolean kept = Dropout.keep(Dropout.rowKey(7, 3, 1, row), unit, threshold);
      dropped += kept ? 0 : 1;
      sameAcrossSteps +=
          kept == Dropout.keep(Dropout.rowKey(7, 4, 1, row), unit, threshold) ? 1 : 0;
      sameAcrossRows +=
          kept == Dropout.keep(Dropout.rowKey(7, 3, 1, row + 1), unit, threshold) ? 1 : 0;
    }
    // binomial: mean p·n, std √(n·p·(1 − p)) ≈ 205; 5 std
    assertThat((double) dropped).isWithin(5 * Math.sqrt(n * p * (1 - p))).of(p * n);
    // independent masks agree with probability p² + (1 − p)² = 0.58
    double agree = p * p + (1 - p) * (1 - p);
    double bound = 5 * Math.sqrt(n * agree * (1 - agree));
    assertThat((double) sameAcrossSteps).isWithin(bound).of(agree * n);
    assertThat((double) sameAcrossRows).isWithin(bound).of(agree * n);
    assertThat(Dropout.threshold(0)).isEqualTo(0); // p = 0 keeps everything
    assertThat(Dropout.scale(0.25)).isEqualTo(1 / 0.75);
  }

  @Test
  void oneToFourThreadsAndTheClustersBlocksGiveTheSameBitsUnderLoad() {
    Network probe = COMPILED.create(DOUBLE, 1);
    int rows = 3 * ((DataParallel) probe).blockRows() + 5; // four blocks, the last short
    Batch batch = Batches.random(probe.spec(), rows, 8);
    int count = probe.spec().parameterCount();
    double[] firstLoss = null;
    double[][] firstGradient = null;
    try (BusyThreads busy = BusyThreads.oversubscribe()) {
      for (int threads = 1; threads <= 4; threads++) {
        Network network = COMPILED.create(DOUBLE, rows);
        ((DataParallel) network).setThreads(threads);
        network.initialize(6);
        double[] losses = new double[2];
        double[][] gradients = new double[2][];
        for (int step = 0; step < 2; step++) {
          network.setDropout(9, step);
          losses[step] = network.lossAndGradient(batch);
          gradients[step] = gradient(network);
          network.sgdStep(0.1);
        }
        ((DataParallel) network).setThreads(1);
        if (firstLoss == null) {
          firstLoss = losses;
          firstGradient = gradients;
          assertThat(losses[1]).isNotEqualTo(losses[0]);
        } else {
          assertWithMessage("%s threads: losses", threads).that(losses).isEqualTo(firstLoss);
          for (int step = 0; step < 2; step++) {
            assertWithMessage("%s threads, step %s: gradient", threads, step)
                .that(gradients[step])
                .isEqualTo(firstGradient[step]);
          }
        }
      }
    }
    // the per-block form, given only each block's rows, draws the masks of the batch's rows
    Network network = COMPILED.create(DOUBLE, rows);
    DataParallel parallel = (DataParallel) network;
    network.initialize(6);
    network.setDropout(9, 0);
    int blocks = parallel.blocks(rows);
    double[] losses = new double[blocks];
    double[][] gradients = new double[blocks][count];
    for (int b = 0; b < blocks; b++) {
      int from = b * parallel.blockRows();
      int n = Math.min(parallel.blockRows(), rows - from);
      Batch part = Batch.forSpec(network.spec(), n);
      System.arraycopy(batch.x, from * 7, part.x, 0, n * 7);
      System.arraycopy(batch.labels, from, part.labels, 0, n);
      part.setRows(n);
      losses[b] = parallel.blockLossAndGradient(part, rows, b, gradients[b]);
    }
    double[] summed = new double[count];
    BlockSums.pairwise(gradients, blocks, summed);
    double loss = BlockSums.pairwise(losses, 0, blocks);
    assertThat(loss).isWithin(1e-12 * Math.abs(firstLoss[0])).of(firstLoss[0]);
    Tolerances.Mismatch worst =
        Tolerances.worst("gradient", network.spec(), summed, firstGradient[0], 1e-6);
    assertWithMessage(worst.description()).that(worst.error()).isAtMost(1e-10);
  }

  @Test
  void theGradientCheckPassesAndCatchesABackwardThatForgetsTheMask() {
    String source = new NetworkGenerator().generate(DOUBLE, "nnc.test.dropout").toString();
    // the class says what it drops, and where
    assertThat(source).contains("→ hidden (40, relu, dropout 0.5) → mid (4, tanh, dropout 0.25)");
    assertThat(source)
        .contains("private static final double HIDDEN_KEEP_SCALE = Dropout.scale(0.5);");
    assertThat(check(source).passed()).isTrue();
    String multiply = "daRow[j] *= mRow[j];";
    int at = source.indexOf(multiply, source.indexOf("private void midBackward("));
    assertThat(at).isGreaterThan(0);
    String altered = source.substring(0, at) + source.substring(at + multiply.length());
    GradientReport report = check(altered);
    assertThat(report.passed()).isFalse();
    assertThat(report.failures().stream().map(f -> f.tensor().name()))
        .containsAtLeast("mid.W", "hidden.W");
    assertThat(report.failures().stream().map(f -> f.tensor().name())).doesNotContain("out.W");
  }

  private static GradientReport check(String source) {
    try {
      CompiledClasses classes =
          InMemoryCompiler.compileSources(Map.of("nnc.test.dropout.Drop", source));
      Network network =
          (Network)
              classes.loadClass("nnc.test.dropout.Drop").getConstructor(int.class).newInstance(8);
      network.initialize(2);
      return GradientCheck.check(network, Batches.random(network.spec(), 8, 9));
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
