package dev.nnc.spark;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.OptimizerSpec;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.Preprocessing;
import dev.nnc.runtime.optim.Lbfgs;
import dev.nnc.runtime.optim.Objective;
import dev.nnc.runtime.parallel.DataParallel;
import dev.nnc.runtime.train.EpochRecord;
import dev.nnc.runtime.train.TrainListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The bench rows of bench/README.md ("Training on Spark"), not a unit test: run only with {@code
 * -Dnnc.spark.bench=true}. L-BFGS on 2²⁰ rows generated from a seed (TestData's rule, nothing
 * stored), time per iteration after the first: nnc's own step on 1 and 2 threads (one batch of all
 * rows), the same blocks and tree in one JVM ({@code trainLocal}: the compute a cluster must do),
 * and Spark local[1] and local[2]; Spark's overhead per iteration (scheduling, serialisation,
 * shuffles of the tree) is local[1]'s time minus {@code trainLocal}'s. Printed and written to
 * target/spark-bench.txt, with MLlib's MultilayerPerceptronClassifier on local[2] as the peer. The
 * only assertion: every run reached the same loss (a bench of wrong results is worth nothing).
 */
@EnabledIfSystemProperty(named = "nnc.spark.bench", matches = "true")
class SparkBenchTest {
  static final int ROWS = Integer.getInteger("nnc.spark.bench.rows", 1 << 20);
  static final int ITERATIONS = Integer.getInteger("nnc.spark.bench.iterations", 6);

  /** Seconds between the first iteration's end and the last's, per iteration. */
  static final class Clock implements TrainListener {
    final List<Long> ends = new ArrayList<>();
    double lastLoss;

    @Override
    public void onEpoch(EpochRecord record) {
      ends.add(System.nanoTime());
      lastLoss = record.meanLoss();
    }

    double perIteration() {
      return (ends.get(ends.size() - 1) - ends.get(0)) / 1e9 / (ends.size() - 1);
    }
  }

  /**
   * The peer: MLlib's MultilayerPerceptronClassifier (sigmoid hidden layer, softmax output, L-BFGS)
   * on the same preprocessed rows (the 6 columns after powers and standardisation), 8 partitions.
   * Its time per iteration is (fit with N iterations − fit with 1) / (N − 1), so the setup (caching
   * the stacked rows) is left out as for nnc; its loss has no L2 penalty.
   */
  static String mllib(SparkSession spark, Dataset data) {
    int w = data.inputWidth();
    List<org.apache.spark.sql.Row> rows = new ArrayList<>(data.rows());
    for (int r = 0; r < data.rows(); r++) {
      rows.add(
          org.apache.spark.sql.RowFactory.create(
              org.apache.spark.ml.linalg.Vectors.dense(
                  java.util.Arrays.copyOfRange(data.x(), r * w, (r + 1) * w)),
              (double) data.labels()[r]));
    }
    var schema =
        new org.apache.spark.sql.types.StructType()
            .add("features", org.apache.spark.ml.linalg.SQLDataTypes.VectorType())
            .add("label", org.apache.spark.sql.types.DataTypes.DoubleType);
    var context = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
    var frame = spark.createDataFrame(context.parallelize(rows, 8), schema).cache();
    frame.count();
    double[] seconds = new double[2];
    double loss = Double.NaN;
    int[] iterations = {1, ITERATIONS};
    for (int i = 0; i < 2; i++) {
      var classifier =
          new org.apache.spark.ml.classification.MultilayerPerceptronClassifier()
              .setLayers(new int[] {w, 6, 3})
              .setSolver("l-bfgs")
              .setMaxIter(iterations[i])
              .setTol(0)
              .setSeed(7);
      long t0 = System.nanoTime();
      var model = classifier.fit(frame);
      seconds[i] = (System.nanoTime() - t0) / 1e9;
      double[] history = model.summary().objectiveHistory();
      loss = history[history.length - 1];
    }
    frame.unpersist();
    return String.format(
        Locale.ROOT,
        "MLlib MultilayerPerceptronClassifier, local[2], 8 partitions: %8.3f s/iteration"
            + " (fit of %d iterations %.3f s, of 1 %.3f s), loss %.6f (no penalty)%n",
        (seconds[1] - seconds[0]) / (ITERATIONS - 1),
        ITERATIONS,
        seconds[1],
        seconds[0],
        loss);
  }

