package dev.nnc.pipeline;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.OptimizerSpec;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.Preprocessing;
import dev.nnc.runtime.parallel.BusyThreads;
import dev.nnc.runtime.parallel.DataParallel;
import dev.nnc.runtime.train.EpochRecord;
import dev.nnc.runtime.train.History;
import dev.nnc.runtime.train.Metrics;
import dev.nnc.runtime.train.RankSumAuc;
import dev.nnc.runtime.train.TrainListener;
import dev.nnc.testing.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What an epoch reports, through the trainer and generated networks:
 *
 * <ul>
 *   <li>the validation loss and metrics come from one forward pass, and are bit for bit the figures
 *       of the two passes they replaced (the loss in chunks of maxRows, then every row's predict),
 *       on classifications of 10 and 2 classes, a binary output, a float network, a penalty, a
 *       summed regression loss with standardised targets, and dropout (off for the measurement);
 *   <li>the training metrics are the running figures of the epoch's steps (Keras' way): equal to
 *       figures counted independently from the outputs each step's forward pass made, before its
 *       update and with its dropout, on 1-4 threads with batches of several blocks, under load;
 *   <li>with L-BFGS they stay the whole training set's figures after the epoch.
 * </ul>
 */
class EpochMetricsTest {
  private static final int[] THREADS = {1, 2, 3, 4};

  /** A model and what its figures need: its source, and whether its loss sums the rows. */
  private record Case(String name, CompiledModel model, boolean summedLoss) {}

  private static CompiledModel compile(String name, String text) {
    CompileResult result = NnCompiler.compile(name + ".nn", text);
    assertWithMessage(result.formatDiagnostics()).that(result.ok()).isTrue();
    return CompiledModel.of(result.model().orElseThrow());
  }

  private static final String TWO_CLASSES =
      """
      network TwoClasses {
          input   x[64]
          dense   h[128] relu dropout(0.5)
          dense   out[2]
          label   y
          loss    softmax_cross_entropy(out, y)
      }
      """;

  private static final String BINARY =
      """
      network Binary {
          input   x[7]  standardize(ddof = 0)
          dense   h[9]  tanh
          dense   out[1] sigmoid
          target  y[1]
          loss    binary_cross_entropy(out, y)
      }
      """;

  private static final String REGRESSION =
      """
      network Regression {
          input   x[5]
          dense   h[8]  tanh
          dense   out[2]
          target  y[2]  standardize(ddof = 0)
          loss    squared_error(out, y) reduce half_sum
          penalty l2(0.01)
      }
      """;

  private static final String S5_FLOAT =
      Seeds.text("S5").replace("network Nielsen {", "network NielsenF {\n    precision float");

  private static final CompiledModel S5 = CompiledModel.of(Seeds.model("S5"));
  private static final CompiledModel DROPPED = compile("TwoClasses", TWO_CLASSES);

  private static List<Case> cases() {
    return List.of(
        new Case("S5", S5, false),
        new Case("S5 float", compile("NielsenF", S5_FLOAT), false),
        new Case("S3 (penalty)", CompiledModel.of(Seeds.model("S3")), false),
        new Case("two classes, dropout", DROPPED, false),
        new Case("binary", compile("Binary", BINARY), false),
        new Case("regression", compile("Regression", REGRESSION), true));
  }

