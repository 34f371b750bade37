package dev.nnc.pipeline;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.OptimizerSpec;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.parallel.BusyThreads;
import dev.nnc.runtime.parallel.DataParallel;
import dev.nnc.runtime.train.TrainListener;
import dev.nnc.runtime.train.WarmUp;
import dev.nnc.testing.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * {@link WarmUp} runs the training's calls on an instance of its own while training runs, and the
 * trained network is the same, bit for bit, as without it: for SGD, momentum and Adam, double and
 * float, dropout, a real network on one and on two threads; the warm-up kept running during the
 * whole training (a listener waits mid-training until it has taken more steps), with busy threads
 * oversubscribing the cores. And the warm-up really trains its instance, and stops when asked.
 * {@code WarmUpVectorTest} runs the same with the Vector API kernels, whose scratch arrays are per
 * thread.
 */
class WarmUpTest {
  private static final int ROWS = 240;

  /** Nielsen's network (S5) with the recipe of its train block. */
  private static CompiledModel nielsen() {
    return CompiledModel.of(Seeds.model("S5"));
  }

  private static CompiledModel compile(String name, String text) {
    CompileResult result = NnCompiler.compile(name + ".nn", text);
    assertWithMessage(result.formatDiagnostics()).that(result.ok()).isTrue();
    return CompiledModel.of(result.model().orElseThrow());
  }

  /** S5 in float: the float kernels and the float sigmoid's per-thread scratch. */
  private static CompiledModel nielsenFloat() {
    return compile(
        "NielsenFloat",
        Seeds.text("S5")
            .replace("network Nielsen {", "network NielsenFloat {\n    precision float"));
  }

  /** Dropout (masks drawn in the step), relu and softmax, 48-row batches: blocks for 2 threads. */
  private static CompiledModel dropped() {
    return compile(
        "Dropped",
        """
        network Dropped {
            input   x[784]
            dense   hidden[40]  relu  dropout(0.3)
            dense   out[10]
            label   y
            loss    softmax_cross_entropy(out, y)
            penalty l2(0.001)
        }
        """);
  }

