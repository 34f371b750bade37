package dev.nnc.samples;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.data.DataFile;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.train.History;
import dev.nnc.runtime.train.Model;
import dev.nnc.runtime.train.Recipe;
import dev.nnc.samples.breastcancer.BreastCancer;
import dev.nnc.samples.diabetes.Diabetes;
import dev.nnc.samples.wine.Wine;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * scikit-learn's wine, breast cancer and diabetes data ({@code scripts/export-sklearn.py}): each
 * trains with {@code validate split(0.2)} and early stopping, and on the held-out test.csv reaches
 * at least what scikit-learn's MLP reaches on the same split (the figures the script prints),
 * compared with the untrained start. They train as a user does from Java: through the class the
 * Maven plugin generated, {@code Wine.recipe().model().fit()} (which trains bit for bit as {@code
 * nnc train} does, RecipeTest).
 */
class TabularSamplesTest {

  private static <N extends Network> Model<N> model(Recipe<N> recipe, String nnFile) {
    return recipe.relativeTo(Path.of(nnFile)).model();
  }

  private static Dataset test(Model<?> model) {
    return model.read(new DataFile.Csv("test.csv", false, 0));
  }

  private static History train(Model<?> model) {
    History history = model.fit();
    assertThat(history.stoppedEarly()).isTrue();
    assertThat(history.stopReason()).startsWith("early stopping: val_loss did not improve");
    return history;
  }

  @Test
  void wineReachesScikitLearnsHundredPercent() {
    Model<Wine> model = model(Wine.recipe(), "wine/wine.nn");
    Recipe.Rows rows = model.recipe().rows();
    assertThat(rows.training().rows()).isEqualTo(114);
    assertThat(rows.validation().rows()).isEqualTo(28);
    Dataset test = test(model);
    double untrained = model.initialize().evaluate(test).get("accuracy");
    History history = train(model);
    double trained = model.evaluate(test).get("accuracy");
    System.out.printf(
        "wine: test accuracy %.2f%% (untrained %.2f%%, %d epochs)%n",
        100 * trained, 100 * untrained, history.epochs().size());
    assertThat(untrained).isLessThan(0.7);
    assertThat(trained).isAtLeast(1.0); // scikit-learn's MLPClassifier: 100%
  }

  @Test
  void breastCancerReachesScikitLearnsAccuracyAndF1() {
    Model<BreastCancer> model = model(BreastCancer.recipe(), "breast-cancer/breast_cancer.nn");
    assertThat(model.recipe().rows().validation().rows()).isEqualTo(91);
    Dataset test = test(model);
    Map<String, Double> untrained = model.initialize().evaluate(test);
    History history = train(model);
    Map<String, Double> trained = model.evaluate(test);
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
  void diabetesReachesScikitLearnsRmseInTheTargetsUnits() {
    Model<Diabetes> model = model(Diabetes.recipe(), "diabetes/diabetes.nn");
    Dataset test = test(model);
    Map<String, Double> untrained = model.initialize().evaluate(test);
    assertThat(untrained).doesNotContainKey("accuracy");
    History history = train(model);
    Map<String, Double> trained = model.evaluate(test);
    System.out.printf(
        "diabetes: test RMSE %.2f, MAE %.2f (untrained RMSE %.2f, %d epochs)%n",
        trained.get("rmse"), trained.get("mae"), untrained.get("rmse"), history.epochs().size());
    assertThat(untrained.get("rmse")).isGreaterThan(100.0);
    // scikit-learn's MLPRegressor: RMSE 60.06 with early stopping, 74.33 without
    assertThat(trained.get("rmse")).isAtMost(60.06);
  }
}
