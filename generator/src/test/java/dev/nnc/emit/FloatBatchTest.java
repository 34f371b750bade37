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
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.parallel.BusyThreads;
import dev.nnc.runtime.parallel.DataParallel;
import dev.nnc.runtime.train.Trainer;
import dev.nnc.testing.Batches;
import dev.nnc.testing.Seeds;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Float batches ({@link Network#newBatch} of a float network): their rows, rounded to float once
 * when the batch is filled, are lent to the input buffer instead of converted in every call. A
 * float network must compute the bits of a batch of the same doubles from them (every step, on 1-4
 * threads, under load, in the one-thread step and the two-phase step, and in {@code loss}, the
 * blocks of {@code DataParallel} and a fixed batch), never write into them (not after other calls
 * wrote the input buffer), and train to the same parameters bit for bit as with batches of doubles;
 * a double network refuses them.
 */
class FloatBatchTest {
  private static final Model S2_FLOAT = SeedNetworksTest.asFloat(Seeds.model("S2"));
  private static final Model S3_FLOAT = SeedNetworksTest.asFloat(Seeds.model("S3"));
  private static final Model S4_FLOAT = SeedNetworksTest.asFloat(Seeds.model("S4"));
  private static final Model S5_FLOAT = SeedNetworksTest.asFloat(Seeds.model("S5"));
  private static final Model S3 = Seeds.model("S3");
  private static final Model TINY_FLOAT = tiny();
  private static final List<Model> FLOAT_MODELS =
      List.of(S2_FLOAT, S3_FLOAT, S4_FLOAT, S5_FLOAT, TINY_FLOAT);
  private static final GeneratedNetworks COMPILED =
      GeneratedNetworks.compile(List.of(S2_FLOAT, S3_FLOAT, S4_FLOAT, S5_FLOAT, S3, TINY_FLOAT));

  /** A float network of unrolled layers only (no step of blocks: it copies a float batch). */
  private static Model tiny() {
    CompileResult result =
        NnCompiler.compile(
            "tiny.nn",
            """
            network TinyFloat {
              precision float
              input   x[3]
              dense   h[2] tanh
              dense   out[2]
              label   y
              loss    softmax_cross_entropy(out, y)
            }
            """);
    return result.model().orElseThrow();
  }

  private static int rowsFor(Network network) {
    return network instanceof DataParallel parallel ? 3 * parallel.blockRows() + 5 : 7;
  }

  private static double[] parameters(Network network) {
    double[] parameters = new double[network.spec().parameterCount()];
    network.getParameters(parameters);
    return parameters;
  }

  private static Batch floatCopy(Network network, Batch batch) {
    Batch floats = network.newBatch(batch.rows());
    floats.copyFrom(batch);
    return floats;
  }

  @Test
  void aFloatNetworksBatchesAreFloatBatches() {
    for (Model model : List.of(S2_FLOAT, S3_FLOAT, S4_FLOAT, S5_FLOAT)) {
      assertWithMessage(model.name())
          .that(COMPILED.create(model, 8).newBatch(8).floatInputs())
          .isTrue();
    }
    assertThat(COMPILED.create(S3, 8).newBatch(8).floatInputs()).isFalse();
    assertThat(COMPILED.create(TINY_FLOAT, 8).newBatch(8).floatInputs()).isFalse();
  }

  @Test
  void aFloatBatchGivesTheBitsOfItsDoublesOnOneToFourThreadsUnderLoad() {
    try (BusyThreads busy = BusyThreads.oversubscribe()) {
      for (Model model : FLOAT_MODELS) {
        int rows = rowsFor(COMPILED.create(model, 1));
        int maxThreads = COMPILED.create(model, 1) instanceof DataParallel ? 4 : 1;
        for (int threads = 1; threads <= maxThreads; threads++) {
          Network network = COMPILED.create(model, rows);
          Network reference = COMPILED.create(model, rows);
          if (threads > 1) {
            ((DataParallel) network).setThreads(threads);
          }
          try {
            network.initialize(5);
            reference.initialize(5);
            network.setPenaltyExampleCount(1000);
            reference.setPenaltyExampleCount(1000);
            Batch batch = Batches.random(network.spec(), rows, 12);
            Batch floats = Batch.forSpecInFloat(network.spec(), rows);
            floats.copyFrom(batch);
            assertThreeSameSteps(
                network,
                n -> n.lossAndGradient(floats),
                reference,
                batch,
                model.name() + ", " + threads + " threads");
          } finally {
            if (threads > 1) {
              ((DataParallel) network).setThreads(1);
            }
          }
        }
      }
    }
  }

  @Test
  void aFloatBatchIsNeverWrittenAndGivesItsBitsAfterOtherCalls() {
    for (Model model : FLOAT_MODELS) {
      Network network = COMPILED.create(model, rowsFor(COMPILED.create(model, 1)));
      int rows = rowsFor(network);
      Network reference = COMPILED.create(model, rows);
      network.initialize(7);
      reference.initialize(7);
      Batch batch = Batches.random(network.spec(), rows, 21);
      Batch other = Batches.random(network.spec(), rows, 22);
      Batch floats = Batch.forSpecInFloat(network.spec(), rows);
      floats.copyFrom(batch);
      float[][] before = new float[rows][];
      for (int r = 0; r < rows; r++) {
        before[r] = floats.floatRows[r].clone();
      }
      double first = network.lossAndGradient(floats);
      assertThat(first).isEqualTo(reference.lossAndGradient(batch));
      double[] firstGradient = gradient(network);

      // other calls write the input buffer: none of them reaches the batch's rows
      double[] out = new double[rows * network.spec().outputWidth()];
      network.predict(other.x, rows, out);
      network.loss(other);
      network.lossAndGradient(other);
      for (int r = 0; r < rows; r++) {
        assertWithMessage("%s: row %s of the float batch", model.name(), r)
            .that(floats.floatRows[r])
            .isEqualTo(before[r]);
      }
      assertWithMessage("%s: after other batches", model.name())
          .that(network.lossAndGradient(floats))
          .isEqualTo(first);
      assertThat(gradient(network)).isEqualTo(firstGradient);

      // loss, the outputs it keeps, and a fixed copy of the float batch
      assertThat(network.loss(floats)).isEqualTo(reference.loss(batch));
      double[] outputs = new double[rows * network.spec().outputWidth()];
      double[] expectedOutputs = new double[outputs.length];
      network.lastOutputs(rows, outputs);
      reference.lastOutputs(rows, expectedOutputs);
      assertThat(outputs).isEqualTo(expectedOutputs);
      FixedBatch fixed = FixedBatch.copyOf(floats);
      assertThat(network.lossAndGradient(fixed)).isEqualTo(first);
      assertThat(gradient(network)).isEqualTo(firstGradient);
      assertThat(network.lossAndGradient(fixed)).isEqualTo(first);
      assertThat(network.lossAndGradient(other)).isEqualTo(reference.lossAndGradient(other));
    }
  }

  @Test
  void theBlocksOfAFloatBatchGiveTheBitsOfItsDoubles() {
    for (Model model : List.of(S2_FLOAT, S4_FLOAT)) {
      Network network = COMPILED.create(model, rowsFor(COMPILED.create(model, 1)));
      int rows = rowsFor(network);
      Network reference = COMPILED.create(model, rows);
      network.initialize(3);
      reference.initialize(3);
      Batch batch = Batches.random(network.spec(), rows, 5);
      Batch floats = floatCopy(network, batch);
      DataParallel blocks = (DataParallel) network;
      DataParallel expected = (DataParallel) reference;
      double[] gradient = new double[network.spec().parameterCount()];
      double[] expectedGradient = new double[gradient.length];
      for (int block = 0; block * blocks.blockRows() < rows; block++) {
        assertThat(blocks.blockLossAndGradient(floats, block, gradient))
            .isEqualTo(expected.blockLossAndGradient(batch, block, expectedGradient));
        assertThat(gradient).isEqualTo(expectedGradient);
      }
    }
  }

  @Test
  void aDoubleNetworkRefusesAFloatBatch() {
    Network network = COMPILED.create(S3, 8);
    network.initialize(1);
    Batch floats = Batch.forSpecInFloat(network.spec(), 8);
    floats.copyFrom(Batches.random(network.spec(), 8, 1));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> network.lossAndGradient(floats));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "a float batch (its inputs rounded to float); this network computes in double: build"
                + " its batches with Batch.forSpec(SPEC, rows)");
  }

  /** The generated network without its newBatch: the trainer then fills batches of doubles. */
  private record DoubleBatches(Network network) implements Network {
    @Override
    public NetworkSpec spec() {
      return network.spec();
    }

    @Override
    public int maxRows() {
      return network.maxRows();
    }

    @Override
    public void getParameters(double[] dst) {
      network.getParameters(dst);
    }

    @Override
    public void setParameters(double[] src) {
      network.setParameters(src);
    }

    @Override
    public void getGradient(double[] dst) {
      network.getGradient(dst);
    }

    @Override
    public double loss(Batch batch) {
      return network.loss(batch);
    }

    @Override
    public double lossAndGradient(Batch batch) {
      return network.lossAndGradient(batch);
    }

    @Override
    public void predict(double[] x, int rows, double[] out) {
      network.predict(x, rows, out);
    }

    @Override
    public boolean lastOutputs(int rows, double[] out) {
      return network.lastOutputs(rows, out);
    }

    @Override
    public void sgdStep(double learningRate) {
      network.sgdStep(learningRate);
    }

    @Override
    public void setPenaltyExampleCount(int m) {
      network.setPenaltyExampleCount(m);
    }
  }

  /** Rows of MNIST's kind: bytes and a scale of 1/255, as nnc train reads IDX files. */
  private static Dataset bytes(NetworkSpec spec, int rows, long seed) {
    Rng rng = new Rng(seed);
    byte[] codes = new byte[rows * spec.inputWidth()];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = (byte) rng.nextInt(256);
    }
    int[] labels = new int[rows];
    for (int r = 0; r < rows; r++) {
      labels[r] = rng.nextInt(spec.targetWidth());
    }
    return Dataset.ofBytes("bytes", rows, spec.inputWidth(), codes, 1 / 255.0, 0, null, labels);
  }

  /** Rows of doubles: dense targets for S4, as a CSV or NPZ file gives them. */
  private static Dataset doubles(NetworkSpec spec, int rows, long seed) {
    Batch random = Batches.random(spec, rows, seed);
    return new Dataset(
        "doubles",
        rows,
        spec.inputWidth(),
        random.x,
        spec.targetWidth(),
        random.targets,
        random.labels);
  }

  @Test
  void trainingWithFloatBatchesGivesTheParametersOfBatchesOfDoubles() {
    record Run(Model model, Dataset data, TrainConfig config) {}
    NetworkSpec s2 = COMPILED.create(S2_FLOAT, 1).spec();
    NetworkSpec s4 = COMPILED.create(S4_FLOAT, 1).spec();
    List<Run> runs =
        List.of(
            // with replacement, as S2's recipe draws its batches
            new Run(
                S2_FLOAT, bytes(s2, 300, 1), new TrainConfig(0.5, 0.95, 64, false, true, 2, 0, 3L)),
            // shuffled, the last batch smaller
            new Run(
                S4_FLOAT, doubles(s4, 150, 2), new TrainConfig(1e-6, 1, 64, true, false, 3, 0, 4L)),
            // rows in order, two threads
            new Run(
                S2_FLOAT, bytes(s2, 100, 3), new TrainConfig(0.1, 1, 40, false, false, 2, 0, 5L)));
    int index = 0;
    for (Run run : runs) {
      int batchRows = run.config().batchSize();
      Network floats = COMPILED.create(run.model(), batchRows);
      Network doubles = COMPILED.create(run.model(), batchRows);
      if (index == 2) {
        ((DataParallel) floats).setThreads(2);
      }
      try {
        floats.initialize(run.config().seed());
        doubles.initialize(run.config().seed());
        double[] start = parameters(floats);
        var floatHistory = new Trainer(floats, run.config()).train(run.data());
        var doubleHistory = new Trainer(new DoubleBatches(doubles), run.config()).train(run.data());
        String what = run.model().name() + ", run " + index;
        assertWithMessage("%s: losses", what)
            .that(floatHistory.epochs())
            .isEqualTo(doubleHistory.epochs());
        assertWithMessage("%s: parameters", what)
            .that(parameters(floats))
            .isEqualTo(parameters(doubles));
        assertWithMessage("%s: it trained", what).that(parameters(floats)).isNotEqualTo(start);
      } finally {
        if (index == 2) {
          ((DataParallel) floats).setThreads(1);
        }
      }
      index++;
    }
  }
}
