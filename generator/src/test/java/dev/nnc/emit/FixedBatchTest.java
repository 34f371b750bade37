package dev.nnc.emit;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.nnc.emit.SameSteps.assertThreeSameSteps;
import static dev.nnc.emit.SameSteps.gradient;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.ir.Model;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.FixedBatch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.optim.NetworkObjective;
import dev.nnc.runtime.parallel.BusyThreads;
import dev.nnc.runtime.parallel.DataParallel;
import dev.nnc.testing.Batches;
import dev.nnc.testing.Seeds;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code lossAndGradient(FixedBatch)}: a generated class keeps a fixed batch's inputs converted to
 * its precision between calls, and lends them to its input buffer instead of loading the batch. It
 * must give the bits of {@code lossAndGradient(Batch)} on the same rows (on 1-4 threads, under
 * load, in the one-thread step that adds dW block by block and in the two-phase step), and never
 * compute with a stale copy: not after other calls wrote the input buffer, not for another fixed
 * batch (of the same size, made from the same batch after its rows changed), and never with rows
 * the fixed batch does not hold.
 */
class FixedBatchTest {
  private static final Model S3 = Seeds.model("S3");
  private static final Model S3_FLOAT = SeedNetworksTest.asFloat(S3);
  private static final Model S4_FLOAT = SeedNetworksTest.asFloat(Seeds.model("S4"));
  private static final Model CONV_FLOAT = conv();
  private static final List<Model> MODELS = List.of(S3, S3_FLOAT, S4_FLOAT, CONV_FLOAT);
  private static final GeneratedNetworks COMPILED = GeneratedNetworks.compile(MODELS);

  private static Model conv() {
    CompileResult result =
        NnCompiler.compile(
            "conv.nn",
            """
            network SmallConvFloat {
              precision float
              input   x[1, 8, 8]
              conv    c1[3] kernel 3 relu
              maxpool s2    kernel 2
              flatten f
              dense   h[7] tanh
              dense   out[4]
              label   y
              loss    softmax_cross_entropy(out, y)
              penalty l2(0.001)
            }
            """);
    return result.model().orElseThrow();
  }

  private static int rowsFor(Model model) {
    return 3 * ((DataParallel) COMPILED.create(model, 1)).blockRows() + 5;
  }

  @Test
  void aFixedBatchGivesTheBatchsBitsOnOneToFourThreadsUnderLoad() {
    try (BusyThreads busy = BusyThreads.oversubscribe()) {
      for (Model model : MODELS) {
        int rows = rowsFor(model);
        Network plain = COMPILED.create(model, rows);
        plain.initialize(5);
        plain.setPenaltyExampleCount(1000);
        Batch batch = Batches.random(plain.spec(), rows, 12);
        FixedBatch fixed = FixedBatch.copyOf(batch);
        for (int threads = 1; threads <= 4; threads++) {
          Network network = COMPILED.create(model, rows);
          ((DataParallel) network).setThreads(threads);
          network.initialize(5);
          network.setPenaltyExampleCount(1000);
          Network reference = COMPILED.create(model, rows);
          reference.initialize(5);
          reference.setPenaltyExampleCount(1000);
          try {
            // the held rows made once, then reused
            assertThreeSameSteps(
                network,
                n -> n.lossAndGradient(fixed),
                reference,
                batch,
                model.name() + ", " + threads + " threads");
          } finally {
            ((DataParallel) network).setThreads(1);
          }
        }
      }
    }
  }

