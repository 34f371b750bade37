package dev.nnc.spark;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.OptimizerSpec;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.Npz;
import dev.nnc.runtime.data.Preprocessing;
import dev.nnc.runtime.parallel.BlockSums;
import dev.nnc.runtime.parallel.DataParallel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Spark in this JVM (local[2], local[3]): the weights of a cluster run equal, byte for byte in
 * the written .npz, those of the single-machine run with the same blocks, whatever the partition
 * count, for SGD, Adam and L-BFGS; with two busy threads oversubscribing the cores throughout.
 */
class SparkTrainerTest {
  static final Path NN = Path.of("src/test/resources/blocks.nn");
  static SparkModel model;
  static Dataset raw;

  @TempDir Path temp;

  @BeforeAll
  static void compile() {
    model = SparkModel.compile(NN);
    raw = TestData.raw(TestData.ROWS, 11);
  }

  static Map<String, TrainConfig> recipes() {
    Map<String, TrainConfig> recipes = new LinkedHashMap<>();
    recipes.put("sgd", new TrainConfig(0.5, 0.9, 2048, true, false, 1, 0, 7, OptimizerSpec.sgd()));
    recipes.put(
        "adam",
        new TrainConfig(0.02, 1, 2048, false, true, 0, 6, 7, OptimizerSpec.adam(0.9, 0.999, 1e-8)));
    recipes.put("lbfgs", new TrainConfig(1, 1, 0, false, false, 4, 0, 7, OptimizerSpec.lbfgs(5)));
    return recipes;
  }

  static SparkTrainer trainer(TrainConfig recipe) {
    return new SparkTrainer(model).config(recipe);
  }

  /**
   * The written .npz, member by member, as the raw bits of its values (the archive's bytes also
   * hold the files' modification times).
   */
  static Map<String, String> npz(SparkTrainingResult result, Path directory) throws IOException {
    result.write(directory);
    Map<String, String> bits = new LinkedHashMap<>();
    for (var member : Npz.read(directory.resolve(result.name() + ".npz")).entrySet()) {
      StringBuilder text = new StringBuilder(Arrays.toString(member.getValue().shape()));
      for (double value : member.getValue().data()) {
        text.append(' ').append(Long.toHexString(Double.doubleToRawLongBits(value)));
      }
      bits.put(member.getKey(), text.toString());
    }
    return bits;
  }

  /** Two threads that spin until stopped: more runnable threads than cores. */
  static AutoCloseable busyThreads() {
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Thread t =
          new Thread(
              () -> {
                long x = 0;
                while (!stop.get()) {
                  x += System.nanoTime() % 7;
                }
                if (x == 42) {
                  System.out.print("");
                }
              });
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    return () -> {
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
    };
  }

  /**
   * What every evaluation sums is the runtime's own decomposition: the blocks of the whole batch
   * (or of a minibatch made of the selected blocks) by the generated class's {@code
   * blockLossAndGradient} on the whole batch, in {@link BlockSums}' tree, bit for bit; and that is
   * the network's loss and gradient to rounding.
   */
  @Test
  void theBlocksAreTheGeneratedNetworksOwnDecomposition() {
    SparkTrainer trainer = trainer(recipes().get("lbfgs"));
    DataParallel probe = (DataParallel) model.factory().newNetwork(1);
    assertThat(trainer.resolvedBlockRows()).isEqualTo(probe.blockRows());
    SparkTrainingResult fitted = trainer.trainLocal(raw);
    Dataset data = Preprocessing.fromStats(model.spec(), fitted.stats()).apply(raw);
    int size = probe.blockRows();
    LocalBlocks blocks = new LocalBlocks(model.factory(), data, size);
    int n = model.spec().parameterCount();
    for (int[] selection : new int[][] {null, {5, 0, 12}}) {
      Dataset batchRows = selection == null ? data : blocksOf(data, selection, size);
      int rows = batchRows.rows();
      double[] sum = blocks.lossAndGradient(fitted.parameters(), selection, rows);
      var whole = model.factory().newNetwork(rows);
      whole.setParameters(fitted.parameters());
      whole.setPenaltyExampleCount(raw.rows());
      Batch batch = Batch.of(model.spec(), batchRows);
      DataParallel parallel = (DataParallel) whole;
      int count = parallel.blocks(rows);
      assertThat(count).isEqualTo(selection == null ? 13 : 3);
      double[] losses = new double[count];
      double[][] gradients = new double[count][n];
      for (int b = 0; b < count; b++) {
        losses[b] = parallel.blockLossAndGradient(batch, b, gradients[b]);
      }
      double[] expected = new double[n + 1];
      expected[0] = BlockSums.pairwise(losses, 0, count);
      double[] gradient = new double[n];
      BlockSums.pairwise(gradients, count, gradient);
      System.arraycopy(gradient, 0, expected, 1, n);
      assertThat(sum).usingExactEquality().containsExactly(expected).inOrder();
      double loss = whole.lossAndGradient(batch);
      assertThat(sum[0]).isWithin(1e-12 * Math.abs(loss)).of(loss);
    }
  }