  @Test
  void lbfgsTimePerIteration() throws IOException {
    SparkModel model = SparkModel.compile(SparkTrainerTest.NN);
    Dataset raw = TestData.raw(ROWS, 2026);
    TrainConfig lbfgs =
        new TrainConfig(1, 1, 0, false, false, ITERATIONS, 0, 7, OptimizerSpec.lbfgs(5));
    StringBuilder report = new StringBuilder();
    int blockRows = new SparkTrainer(model).config(lbfgs).resolvedBlockRows();
    report.append(
        String.format(
            Locale.ROOT,
            "L-BFGS(5), %,d rows, %d parameters, blocks of %d rows (%d blocks), %d iterations,"
                + " load average %.2f%n",
            ROWS,
            model.spec().parameterCount(),
            blockRows,
            (ROWS + blockRows - 1) / blockRows,
            ITERATIONS,
            java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage()));

    // nnc's own step: the whole batch, one chain per dW element, 1 and 2 threads
    Dataset data = Preprocessing.fit(model.spec(), raw).apply(raw);
    Batch batch = Batch.of(model.spec(), data);
    double ownOne = 0;
    List<Double> losses = new ArrayList<>();
    for (int threads : new int[] {1, 2}) {
      Network network = model.factory().newNetwork(ROWS);
      ((DataParallel) network).setThreads(threads);
      network.initialize(7);
      network.setPenaltyExampleCount(ROWS);
      double[] start = new double[model.spec().parameterCount()];
      network.getParameters(start);
      AtomicInteger evaluations = new AtomicInteger();
      Objective objective =
          new Objective() {
            @Override
            public int dimension() {
              return start.length;
            }

            @Override
            public double evaluate(double[] point, double[] gradientOut) {
              evaluations.incrementAndGet();
              network.setParameters(point);
              double loss = network.lossAndGradient(batch);
              network.getGradient(gradientOut);
              return loss;
            }
          };
      Lbfgs minimizer = new Lbfgs(objective, start, 5);
      minimizer.iterate();
      int firstEvaluations = evaluations.get();
      long t0 = System.nanoTime();
      for (int i = 1; i < ITERATIONS; i++) {
        minimizer.iterate();
      }
      double per = (System.nanoTime() - t0) / 1e9 / (ITERATIONS - 1);
      if (threads == 1) {
        ownOne = per;
      }
      losses.add(minimizer.cost());
      report.append(
          String.format(
              Locale.ROOT,
              "nnc own step, %d thread%s: %8.3f s/iteration (%.1f evaluations/iteration), loss %.6f%n",
              threads,
              threads == 1 ? " " : "s",
              per,
              (evaluations.get() - firstEvaluations) / (double) (ITERATIONS - 1),
              minimizer.cost()));
      ((DataParallel) network).setThreads(1);
    }

    Clock local = new Clock();
    new SparkTrainer(model).config(lbfgs).addListener(local).trainLocal(raw);
    losses.add(local.lastLoss);
    report.append(
        String.format(
            Locale.ROOT,
            "blocks + tree, one JVM: %8.3f s/iteration, loss %.6f%n",
            local.perIteration(),
            local.lastLoss));

    double sparkOne = 0;
    for (String master : List.of("local[1]", "local[2]")) {
      SparkSession spark = TestData.session(master);
      try {
        AtomicInteger jobs = new AtomicInteger();
        spark
            .sparkContext()
            .addSparkListener(
                new SparkListener() {
                  @Override
                  public void onJobEnd(SparkListenerJobEnd end) {
                    jobs.incrementAndGet();
                  }
                });
        var frame = TestData.frame(spark, raw, 8);
        Clock clock = new Clock();
        int[] jobsAtFirst = new int[1];
        clock.ends.clear();
        TrainListener first =
            new TrainListener() {
              @Override
              public void onEpoch(EpochRecord record) {
                if (record.epoch() == 1) {
                  jobsAtFirst[0] = jobs.get();
                }
              }
            };
        new SparkTrainer(model)
            .config(lbfgs)
            .partitions(8)
            .addListener(clock)
            .addListener(first)
            .train(frame);
        losses.add(clock.lastLoss);
        double per = clock.perIteration();
        if (master.equals("local[1]")) {
          sparkOne = per;
        }
        report.append(
            String.format(
                Locale.ROOT,
                "Spark %s, 8 partitions: %8.3f s/iteration (%.1f jobs/iteration), loss %.6f%n",
                master,
                per,
                (jobs.get() - jobsAtFirst[0]) / (double) (ITERATIONS - 1),
                clock.lastLoss));
        if (master.equals("local[2]")) {
          report.append(mllib(spark, data));
        }
      } finally {
        spark.stop();
      }
    }
    report.append(
        String.format(
            Locale.ROOT,
            "Spark overhead per iteration (local[1] − blocks in one JVM): %.3f s, %.0f%% of"
                + " local[1]; nnc's own 1-thread step: %.3f s/iteration%n",
            sparkOne - local.perIteration(),
            100 * (sparkOne - local.perIteration()) / sparkOne,
            ownOne));
    System.out.print(report);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/spark-bench.txt"), report);
    for (double loss : losses) { // nnc's runs only: MLlib has no penalty and its own init
      assertThat(loss).isWithin(1e-6).of(losses.get(0));
    }
  }
}