  @Test
  void aHeldCopyIsNeverStale() {
    for (Model model : MODELS) {
      int rows = rowsFor(model);
      Network network = COMPILED.create(model, rows);
      network.initialize(7);
      network.setPenaltyExampleCount(1000);
      Network reference = COMPILED.create(model, rows);
      reference.initialize(7);
      reference.setPenaltyExampleCount(1000);
      Batch batch = Batches.random(network.spec(), rows, 21);
      Batch other = Batches.random(network.spec(), rows, 22);
      FixedBatch fixed = FixedBatch.copyOf(batch);
      double first = network.lossAndGradient(fixed);
      double[] firstGradient = gradient(network);
      assertThat(first).isEqualTo(reference.lossAndGradient(batch));

      // other calls write the input buffer: none of them reaches the held rows
      double[] out = new double[rows * network.spec().outputWidth()];
      network.lossAndGradient(other);
      network.loss(other);
      network.predict(other.x, rows, out);
      assertWithMessage("%s: after other batches", model.name())
          .that(network.lossAndGradient(fixed))
          .isEqualTo(first);
      assertThat(gradient(network)).isEqualTo(firstGradient);

      // the batch's rows change: the fixed batch keeps the rows it copied …
      for (int i = 0; i < batch.inputWidth; i++) {
        batch.x[i] = 0.5 - batch.x[i];
        batch.x[(rows - 1) * batch.inputWidth + i] *= -2;
      }
      assertWithMessage("%s: the fixed batch after its source changed", model.name())
          .that(network.lossAndGradient(fixed))
          .isEqualTo(first);
      // … and a new fixed batch of the same size is the new rows, not the held copy of the old
      double changed = reference.lossAndGradient(batch);
      assertThat(changed).isNotEqualTo(first);
      FixedBatch refreshed = FixedBatch.copyOf(batch);
      assertWithMessage("%s: a new fixed batch of the changed rows", model.name())
          .that(network.lossAndGradient(refreshed))
          .isEqualTo(changed);
      assertThat(gradient(network)).isEqualTo(gradient(reference));
      // and the first one again: its own rows, converted again
      assertThat(network.lossAndGradient(fixed)).isEqualTo(first);
      assertThat(gradient(network)).isEqualTo(firstGradient);

      // a smaller fixed batch after a larger one (the held buffer reused)
      batch.setRows(rows - 4);
      FixedBatch fewer = FixedBatch.copyOf(batch);
      assertThat(fewer.rows()).isEqualTo(rows - 4);
      assertThat(network.lossAndGradient(fewer)).isEqualTo(reference.lossAndGradient(batch));
      assertThat(gradient(network)).isEqualTo(gradient(reference));
      batch.setRows(rows);

      // only the fixed batch's own rows are trusted
      IllegalArgumentException refused =
          assertThrows(
              IllegalArgumentException.class,
              () -> network.lossAndGradientOfFixed(refreshed, batch));
      assertThat(refused)
          .hasMessageThat()
          .isEqualTo(
              "rows that the fixed batch does not hold: only its own rows are certain not to"
                  + " change (call lossAndGradient(FixedBatch))");
      // and after the refusal the network still computes the right thing
      assertThat(network.lossAndGradient(refreshed)).isEqualTo(changed);
      assertThat(network.lossAndGradient(other)).isEqualTo(reference.lossAndGradient(other));
    }
  }

  @Test
  void theNetworkDoesNotKeepAFixedBatchAlive() throws InterruptedException {
    int rows = rowsFor(S3_FLOAT);
    Network network = COMPILED.create(S3_FLOAT, rows);
    network.initialize(1);
    java.lang.ref.WeakReference<FixedBatch> held = evaluatedAndDropped(network, rows);
    for (int attempt = 0; attempt < 50 && held.get() != null; attempt++) {
      System.gc();
      Thread.sleep(10);
    }
    assertWithMessage("the fixed batch, collected once only the network refers to it")
        .that(held.get())
        .isNull();
    // and the network still evaluates a new fixed batch (the held rows made again)
    Batch batch = Batches.random(network.spec(), rows, 31);
    Network reference = COMPILED.create(S3_FLOAT, rows);
    reference.initialize(1);
    assertThat(network.lossAndGradient(FixedBatch.copyOf(batch)))
        .isEqualTo(reference.lossAndGradient(batch));
  }

  private static java.lang.ref.WeakReference<FixedBatch> evaluatedAndDropped(
      Network network, int rows) {
    FixedBatch fixed = FixedBatch.copyOf(Batches.random(network.spec(), rows, 30));
    network.lossAndGradient(fixed);
    return new java.lang.ref.WeakReference<>(fixed);
  }

  @Test
  void theObjectiveEvaluatesTheRowsAsTheyWereWhenItWasMade() {
    Network network = COMPILED.create(S3_FLOAT, rowsFor(S3_FLOAT));
    network.initialize(3);
    int rows = rowsFor(S3_FLOAT);
    network.setPenaltyExampleCount(rows);
    Batch batch = Batches.random(network.spec(), rows, 9);
    double[] parameters = new double[network.spec().parameterCount()];
    network.getParameters(parameters);
    NetworkObjective objective = new NetworkObjective(network, batch);
    double[] gradient = new double[parameters.length];
    double loss = objective.evaluate(parameters, gradient);
    assertThat(loss).isEqualTo(network.lossAndGradient(batch));
    assertThat(gradient).isEqualTo(gradient(network));

    Arrays.fill(batch.x, 0, batch.inputWidth, 0.25); // row 0 rewritten
    double[] again = new double[parameters.length];
    assertThat(objective.evaluate(parameters, again)).isEqualTo(loss);
    assertThat(again).isEqualTo(gradient);
    double changed = new NetworkObjective(network, batch).evaluate(parameters, again);
    assertThat(changed).isNotEqualTo(loss);
    assertThat(changed).isEqualTo(network.lossAndGradient(batch));
  }
}
