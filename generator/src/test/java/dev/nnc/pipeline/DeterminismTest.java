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
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.parallel.BusyThreads;
import dev.nnc.runtime.parallel.DataParallel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same {@code .nn}, data and seed give bit-identical weights on every run, through the whole
 * pipeline (parse, check, generate, compile, train), for every kind of batching and optimizer; and
 * the data-parallel training step gives the same bits on 1, 2, 3 and 4 threads, while busy threads
 * oversubscribe the cores.
 */
class DeterminismTest {
  private static final String MODEL =
      """
      network Det {
          input   x[64]
          dense   hidden[128]  tanh
          dense   out[4]
          target  t[4]
          loss    squared_error(out, t)
          penalty l2(0.001)
      }
      """;
  private static final int ROWS = 600;

  private static CompiledModel first;
  private static CompiledModel second;
  private static Dataset data;

  @BeforeAll
  static void compileTwiceAndMakeData() {
    first = compile();
    second = compile();
    Rng rng = new Rng(8);
    double[] x = new double[ROWS * 64];
    double[] t = new double[ROWS * 4];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextGaussian();
    }
    for (int r = 0; r < ROWS; r++) {
      for (int k = 0; k < 4; k++) {
        t[r * 4 + k] = Math.sin(x[r * 64 + k] + x[r * 64 + 10 + k]);
      }
    }
    data = new Dataset("det", ROWS, 64, x, 4, t, null);
  }

  private static CompiledModel compile() {
    CompileResult result = NnCompiler.compile("det.nn", MODEL);
    assertWithMessage(result.formatDiagnostics()).that(result.ok()).isTrue();
    return CompiledModel.of(result.model().orElseThrow());
  }

  static List<TrainConfig> recipes() {
    return List.of(
        new TrainConfig(0.05, 0.9, 300, true, false, 4, 0, 1),
        new TrainConfig(0.05, 1, 300, false, true, 4, 0, 2),
        new TrainConfig(0.01, 1, 300, true, false, 4, 0, 3, OptimizerSpec.momentum(0.9)),
        new TrainConfig(0.01, 1, 300, true, false, 4, 0, 4, OptimizerSpec.adam(0.9, 0.999, 1e-8)),
        new TrainConfig(1, 1, 0, false, false, 4, 0, 5, OptimizerSpec.conjugateGradient()));
  }

  private static Map<String, NpyArray> train(CompiledModel model, TrainConfig config, int threads) {
    Training.Prepared prepared = Training.prepare(model, data, config);
    Network network = prepared.network();
    DataParallel parallel = (DataParallel) network;
    parallel.setThreads(threads);
    int batchRows = Training.batchRows(config, ROWS);
    // several blocks (so every thread has work) for every one of these recipes
    assertThat(parallel.blocks(batchRows)).isAtLeast(4);
    try {
      return prepared.train(new dev.nnc.runtime.train.TrainListener() {}).weights();
    } finally {
      parallel.setThreads(1); // ends the workers
    }
  }

  @Test
  void sameInputsGiveTheSameBitsOnEveryRunAndThreadCountUnderLoad() {
    try (BusyThreads busy = BusyThreads.oversubscribe()) {
      for (TrainConfig config : recipes()) {
        sameBits(config);
      }
    }
  }

  private static void sameBits(TrainConfig config) {
    {
      Map<String, NpyArray> once = train(first, config, 1);
      Map<String, NpyArray> again = train(second, config, 1);
      // NpyArray.equals compares the doubles with Arrays.equals: bit for bit
      assertWithMessage("second run, %s", config).that(again).isEqualTo(once);
      for (int threads = 2; threads <= 4; threads++) {
        assertWithMessage("%s threads, %s", threads, config)
            .that(train(second, config, threads))
            .isEqualTo(once);
      }
      // and training moved the weights: a test that compared two untrained networks would pass
      Training.Prepared untrained = Training.prepare(first, data, config);
      assertWithMessage("trained, %s", config)
          .that(
              new Training.Result(
                      untrained.network(),
                      untrained.preprocessing(),
                      data,
                      new dev.nnc.runtime.train.History(List.of()))
                  .weights())
          .isNotEqualTo(once);
    }
  }
}
