package dev.nnc.emit;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.ir.Model;
import dev.nnc.reference.ReferenceNetwork;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.parallel.BusyThreads;
import dev.nnc.runtime.parallel.DataParallel;
import dev.nnc.testing.Batches;
import dev.nnc.testing.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code lastOutputs}: the outputs of the forward pass the last {@code loss} or {@code
 * lossAndGradient} made, so the runtime gets a loss and its outputs from one pass. Without dropout
 * they are {@code predict}'s bits; with dropout they are the dropped pass's (the reference
 * interpreter's to 1e-12, and not predict's); on 1-4 threads, batches of several blocks, the same
 * bits; after a {@code predict}, or for more rows than computed, an error rather than stale rows.
 */
class LastOutputsTest {
  private static final int[] THREADS = {1, 2, 3, 4};

  private static Model compile(String name, String text) {
    CompileResult result = NnCompiler.compile(name + ".nn", text);
    assertWithMessage(result.formatDiagnostics()).that(result.ok()).isTrue();
    return result.model().orElseThrow();
  }

  private static List<Model> models() {
    List<Model> models = new ArrayList<>();
    for (String seed : List.of("S1", "S3", "S5")) {
      models.add(Seeds.model(seed));
    }
    models.add(SeedNetworksTest.asFloat(Seeds.model("S5")));
    models.add(
        compile(
            "Dropped",
            "network Dropped {\n  input x[12]\n  dense h[40] relu dropout(0.5)\n"
                + "  dense out[3]\n  label y\n  loss softmax_cross_entropy(out, y)\n}\n"));
    models.add(
        compile(
            "Binary",
            "network Binary {\n  input x[7]\n  dense h[9] tanh\n  dense out[1] sigmoid\n"
                + "  target y[1]\n  loss binary_cross_entropy(out, y)\n}\n"));
    models.add(compile("Lenet", ConvGeneratedTest.lenet("Lenet", "double")));
    return models;
  }

  @Test
  void theOutputsOfTheLastLossArePredictsBits() {
    List<Model> models = models();
    GeneratedNetworks compiled = GeneratedNetworks.compile(models);
    for (Model model : models) {
      int rows = 13;
      Network network = compiled.create(model, rows);
      network.initialize(4);
      network.setPenaltyExampleCount(100);
      NetworkSpec spec = network.spec();
      Batch batch = Batches.random(spec, rows, 9);
      double[] predicted = new double[rows * spec.outputWidth()];
      network.predict(batch.x, rows, predicted);
      double[] kept = new double[rows * spec.outputWidth()];
      Arrays.fill(kept, Double.NaN);
      network.loss(batch);
      assertThat(network.lastOutputs(rows, kept)).isTrue();
      assertWithMessage("%s: lastOutputs after loss", model.name()).that(kept).isEqualTo(predicted);
      // the outputs of the loss's own rows: a later, smaller batch leaves only its rows
      batch.setRows(5);
      network.loss(batch);
      double[] five = new double[5 * spec.outputWidth()];
      network.lastOutputs(5, five);
      assertThat(five).isEqualTo(Arrays.copyOf(predicted, five.length));
      IllegalStateException tooMany =
          assertThrows(IllegalStateException.class, () -> network.lastOutputs(6, kept));
      assertThat(tooMany)
          .hasMessageThat()
          .isEqualTo(
              "asked for the outputs of 6 rows; the last loss or lossAndGradient computed 5");
      // predict overwrites the buffers: no outputs of a loss until the next one
      network.predict(batch.x, 2, predicted);
      assertThrows(IllegalStateException.class, () -> network.lastOutputs(1, kept));
      assertThat(network.lastOutputs(0, kept)).isTrue();
    }
  }

  @Test
  void theOutputsOfADroppedStepAreTheDroppedPassOnOneToFourThreadsUnderLoad() {
    List<Model> models = models();
    GeneratedNetworks compiled = GeneratedNetworks.compile(models);
    int parallel = 0;
    try (BusyThreads busy = BusyThreads.oversubscribe()) {
      for (Model model : models) {
        Network probe = compiled.create(model, 1);
        int block = probe instanceof DataParallel split ? split.blockRows() : 4;
        int rows = 2 * block + 3; // three blocks, the last one short
        NetworkSpec spec = probe.spec();
        Batch batch = Batches.random(spec, rows, 21);
        boolean dropout = model.layers().stream().anyMatch(l -> l.dropsOut());
        double[][] outputs = new double[THREADS.length][rows * spec.outputWidth()];
        for (int t = 0; t < THREADS.length; t++) {
          Network network = compiled.create(model, rows);
          if (network instanceof DataParallel split) {
            split.setThreads(THREADS[t]);
          } else if (t > 0) {
            outputs[t] = outputs[0];
            continue;
          }
          try {
            network.initialize(8);
            network.setPenaltyExampleCount(100);
            network.setDropout(3, 17);
            network.lossAndGradient(batch);
            assertThat(network.lastOutputs(rows, outputs[t])).isTrue();
          } finally {
            if (network instanceof DataParallel split) {
              split.setThreads(1);
            }
          }
        }
        if (probe instanceof DataParallel) {
          parallel++;
        }
        for (int t = 1; t < THREADS.length; t++) {
          assertWithMessage("%s: outputs on %s threads vs 1", model.name(), THREADS[t])
              .that(outputs[t])
              .isEqualTo(outputs[0]);
        }
        ReferenceNetwork reference = new ReferenceNetwork(model, rows);
        reference.initialize(8);
        reference.setPenaltyExampleCount(100);
        reference.setDropout(3, 17);
        reference.lossAndGradient(batch);
        double[] expected = new double[rows * spec.outputWidth()];
        assertThat(reference.lastOutputs(rows, expected)).isTrue();
        double tolerance = spec.precision() == NetworkSpec.Precision.DOUBLE ? 1e-12 : 1e-5;
        for (int i = 0; i < expected.length; i++) {
          assertWithMessage("%s: output %s vs the reference interpreter", model.name(), i)
              .that(outputs[0][i])
              .isWithin(tolerance * Math.max(1, Math.abs(expected[i])))
              .of(expected[i]);
        }
        double[] undropped = new double[expected.length];
        Network plain = compiled.create(model, rows);
        plain.initialize(8);
        plain.predict(batch.x, rows, undropped);
        if (dropout) {
          assertWithMessage("%s: the dropped pass is not predict's", model.name())
              .that(outputs[0])
              .isNotEqualTo(undropped);
        } else {
          assertWithMessage("%s: without dropout, predict's bits", model.name())
              .that(outputs[0])
              .isEqualTo(undropped);
        }
      }
    }
    assertWithMessage("networks split into blocks").that(parallel).isAtLeast(4);
  }
}
