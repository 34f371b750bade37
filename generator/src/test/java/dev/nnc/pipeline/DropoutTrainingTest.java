package dev.nnc.pipeline;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.parallel.BusyThreads;
import dev.nnc.runtime.parallel.DataParallel;
import dev.nnc.runtime.train.Checkpoint;
import dev.nnc.runtime.train.EpochRecord;
import dev.nnc.runtime.train.History;
import dev.nnc.runtime.train.TrainListener;
import dev.nnc.runtime.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training with {@code dropout(p)} through the trainer: it learns (the loss without dropout falls
 * well below the untrained network's), it does drop (the weights differ from the same recipe with
 * {@code dropout(0)}), the weights are the same bits on 1 and 3 threads under load and on a second
 * run, and a run resumed from its epoch-2 checkpoint ends in the bits of the uninterrupted one.
 */
class DropoutTrainingTest {
  private static final String MODEL =
      """
      network Dropped {
          input   x[64]
          dense   hidden[128]  relu  dropout(%s)
          dense   out[3]
          label   y
          loss    softmax_cross_entropy(out, y)
      }
      """;
  private static final int ROWS = 480;
  private static final TrainConfig CONFIG =
      new TrainConfig(
          0.01, 1, 160, true, false, 4, 0, 7, dev.nnc.runtime.OptimizerSpec.adam(0.9, 0.999, 1e-8));

  private static final CompiledModel DROPPED = compile("0.5");
  private static final CompiledModel NOT_DROPPED = compile("0");
  private static final Dataset DATA = data();

  private static CompiledModel compile(String rate) {
    CompileResult result = NnCompiler.compile("dropped.nn", MODEL.formatted(rate));
    assertWithMessage(result.formatDiagnostics()).that(result.ok()).isTrue();
    return CompiledModel.of(result.model().orElseThrow());
  }

  /** Three classes: bands of a sum of two of the 64 inputs. */
  private static Dataset data() {
    Rng rng = new Rng(12);
    double[] x = new double[ROWS * 64];
    int[] y = new int[ROWS];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextGaussian();
    }
    for (int r = 0; r < ROWS; r++) {
      double a = x[r * 64] + 0.5 * x[r * 64 + 3];
      y[r] = a < -0.5 ? 0 : a < 0.5 ? 1 : 2;
    }
    return new Dataset("dropped", ROWS, 64, x, 3, null, y);
  }

  private static Training.Result train(CompiledModel model, int threads) {
    Training.Prepared prepared = Training.prepare(model, DATA, CONFIG);
    DataParallel parallel = (DataParallel) prepared.network();
    assertThat(parallel.blocks(160)).isAtLeast(2);
    parallel.setThreads(threads);
    try {
      return prepared.train(new TrainListener() {});
    } finally {
      parallel.setThreads(1);
    }
  }

  /** The mean loss over the whole training set, without dropout. */
  private static double loss(Network network, Dataset data) {
    Batch batch = Batch.forSpec(network.spec(), data.rows());
    System.arraycopy(data.x(), 0, batch.x, 0, data.rows() * 64);
    System.arraycopy(data.labels(), 0, batch.labels, 0, data.rows());
    batch.setRows(data.rows());
    network.setDropout(0, -1);
    return network.loss(batch);
  }

  @Test
  void learnsDropsAndGivesTheSameBitsOnEveryRunAndThreadCountUnderLoad() {
    Training.Result once;
    try (BusyThreads busy = BusyThreads.oversubscribe()) {
      once = train(DROPPED, 1);
      assertWithMessage("second run").that(train(DROPPED, 1).weights()).isEqualTo(once.weights());
      assertWithMessage("3 threads").that(train(DROPPED, 3).weights()).isEqualTo(once.weights());
    }
    Training.Prepared untrained = Training.prepare(DROPPED, DATA, CONFIG);
    Network big = DROPPED.newNetwork(ROWS);
    big.setParameters(flat(untrained.network()));
    double before = loss(big, untrained.data());
    big.setParameters(flat(once.network()));
    double after = loss(big, untrained.data());
    assertWithMessage("loss without dropout: untrained %s, trained %s", before, after)
        .that(after)
        .isLessThan(0.5 * before);
    Map<String, NpyArray> without = train(NOT_DROPPED, 1).weights();
    assertWithMessage("dropout(0.5) against dropout(0)").that(once.weights()).isNotEqualTo(without);
  }

  @Test
  void aResumedRunDrawsTheMasksOfTheUninterruptedOne(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("run.ckpt");
    Path atEpoch2 = dir.resolve("epoch2.ckpt");
    Training.Prepared straight = Training.prepare(DROPPED, DATA, CONFIG);
    TrainListener copyAtEpoch3 =
        new TrainListener() {
          @Override
          public void onEpoch(EpochRecord record) {
            if (record.epoch() == 3) { // the file still holds epoch 2's checkpoint
              try {
                Files.copy(file, atEpoch2, StandardCopyOption.REPLACE_EXISTING);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }
          }
        };
    History full =
        straight
            .configure(
                new Trainer(straight.network(), CONFIG)
                    .addListener(copyAtEpoch3)
                    .checkpointEvery(2, file))
            .train(straight.data());
    assertThat(full.epochs()).hasSize(4);

    Training.Prepared resumed = Training.prepare(DROPPED, DATA, CONFIG);
    History rest =
        resumed
            .configure(
                new Trainer(resumed.network(), CONFIG)
                    .resumeFrom(Checkpoint.read(atEpoch2), atEpoch2.toString()))
            .train(resumed.data());
    assertThat(rest.epochs()).hasSize(4);
    assertThat(flat(resumed.network())).isEqualTo(flat(straight.network()));
    assertThat(rest.epochs().get(3).meanLoss()).isEqualTo(full.epochs().get(3).meanLoss());
  }

  private static double[] flat(Network network) {
    double[] p = new double[network.spec().parameterCount()];
    network.getParameters(p);
    return p;
  }
}
