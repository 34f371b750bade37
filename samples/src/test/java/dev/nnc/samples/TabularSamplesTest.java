package dev.nnc.samples;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.pipeline.Training;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.data.Csv;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.train.History;
import dev.nnc.runtime.train.TrainListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * scikit-learn's wine, breast cancer and diabetes data ({@code scripts/export-sklearn.py}): each
 * trains with {@code validate split(0.2)} and early stopping, and on the held-out test.csv reaches
 * at least what scikit-learn's MLP reaches on the same split (the figures the script prints),
 * compared with the untrained start.
 */
class TabularSamplesTest {

  /** The sample's test.csv, preprocessed with the statistics fitted on its training rows. */
  private static Dataset test(String folder, Training.Prepared prepared) throws IOException {
    NetworkSpec spec = prepared.network().spec();
    boolean labels = spec.targetKind() == NetworkSpec.TargetKind.LABELS;
    Dataset raw =
        Csv.read(
            Path.of(folder, "test.csv"),
            spec.rawInputWidth(),
            labels ? 1 : spec.targetWidth(),
            labels,
            false);
    return prepared.preprocessing().apply(raw);
  }

  private static Map<String, Double> figures(Training.Prepared prepared, Dataset test) {
    return prepared.metrics().evaluate(prepared.network(), test);
  }

  private static History train(Training.Prepared prepared) {
    History history = prepared.train(new TrainListener() {}).history();
    assertThat(history.stoppedEarly()).isTrue();
    assertThat(history.stopReason()).startsWith("early stopping: val_loss did not improve");
    return history;
  }

  @Test
  void wineReachesScikitLearnsHundredPercent() throws IOException {
    Training.Prepared prepared = Samples.prepare("wine/wine.nn");
    assertThat(prepared.data().rows()).isEqualTo(114);
    assertThat(prepared.validation().rows()).isEqualTo(28);
    Dataset test = test("wine", prepared);
    double untrained = figures(prepared, test).get("accuracy");
    History history = train(prepared);
    double trained = figures(prepared, test).get("accuracy");
    System.out.printf(
        "wine: test accuracy %.2f%% (untrained %.2f%%, %d epochs)%n",
        100 * trained, 100 * untrained, history.epochs().size());
    assertThat(untrained).isLessThan(0.7);
    assertThat(trained).isAtLeast(1.0); // scikit-learn's MLPClassifier: 100%
  }

  @Test
  void breastCancerReachesScikitLearnsAccuracyAndF1() throws IOException {
    Training.Prepared prepared = Samples.prepare("breast-cancer/breast_cancer.nn");
    assertThat(prepared.validation().rows()).isEqualTo(91);
    Dataset test = test("breast-cancer", prepared);
    Map<String, Double> untrained = figures(prepared, test);
    History history = train(prepared);
    Map<String, Double> trained = figures(prepared, test);
    System.out.printf(
        "breast cancer: test accuracy %.2f%%, F1 %.4f, AUC %.4f (untrained %.2f%%, %d epochs)%n",
        100 * trained.get("accuracy"),
        trained.get("f1"),
        trained.get("auc"),
        100 * untrained.get("accuracy"),
        history.epochs().size());
    assertThat(history.last().metrics()).containsKey("val_auc");
    assertThat(untrained.get("accuracy")).isLessThan(0.8);
    // scikit-learn's MLPClassifier: accuracy 95.61%, F1 0.9650
    assertThat(trained.get("accuracy")).isAtLeast(0.9561);
    assertThat(trained.get("f1")).isAtLeast(0.9650);
  }

  @Test
  void diabetesReachesScikitLearnsRmseInTheTargetsUnits() throws IOException {
    Training.Prepared prepared = Samples.prepare("diabetes/diabetes.nn");
    Dataset test = test("diabetes", prepared);
    Map<String, Double> untrained = figures(prepared, test);
    assertThat(untrained).doesNotContainKey("accuracy");
    History history = train(prepared);
    Map<String, Double> trained = figures(prepared, test);
    System.out.printf(
        "diabetes: test RMSE %.2f, MAE %.2f (untrained RMSE %.2f, %d epochs)%n",
        trained.get("rmse"), trained.get("mae"), untrained.get("rmse"), history.epochs().size());
    assertThat(untrained.get("rmse")).isGreaterThan(100.0);
    // scikit-learn's MLPRegressor: RMSE 60.06 with early stopping, 74.33 without
    assertThat(trained.get("rmse")).isAtMost(60.06);
  }
}