  /** MNIST-like rows: 784 values in [0, 1), labels 0-9. */
  static Dataset data(long seed, int rows) {
    Rng rng = new Rng(seed);
    double[] x = new double[rows * 784];
    int[] labels = new int[rows];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextDouble();
    }
    for (int r = 0; r < rows; r++) {
      labels[r] = rng.nextInt(10);
    }
    return new Dataset("random digits", rows, 784, x, 10, null, labels);
  }

  private static double[] parameters(Network network) {
    double[] p = new double[network.spec().parameterCount()];
    network.getParameters(p);
    return p;
  }

  /** Trains with validation (the evaluation calls after every epoch); the final parameters. */
  private static double[] train(
      CompiledModel model, TrainConfig config, int threads, TrainListener listener) {
    Training.Prepared prepared = Training.prepare(model, data(1, ROWS), data(2, ROWS / 4), config);
    Network network = prepared.network();
    if (threads > 1) {
      assertThat(((DataParallel) network).blocks(config.batchSize())).isAtLeast(threads);
      ((DataParallel) network).setThreads(threads);
    }
    try {
      prepared.train(listener);
    } finally {
      if (network instanceof DataParallel parallel) {
        parallel.setThreads(1);
      }
    }
    return parameters(network);
  }

  private static void waitFor(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertWithMessage("waited two minutes for %s", what)
          .that(System.nanoTime() < deadline)
          .isTrue();
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  /**
   * Trains {@code config} without a warm-up, then again while a warm-up of the same class runs
   * beside it from before the first step to after the last, and compares every bit.
   */
  private static void sameBitsWithAWarmUpBeside(
      CompiledModel model, TrainConfig config, int threads) {
    double[] alone = train(model, config, threads, new TrainListener() {});
    Network untrained = model.newNetwork(1);
    untrained.initialize(config.seed());
    assertWithMessage("%s: training moved the weights", model.model().name())
        .that(alone)
        .isNotEqualTo(parameters(untrained));

    WarmUp warmUp = WarmUp.startAlways(model::newNetwork, config);
    double[] beside;
    long during;
    try {
      waitFor(() -> warmUp.evaluations() >= 1, "the warm-up's first step and evaluation");
      long[] atStart = new long[1];
      TrainListener overlap =
          new TrainListener() {
            @Override
            public void onStep(int epoch, int step, double loss) {
              if (epoch == 1 && step == 1) {
                atStart[0] = warmUp.steps();
              } else if (epoch == 1 && step == 3) {
                // the warm-up takes steps while this training is between two of its own
                waitFor(() -> warmUp.steps() > atStart[0], "a warm-up step during training");
              }
            }
          };
      beside = train(model, config, threads, overlap);
      during = warmUp.steps() - atStart[0];
    } finally {
      warmUp.stop();
    }
    assertWithMessage("%s: warm-up steps during training", model.model().name())
        .that(during)
        .isAtLeast(1L);
    // Truth compares double arrays with Arrays.equals: bit for bit (NaN aside: there is none)
    assertWithMessage("%s, %s: trained beside a warm-up", model.model().name(), config)
        .that(beside)
        .isEqualTo(alone);
  }

  @Test
  void aWarmUpBesideTrainingChangesNoBitOfTheResultUnderLoad() {
    CompiledModel nielsen = nielsen();
    CompiledModel nielsenFloat = nielsenFloat();
    CompiledModel dropped = dropped();
    try (BusyThreads busy = BusyThreads.oversubscribe()) {
      // Nielsen's recipe: sgd(lr = 3.0), batches of 10, shuffled; two epochs
      sameBitsWithAWarmUpBeside(nielsen, new TrainConfig(3.0, 1, 10, true, false, 2, 0, 1), 1);
      sameBitsWithAWarmUpBeside(
          nielsenFloat,
          new TrainConfig(0.5, 1, 10, true, false, 2, 0, 2, OptimizerSpec.momentum(0.9)),
          1);
      sameBitsWithAWarmUpBeside(
          dropped,
          new TrainConfig(0.01, 1, 48, true, false, 2, 0, 3, OptimizerSpec.adam(0.9, 0.999, 1e-8)),
          2);
    }
  }

  @Test
  void theWarmUpTrainsAnInstanceOfItsOwnAndStopsWhenAsked() {
    CompiledModel model = nielsen();
    TrainConfig config = new TrainConfig(3.0, 1, 10, true, false, 30, 0, 1);
    List<Network> made = new ArrayList<>();
    List<Integer> rows = new ArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    try (BusyThreads busy = BusyThreads.oversubscribe()) {
      WarmUp warmUp =
          WarmUp.startAlways(
              maxRows -> {
                calls.incrementAndGet();
                rows.add(maxRows);
                Network network = model.newNetwork(maxRows);
                made.add(network);
                return network;
              },
              config);
      assertThat(warmUp.started()).isTrue();
      waitFor(() -> warmUp.evaluations() >= 2, "two evaluations of the warm-up");
      long steps = warmUp.stop();
      assertThat(steps).isAtLeast(2L);
      // stopped: its thread has ended, so the count cannot move any more
      long after = warmUp.steps();
      assertThat(after).isEqualTo(steps);
      assertThat(warmUp.stop()).isEqualTo(steps); // a second stop changes nothing
    }
    assertThat(calls.get()).isEqualTo(1);
    assertThat(rows).containsExactly(10); // the recipe's batch
    Network fresh = model.newNetwork(10);
    fresh.initialize(config.seed());
    assertWithMessage("the warm-up's instance took steps")
        .that(parameters(made.get(0)))
        .isNotEqualTo(parameters(fresh));
  }

  @Test
  void theWarmUpOfAFullBatchRecipeEvaluatesWithoutMovingItsInstance() {
    CompiledModel model = nielsen();
    TrainConfig config =
        new TrainConfig(1, 1, 0, false, false, 5, 0, 4, OptimizerSpec.conjugateGradient());
    List<Network> made = new ArrayList<>();
    WarmUp warmUp =
        WarmUp.startAlways(
            maxRows -> {
              Network network = model.newNetwork(maxRows);
              made.add(network);
              return network;
            },
            config);
    waitFor(() -> warmUp.evaluations() >= 2, "two evaluations of the warm-up");
    assertThat(warmUp.stop()).isAtLeast(2L);
    // CG's calls (lossAndGradient, getGradient, setParameters) leave the initial parameters
    Network fresh = model.newNetwork(made.get(0).maxRows());
    fresh.initialize(config.seed());
    assertThat(parameters(made.get(0))).isEqualTo(parameters(fresh));
    assertThat(made.get(0).maxRows()).isEqualTo(64);
  }

  @Test
  void thePropertyTurnsItOff() {
    String before = System.getProperty(WarmUp.PROPERTY);
    System.setProperty(WarmUp.PROPERTY, "false");
    try {
      AtomicInteger calls = new AtomicInteger();
      WarmUp warmUp =
          WarmUp.start(
              maxRows -> {
                calls.incrementAndGet();
                return nielsen().newNetwork(maxRows);
              },
              new TrainConfig(3.0, 1, 10, true, false, 30, 0, 1));
      assertThat(warmUp.started()).isFalse();
      assertThat(warmUp.stop()).isEqualTo(0L);
      assertThat(calls.get()).isEqualTo(0);
    } finally {
      if (before == null) {
        System.clearProperty(WarmUp.PROPERTY);
      } else {
        System.setProperty(WarmUp.PROPERTY, before);
      }
    }
    if (!"false".equals(before) && WarmUp.enabled()) {
      assertThat(Runtime.getRuntime().availableProcessors()).isGreaterThan(1);
    }
  }
}
