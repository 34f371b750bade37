package dev.nnc.runtime.train;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.LinearNetwork;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Preprocessing;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {
  /** ŷ = x on one column, buffers for 2 rows so 6 rows go through in three chunks. */
  private static LinearNetwork identity1() {
    LinearNetwork network = new LinearNetwork(1, 1, 2);
    network.setParameters(new double[] {1, 0});
    return network;
  }

  @Test
  void binaryFiguresAgainstAHandCount() {
    // scores 0.9 0.8 0.6 0.4 0.3 0.1 for classes 1 0 1 1 0 0
    Dataset data =
        new Dataset(
            "b",
            6,
            1,
            new double[] {0.9, 0.8, 0.6, 0.4, 0.3, 0.1},
            1,
            new double[] {1, 0, 1, 1, 0, 0},
            null);
    Map<String, Double> figures = Metrics.binary().evaluate(identity1(), data);
    assertThat(figures.keySet())
        .containsExactly("accuracy", "precision", "recall", "f1", "auc")
        .inOrder();
    // predicted 1 1 1 0 0 0: right on rows 1, 3, 5, 6; TP 2 of 3 predicted, 2 of 3 actual
    assertThat(figures.get("accuracy")).isEqualTo(4.0 / 6);
    assertThat(figures.get("precision")).isEqualTo(2.0 / 3);
    assertThat(figures.get("recall")).isEqualTo(2.0 / 3);
    assertThat(figures.get("f1")).isWithin(1e-15).of(2.0 / 3);
    // pairs (positive above negative) of 9: 0.9 beats 3, 0.6 beats 2, 0.4 beats 2 → 7/9
    assertThat(figures.get("auc")).isWithin(1e-15).of(7.0 / 9);
  }

  @Test
  void aucCountsTiesAsOneHalf() {
    assertThat(auc(new double[] {0.5, 0.5}, new boolean[] {true, false})).isEqualTo(0.5);
    assertThat(auc(new double[] {1, 2, 3}, new boolean[] {false, false, true})).isEqualTo(1.0);
    assertThat(auc(new double[] {1, 2}, new boolean[] {true, true})).isNaN();
    // −0.0 and 0.0 are one score: a tie
    assertThat(auc(new double[] {-0.0, 0.0}, new boolean[] {true, false})).isEqualTo(0.5);
  }

  @Test
  void aucIsTheRankSumFormulaBitForBit() {
    // the counting form (sorted positives against sorted negatives, allocation-free) against the
    // Mann–Whitney rank sum it replaced, on scores with many ties and on distinct ones
    Rng rng = new Rng(17);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + rng.nextInt(300);
      int levels = trial % 2 == 0 ? 1 + rng.nextInt(12) : 1 << 30;
      double[] scores = new double[n];
      boolean[] positive = new boolean[n];
      for (int i = 0; i < n; i++) {
        scores[i] = rng.nextInt(levels) / 7.0 - 3;
        positive[i] = rng.nextInt(3) == 0;
      }
      double expected = RankSumAuc.of(scores, positive);
      assertWithMessage("trial %s, %s rows", trial, n)
          .that(auc(scores, positive))
          .isEqualTo(expected);
    }
  }

  @Test
  void heapsortSortsInPlace() {
    Rng rng = new Rng(5);
    for (int n : new int[] {0, 1, 2, 3, 10, 257}) {
      double[] values = new double[n + 3];
      for (int i = 0; i < values.length; i++) {
        values[i] = rng.nextInt(20) - 10.5;
      }
      double[] expected = java.util.Arrays.copyOf(values, n);
      java.util.Arrays.sort(expected);
      double[] tail = java.util.Arrays.copyOfRange(values, n, n + 3);
      MetricSums.sort(values, n);
      assertThat(java.util.Arrays.copyOf(values, n)).isEqualTo(expected);
      assertThat(java.util.Arrays.copyOfRange(values, n, n + 3)).isEqualTo(tail); // untouched
    }
  }

  /** {@link MetricSums#auc} on scores and classes given row by row. */
  private static double auc(double[] scores, boolean[] positive) {
    double[] positives = new double[scores.length];
    double[] negatives = new double[scores.length];
    int p = 0;
    int n = 0;
    for (int i = 0; i < scores.length; i++) {
      if (positive[i]) {
        positives[p++] = scores[i];
      } else {
        negatives[n++] = scores[i];
      }
    }
    return MetricSums.auc(positives, p, negatives, n);
  }

  @Test
  void twoClassLabelsScoreTheDifferenceOfTheOutputs() {
    LinearNetwork network = new LinearNetwork(2, 2, 4);
    network.setParameters(new double[] {1, 0, 0, 1, 0, 0});
    Dataset data =
        new Dataset("l", 3, 2, new double[] {0, 1, 2, 1, 0.5, 0.4}, 2, null, new int[] {1, 0, 1});
    Map<String, Double> figures = Metrics.classification().evaluate(network, data);
    // predicted 1, 0, 0 → accuracy 2/3, precision 1/1, recall 1/2; scores 1, −1, −0.1 → AUC 1
    assertThat(figures.get("accuracy")).isEqualTo(2.0 / 3);
    assertThat(figures.get("precision")).isEqualTo(1.0);
    assertThat(figures.get("recall")).isEqualTo(0.5);
    assertThat(figures.get("auc")).isEqualTo(1.0);
  }

  @Test
  void regressionIsMeasuredInTheTargetsUnitsAndNeverAsAnAccuracy() {
    NetworkSpec spec = LinearNetwork.spec(1, 1, NetworkSpec.Precision.DOUBLE);
    NetworkSpec standardising =
        new NetworkSpec(
            spec.name(),
            spec.sourceFile(),
            spec.precision(),
            spec.inputName(),
            1,
            new int[0],
            1,
            -1,
            1,
            spec.targetName(),
            NetworkSpec.TargetKind.DENSE,
            1,
            0,
            spec.tensors(),
            spec.parameterCount());
    // targets standardised with mean 100, std 10: the network's errors 0.5 and −1 are 5 and 10
    Preprocessing preprocessing =
        Preprocessing.fromStats(
            standardising,
            Map.of(
                spec.targetName() + ".mean", NpyArray.ofDoubles(new double[] {100}, 1),
                spec.targetName() + ".std", NpyArray.ofDoubles(new double[] {10}, 1)));
    Dataset data = new Dataset("r", 2, 1, new double[] {0.5, -1}, 1, new double[] {0, 0}, null);
    Metrics metrics = Metrics.regression(preprocessing);
    assertThat(metrics.names(spec)).isEqualTo(List.of("rmse", "mae"));
    Map<String, Double> figures = metrics.evaluate(identity1(), data);
    assertThat(figures.keySet()).containsExactly("rmse", "mae").inOrder();
    assertThat(figures.get("rmse")).isWithin(1e-12).of(Math.sqrt((25 + 100) / 2.0));
    assertThat(figures.get("mae")).isWithin(1e-12).of(7.5);
    // a constant prediction on a regression target is not "100% accurate": forData picks RMSE
    Dataset dense = new Dataset("d", 2, 1, new double[] {1, 2}, 1, new double[] {123, 80}, null);
    assertThat(Metrics.forData(spec, dense, null).task()).isEqualTo(Metrics.Task.REGRESSION);
  }

  @Test
  void lossOfTheWholeSetEqualsOneBatchAcrossChunks() {
    LinearNetwork chunked = identity1(); // 2 rows at a time
    LinearNetwork whole = new LinearNetwork(1, 1, 5);
    whole.setParameters(new double[] {1, 0});
    Dataset data =
        new Dataset("v", 5, 1, new double[] {1, 2, 3, 4, 5}, 1, new double[] {0, 2, 2, 5, 4}, null);
    double expected = whole.loss(Batch.of(whole.spec(), data));
    assertThat(Metrics.regression(null).loss(chunked, data)).isWithin(1e-15).of(expected);
    assertThat(expected).isWithin(1e-15).of((1 + 0 + 1 + 1 + 1) / 5.0);
  }
}