  /** The minibatch of the selected blocks: their rows in selection order. */
  static Dataset blocksOf(Dataset data, int[] selection, int size) {
    int w = data.inputWidth();
    int rows = 0;
    for (int b : selection) {
      rows += Math.min(size, data.rows() - b * size);
    }
    double[] x = new double[rows * w];
    int[] labels = new int[rows];
    int at = 0;
    for (int b : selection) {
      int from = b * size;
      int count = Math.min(size, data.rows() - from);
      System.arraycopy(data.x(), from * w, x, at * w, count * w);
      System.arraycopy(data.labels(), from, labels, at, count);
      at += count;
    }
    return new Dataset("blocks", rows, w, x, data.targetWidth(), null, labels);
  }

  @Test
  void clusterWeightsEqualTheLocalRunForEveryPartitionCountAndMaster() throws Exception {
    Map<String, Map<String, String>> local = new LinkedHashMap<>();
    Map<String, SparkTrainingResult> localResults = new LinkedHashMap<>();
    for (var recipe : recipes().entrySet()) {
      SparkTrainingResult result = trainer(recipe.getValue()).trainLocal(raw);
      localResults.put(recipe.getKey(), result);
      local.put(recipe.getKey(), npz(result, temp.resolve("local-" + recipe.getKey())));
    }
    // Training moved the weights and lowered the loss (else equal bytes would prove little).
    double[] initial = new double[model.spec().parameterCount()];
    var network = model.factory().newNetwork(1);
    network.initialize(7);
    network.getParameters(initial);
    for (var entry : localResults.entrySet()) {
      SparkTrainingResult result = entry.getValue();
      assertThat(result.parameters()).isNotEqualTo(initial);
      var data = Preprocessing.fromStats(model.spec(), result.stats()).apply(raw);
      var all = model.factory().newNetwork(raw.rows());
      all.setParameters(initial);
      double before = all.loss(Batch.of(model.spec(), data));
      all.setParameters(result.parameters());
      assertThat(all.loss(Batch.of(model.spec(), data))).isLessThan(before);
      assertThat(result.blocks()).isEqualTo(13);
    }
    try (AutoCloseable busy = busyThreads()) {
      for (String master : List.of("local[2]", "local[3]")) {
        SparkSession spark = TestData.session(master);
        try {
          for (int slices : new int[] {1, 3, 7}) {
            var frame = TestData.frame(spark, raw, slices);
            for (var recipe : recipes().entrySet()) {
              SparkTrainingResult result = trainer(recipe.getValue()).train(frame);
              Map<String, String> bytes =
                  npz(result, temp.resolve(master + "-" + slices + "-" + recipe.getKey()));
              assertThat(bytes).isEqualTo(local.get(recipe.getKey()));
              assertThat(result.history().toCsv())
                  .isEqualTo(localResults.get(recipe.getKey()).history().toCsv());
            }
          }
        } finally {
          spark.stop();
        }
      }
    }
  }
}