  /** Raw rows for {@code spec}: labels over the classes, 0/1 targets, or values around 50. */
  private static Dataset raw(NetworkSpec spec, int rows, long seed, boolean zeroOne) {
    Rng rng = new Rng(seed);
    int inputs = spec.rawInputWidth();
    double[] x = new double[rows * inputs];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextGaussian();
    }
    if (spec.targetKind() == NetworkSpec.TargetKind.LABELS) {
      int[] labels = new int[rows];
      for (int r = 0; r < rows; r++) {
        // half the rows follow the first input, so a network can learn something
        labels[r] = r % 2 == 0 ? (x[r * inputs] > 0 ? 1 : 0) : rng.nextInt(spec.targetWidth());
      }
      return new Dataset("raw", rows, inputs, x, spec.targetWidth(), null, labels);
    }
    int width = spec.targetWidth();
    double[] targets = new double[rows * width];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = zeroOne ? rng.nextInt(2) : 50 + 10 * rng.nextGaussian();
    }
    return new Dataset("raw", rows, inputs, x, width, targets, null);
  }

  private static TrainConfig config(int batch, int epochs) {
    return new TrainConfig(0.05, 1, batch, true, false, epochs, 0, 3);
  }

  @Test
  void theValidationFiguresAreTheTwoPassFiguresBitForBit() {
    for (Case c : cases()) {
      NetworkSpec spec = c.model().spec();
      boolean zeroOne = c.name().equals("binary");
      Dataset training = raw(spec, 97, 1, zeroOne);
      Dataset validation = raw(spec, 53, 2, zeroOne);
      // batches of 10: the validation rows go through in 6 chunks, the last one of 3 rows
      Training.Prepared prepared = Training.prepare(c.model(), training, validation, config(10, 3));
      Network network = prepared.network();
      Metrics metrics = prepared.metrics();
      Map<String, Double> expected =
          twoPass(
              network, prepared.validation(), metrics, c.summedLoss(), prepared.preprocessing());
      assertWithMessage("%s, untrained", c.name())
          .that(metrics.lossAndEvaluate(network, prepared.validation()))
          .isEqualTo(expected);
      assertWithMessage("%s: Metrics.loss", c.name())
          .that(metrics.loss(network, prepared.validation()))
          .isEqualTo(expected.get("loss"));
      Map<String, Double> figuresOnly = new LinkedHashMap<>(expected);
      figuresOnly.remove("loss");
      assertWithMessage("%s: Metrics.evaluate", c.name())
          .that(metrics.evaluate(network, prepared.validation()))
          .isEqualTo(figuresOnly);

      // every epoch of a run: the record's validation figures against two passes at that point
      List<String> checked = new ArrayList<>();
      prepared.train(
          new TrainListener() {
            @Override
            public void onEpoch(EpochRecord record) {
              Map<String, Double> twice =
                  twoPass(
                      network,
                      prepared.validation(),
                      metrics,
                      c.summedLoss(),
                      prepared.preprocessing());
              assertWithMessage("%s epoch %s: val_loss", c.name(), record.epoch())
                  .that(record.validationLoss())
                  .isEqualTo(twice.remove("loss"));
              Map<String, Double> recorded = new LinkedHashMap<>();
              record
                  .metrics()
                  .forEach(
                      (k, v) -> {
                        if (k.startsWith("val_")) {
                          recorded.put(k.substring(4), v);
                        }
                      });
              assertWithMessage("%s epoch %s: val_ metrics", c.name(), record.epoch())
                  .that(recorded)
                  .isEqualTo(twice);
              checked.add(c.name());
            }
          });
      assertThat(checked).hasSize(3);
    }
  }

  @Test
  void theTrainingMetricsAreTheRunningFiguresOfTheStepsOnOneToFourThreadsUnderLoad() {
    List<Case> cases =
        List.of(new Case("S5", S5, false), new Case("two classes, dropout", DROPPED, false));
    try (BusyThreads busy = BusyThreads.oversubscribe()) {
      for (Case c : cases) {
        NetworkSpec spec = c.model().spec();
        int block = ((DataParallel) c.model().newNetwork(1)).blockRows();
        int batch = 2 * block + 5; // three blocks, the last one short
        Dataset training = raw(spec, 4 * batch + 30, 5, false);
        List<List<EpochRecord>> runs = new ArrayList<>();
        boolean droppedDiffers = false;
        for (int threads : THREADS) {
          Training.Prepared prepared = Training.prepare(c.model(), training, config(batch, 3));
          DataParallel parallel = (DataParallel) prepared.network();
          assertWithMessage("%s: blocks of a batch", c.name())
              .that(parallel.blocks(batch))
              .isEqualTo(3);
          parallel.setThreads(threads);
          Watching watching =
              new Watching(
                  prepared.network(),
                  c.model().newNetwork(batch),
                  prepared.metrics(),
                  prepared.preprocessing());
          List<EpochRecord> records = new ArrayList<>();
          try {
            History history =
                prepared
                    .configure(new dev.nnc.runtime.train.Trainer(watching, prepared.config()))
                    .addListener(
                        new TrainListener() {
                          @Override
                          public void onEpoch(EpochRecord record) {
                            Map<String, Double> recorded = new LinkedHashMap<>();
                            record
                                .metrics()
                                .forEach(
                                    (k, v) -> {
                                      if (k.startsWith("train_")) {
                                        recorded.put(k.substring(6), v);
                                      }
                                    });
                            assertWithMessage(
                                    "%s, %s threads, epoch %s: train_ metrics",
                                    c.name(), threads, record.epoch())
                                .that(recorded)
                                .isEqualTo(watching.stepFigures());
                            watching.endEpoch();
                          }
                        })
                    .train(prepared.data());
            records.addAll(history.epochs());
          } finally {
            parallel.setThreads(1);
          }
          assertThat(watching.steps).isEqualTo(3 * 5); // 5 steps an epoch, the last one short
          droppedDiffers |= watching.droppedDiffers;
          runs.add(records);
        }
        for (int t = 1; t < THREADS.length; t++) {
          assertWithMessage("%s: records on %s threads vs 1", c.name(), THREADS[t])
              .that(runs.get(t))
              .isEqualTo(runs.get(0));
        }
        if (c.name().contains("dropout")) {
          assertWithMessage("%s: the running figures see the dropped outputs", c.name())
              .that(droppedDiffers)
              .isTrue();
        }
      }
    }
  }

  @Test
  void lbfgsKeepsTheWholeSetsFiguresAfterTheEpoch() {
    CompiledModel model = compile("TwoClasses", TWO_CLASSES.replace(" dropout(0.5)", ""));
    Dataset training = raw(model.spec(), 120, 7, false);
    TrainConfig config = new TrainConfig(1, 1, 0, false, false, 4, 0, 3, OptimizerSpec.lbfgs(5));
    Training.Prepared prepared = Training.prepare(model, training, config);
    List<Integer> epochs = new ArrayList<>();
    prepared.train(
        new TrainListener() {
          @Override
          public void onEpoch(EpochRecord record) {
            Map<String, Double> after =
                prepared.metrics().evaluate(prepared.network(), prepared.data());
            after.forEach(
                (name, value) ->
                    assertWithMessage("epoch %s: train_%s", record.epoch(), name)
                        .that(record.metric("train_" + name))
                        .isEqualTo(value));
            epochs.add(record.epoch());
          }
        });
    assertThat(epochs).isNotEmpty();
  }

  /**
   * The network the trainer drives, watched: at every {@code lossAndGradient} (before the update) a
   * twin of the same class, with the same parameters and dropout masks, computes the batch's
   * outputs the other way (predict, or with dropout its own loss), and the figures of the epoch's
   * rows are counted from those with the two-pass code below.
   */
  private static final class Watching implements Network {
    private final Network inner;
    private final Network twin;
    private final Metrics metrics;
    private final Preprocessing preprocessing;
    private final double[] parameters;
    private final List<double[]> outputs = new ArrayList<>();
    private final List<Batch> batches = new ArrayList<>();
    private long seed;
    private long step = -1;
    int steps;
    boolean droppedDiffers;

    Watching(Network inner, Network twin, Metrics metrics, Preprocessing preprocessing) {
      this.inner = inner;
      this.twin = twin;
      this.metrics = metrics;
      this.preprocessing = preprocessing;
      this.parameters = new double[inner.spec().parameterCount()];
    }

    @Override
    public double lossAndGradient(Batch batch) {
      double loss = inner.lossAndGradient(batch);
      int rows = batch.rows();
      int width = inner.spec().outputWidth();
      inner.getParameters(parameters);
      twin.setParameters(parameters);
      double[] out = new double[rows * width];
      double[] plain = new double[rows * width];
      twin.setDropout(seed, -1);
      twin.predict(batch.x, rows, plain);
      if (step >= 0) {
        twin.setDropout(seed, step);
        twin.loss(batch);
        twin.lastOutputs(rows, out);
        droppedDiffers |= !Arrays.equals(out, plain);
      } else {
        out = plain;
      }
      outputs.add(out);
      Batch copy = new Batch(rows, batch.inputWidth, batch.targetWidth, batch.labels != null);
      System.arraycopy(batch.x, 0, copy.x, 0, rows * batch.inputWidth);
      if (batch.labels != null) {
        System.arraycopy(batch.labels, 0, copy.labels, 0, rows);
      } else {
        System.arraycopy(batch.targets, 0, copy.targets, 0, rows * batch.targetWidth);
      }
      batches.add(copy);
      steps++;
      return loss;
    }

    /** The figures of the rows of this epoch's steps, from the twin's outputs. */
    Map<String, Double> stepFigures() {
      int width = inner.spec().outputWidth();
      int rows = batches.stream().mapToInt(Batch::rows).sum();
      double[] all = new double[rows * width];
      int tw = batches.get(0).targetWidth;
      boolean labels = batches.get(0).labels != null;
      double[] x = new double[rows * inner.spec().inputWidth()];
      int[] allLabels = labels ? new int[rows] : null;
      double[] allTargets = labels ? null : new double[rows * tw];
      int at = 0;
      for (int k = 0; k < batches.size(); k++) {
        Batch b = batches.get(k);
        System.arraycopy(outputs.get(k), 0, all, at * width, b.rows() * width);
        if (labels) {
          System.arraycopy(b.labels, 0, allLabels, at, b.rows());
        } else {
          System.arraycopy(b.targets, 0, allTargets, at * tw, b.rows() * tw);
        }
        at += b.rows();
      }
      Dataset seen =
          new Dataset("steps", rows, inner.spec().inputWidth(), x, tw, allTargets, allLabels);
      return figures(all, seen, metrics, inner.spec(), preprocessing);
    }

    void endEpoch() {
      outputs.clear();
      batches.clear();
    }

    @Override
    public void setDropout(long seed, long step) {
      this.seed = seed;
      this.step = step;
      inner.setDropout(seed, step);
    }

    @Override
    public boolean lastOutputs(int rows, double[] out) {
      return inner.lastOutputs(rows, out);
    }

    @Override
    public NetworkSpec spec() {
      return inner.spec();
    }

    @Override
    public int maxRows() {
      return inner.maxRows();
    }

    @Override
    public void getParameters(double[] dst) {
      inner.getParameters(dst);
    }

    @Override
    public void setParameters(double[] src) {
      inner.setParameters(src);
    }

    @Override
    public void getGradient(double[] dst) {
      inner.getGradient(dst);
    }

    @Override
    public double loss(Batch batch) {
      return inner.loss(batch);
    }

    @Override
    public void predict(double[] x, int rows, double[] out) {
      inner.predict(x, rows, out);
    }

    @Override
    public void sgdStep(double learningRate) {
      inner.sgdStep(learningRate);
    }

    @Override
    public void setPenaltyExampleCount(int m) {
      inner.setPenaltyExampleCount(m);
      twin.setPenaltyExampleCount(m);
    }
  }

  // -----------------------------------------------------------------------------------------------
  // The figures as Metrics computed them before the one-pass measurement: the loss over chunks of
  // maxRows, then every row's predict, then the figures of all the outputs at once.

  private static Map<String, Double> twoPass(
      Network network,
      Dataset data,
      Metrics metrics,
      boolean summedLoss,
      Preprocessing preprocessing) {
    NetworkSpec spec = network.spec();
    int rows = data.rows();
    int chunk = Math.min(network.maxRows(), rows);
    Batch batch = Batch.forSpec(spec, chunk);
    double weighted = 0;
    double summed = 0;
    for (int start = 0; start < rows; start += chunk) {
      int count = Math.min(chunk, rows - start);
      System.arraycopy(data.x(), start * data.inputWidth(), batch.x, 0, count * data.inputWidth());
      if (batch.labels != null) {
        System.arraycopy(data.labels(), start, batch.labels, 0, count);
      } else {
        System.arraycopy(
            data.targets(),
            start * data.targetWidth(),
            batch.targets,
            0,
            count * data.targetWidth());
      }
      batch.setRows(count);
      double loss = network.loss(batch);
      weighted += loss * count;
      summed += loss;
    }
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("loss", summedLoss ? summed : weighted / rows);
    int outputs = spec.outputWidth();
    double[] all = new double[rows * outputs];
    double[] x = new double[chunk * data.inputWidth()];
    double[] out = new double[chunk * outputs];
    for (int start = 0; start < rows; start += chunk) {
      int count = Math.min(chunk, rows - start);
      System.arraycopy(data.x(), start * data.inputWidth(), x, 0, count * data.inputWidth());
      network.predict(x, count, out);
      System.arraycopy(out, 0, all, start * outputs, count * outputs);
    }
    figures.putAll(figures(all, data, metrics, spec, preprocessing));
    return figures;
  }

  /** The metrics of every row's outputs {@code out} against {@code data}'s labels or targets. */
  private static Map<String, Double> figures(
      double[] out, Dataset data, Metrics metrics, NetworkSpec spec, Preprocessing preprocessing) {
    int outputs = spec.outputWidth();
    int rows = data.rows();
    Map<String, Double> figures = new LinkedHashMap<>();
    if (metrics.task() == Metrics.Task.REGRESSION) {
      double[] predicted = preprocessing.inverseTargets(out);
      double[] actual = preprocessing.inverseTargets(data.targets());
      double squares = 0;
      double absolute = 0;
      for (int i = 0; i < predicted.length; i++) {
        double error = predicted[i] - actual[i];
        squares += error * error;
        absolute += Math.abs(error);
      }
      figures.put("rmse", Math.sqrt(squares / predicted.length));
      figures.put("mae", absolute / predicted.length);
      return figures;
    }
    boolean binary = metrics.task() == Metrics.Task.BINARY;
    boolean two = binary || metrics.names(spec).contains("auc");
    int correct = 0;
    int truePositives = 0;
    int predictedPositives = 0;
    int actualPositives = 0;
    double[] scores = new double[rows];
    boolean[] positive = new boolean[rows];
    for (int r = 0; r < rows; r++) {
      int actual;
      if (data.hasLabels()) {
        actual = data.labels()[r];
      } else if (binary) {
        actual = data.targets()[r * data.targetWidth()] >= 0.5 ? 1 : 0;
      } else {
        actual = argmax(data.targets(), r * data.targetWidth(), data.targetWidth());
      }
      int predicted;
      if (binary) {
        predicted = out[r * outputs] >= 0.5 ? 1 : 0;
        scores[r] = out[r * outputs];
      } else {
        predicted = argmax(out, r * outputs, outputs);
        scores[r] = two ? out[r * outputs + 1] - out[r * outputs] : 0;
      }
      correct += predicted == actual ? 1 : 0;
      positive[r] = actual == 1;
      if (predicted == 1) {
        predictedPositives++;
        truePositives += actual == 1 ? 1 : 0;
      }
      actualPositives += actual == 1 ? 1 : 0;
    }
    figures.put("accuracy", (double) correct / rows);
    if (two) {
      double precision =
          predictedPositives == 0 ? Double.NaN : (double) truePositives / predictedPositives;
      double recall = actualPositives == 0 ? Double.NaN : (double) truePositives / actualPositives;
      figures.put("precision", precision);
      figures.put("recall", recall);
      figures.put(
          "f1",
          truePositives == 0
              ? (actualPositives == 0 ? Double.NaN : 0.0)
              : 2 * precision * recall / (precision + recall));
      figures.put("auc", RankSumAuc.of(scores, positive));
    }
    return figures;
  }

  private static int argmax(double[] values, int offset, int length) {
    int best = 0;
    for (int i = 1; i < length; i++) {
      if (values[offset + i] > values[offset + best]) {
        best = i;
      }
    }
    return best;
  }
}
