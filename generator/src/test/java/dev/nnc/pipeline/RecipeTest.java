package dev.nnc.pipeline;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.lower.RuntimeViews;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.DataFile;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Weights;
import dev.nnc.runtime.train.EpochRecord;
import dev.nnc.runtime.train.History;
import dev.nnc.runtime.train.Model;
import dev.nnc.runtime.train.Recipe;
import dev.nnc.runtime.train.TrainListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java training API ({@code Name.recipe().model().fit()}) trains exactly as {@code nnc train}
 * does: the generated class carries its data, validate and stop statements, resolves the data paths
 * against the {@code .nn} file's folder, and gives the same weights and history bit for bit as the
 * command line's pipeline ({@link Training}, {@link DataLoading}).
 */
class RecipeTest {
  private static final Path WINE = Path.of("../samples/wine/wine.nn");
  private static final Path DIABETES = Path.of("../samples/diabetes/diabetes.nn");
  private static final Path XOR = Path.of("../samples/xor/xor.nn");

  @TempDir Path temp;

  @SuppressWarnings("unchecked")
  private static Recipe<Network> recipe(CompiledModel model) throws Exception {
    Class<?> type = model.newNetwork(1).getClass();
    return (Recipe<Network>) type.getMethod("recipe").invoke(null);
  }

  /** What nnc train does with the same file and epochs: the CLI's pipeline. */
  private static Training.Result cli(CompiledModel model, Path file, int epochs) {
    DataLoading.Rows rows = DataLoading.rows(model.model(), file).orElseThrow();
    TrainConfig config = RuntimeViews.trainConfig(model.model()).orElseThrow().withEpochs(epochs);
    return Training.prepare(model, rows.training(), rows.validation(), config)
        .train(new TrainListener() {});
  }

  private static void assertSameRun(Model<Network> model, Training.Result expected) {
    Map<String, NpyArray> want = expected.weights();
    Map<String, NpyArray> got = Weights.arrays(model.network(), model.preprocessing());
    assertThat(got.keySet()).containsExactlyElementsIn(want.keySet()).inOrder();
    for (String name : want.keySet()) {
      assertThat(got.get(name).data()).isEqualTo(want.get(name).data());
    }
    List<EpochRecord> epochs = model.history().epochs();
    assertThat(epochs).hasSize(expected.history().epochs().size());
    for (int e = 0; e < epochs.size(); e++) {
      EpochRecord a = epochs.get(e);
      EpochRecord b = expected.history().epochs().get(e);
      assertThat(a.meanLoss()).isEqualTo(b.meanLoss());
      assertThat(a.validationLoss()).isEqualTo(b.validationLoss());
      assertThat(a.metrics()).isEqualTo(b.metrics());
    }
    assertThat(model.history().stopReason()).isEqualTo(expected.history().stopReason());
  }

  @Test
  void wineTrainsFromItsOwnRecipeAsNncTrainDoes() throws Exception {
    CompiledModel compiled = CompiledModel.load(WINE);
    Recipe<Network> recipe = recipe(compiled);
    assertThat(recipe.validationSplit()).isEqualTo(0.2);
    assertThat(recipe.earlyStopping()).isNotNull();
    assertThat(recipe.trainConfig())
        .isEqualTo(RuntimeViews.trainConfig(compiled.model()).orElseThrow());

    Model<Network> model = recipe.relativeTo(WINE).epochs(40).model();
    Recipe.Rows rows = model.recipe().rows();
    assertThat(rows.training().rows()).isEqualTo(114);
    assertThat(rows.validation().rows()).isEqualTo(28);
    // the test set, read through the recipe's folder: trained beats untrained, and training
    // after initialize() is the same run as without it
    Dataset test = model.read(new DataFile.Csv("test.csv", false, 0));
    Map<String, Double> start = model.initialize().evaluate(test);
    History history = model.fit();
    assertSameRun(model, cli(compiled, WINE, 40));
    assertThat(history.last().metrics()).containsKey("val_accuracy");
    assertThat(history.epochs().get(0).summary())
        .matches(
            "epoch 1: loss [0-9.]+, val_loss [0-9.]+, train_accuracy [0-9.]+,"
                + " val_accuracy [0-9.]+");
    Map<String, Double> trained = model.evaluate(test);
    assertThat(trained.keySet()).containsExactly("loss", "accuracy").inOrder();
    assertThat(trained.get("loss")).isLessThan(start.get("loss") / 4);
    assertThat(trained.get("accuracy")).isGreaterThan(start.get("accuracy"));

    // probabilities and classes of raw rows; save and load give the same outputs
    double[] probabilities = model.predict(test.x(), test.rows());
    assertThat(probabilities).hasLength(3 * test.rows());
    double sum = probabilities[0] + probabilities[1] + probabilities[2];
    assertThat(sum).isWithin(1e-12).of(1.0);
    Path saved = temp.resolve("wine.npz");
    model.save(saved);
    Model<Network> loaded = recipe.model().load(saved);
    assertThat(loaded.predict(test.x(), test.rows())).isEqualTo(probabilities);
    assertThat(loaded.predictClasses(test.x(), test.rows()))
        .isEqualTo(model.predictClasses(test.x(), test.rows()));
  }

  @Test
  void theSameBitsOnOneAndThreeThreads() throws Exception {
    CompiledModel compiled = CompiledModel.load(DIABETES);
    Recipe<Network> recipe = recipe(compiled).relativeTo(DIABETES).epochs(15);
    Model<Network> one = recipe.model();
    one.fit();
    assertSameRun(one, cli(compiled, DIABETES, 15));
    assertThat(one.history().last().metrics()).containsKey("val_rmse");
    assertThat(one.history().last().metrics()).doesNotContainKey("val_accuracy");
    Model<Network> three = recipe.model().threads(3);
    three.fit();
    assertThat(Weights.arrays(three.network(), three.preprocessing()).get("hidden.W").data())
        .isEqualTo(Weights.arrays(one.network(), one.preprocessing()).get("hidden.W").data());
  }

  @Test
  void inlineDataAndYourOwnRows() throws Exception {
    CompiledModel compiled = CompiledModel.load(XOR);
    Recipe<Network> recipe = recipe(compiled);
    Model<Network> model = recipe.epochs(300).model();
    model.fit(); // data inline, no file: no folder needed
    assertSameRun(model, cli(compiled, XOR, 300));

    // Keras' fit(x, y): rows given from Java, and a second fit continues from the weights
    Dataset rows =
        new Dataset(
            "mine",
            4,
            2,
            new double[] {0, 0, 0, 1, 1, 0, 1, 1},
            1,
            new double[] {0, 1, 1, 0},
            null);
    Model<Network> mine = recipe.epochs(300).model();
    mine.fit(rows);
    double before = mine.evaluate(rows).get("loss");
    mine.fit(rows);
    assertThat(mine.evaluate(rows).get("loss")).isLessThan(before);
  }

  @Test
  void rowsThatDoNotFitAreRefusedNamingWhatWasExpected() throws Exception {
    Recipe<Network> recipe = recipe(CompiledModel.load(WINE));
    Dataset narrow = new Dataset("mine", 1, 2, new double[] {1, 2}, 3, null, new int[] {0});
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> recipe.model().fit(narrow));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo("mine: rows have 2 input values, but the network's input 'x' takes 13");
    double[] x = new double[13];
    Dataset badLabel = new Dataset("mine", 1, 13, x, 3, null, new int[] {3});
    e = assertThrows(IllegalArgumentException.class, () -> recipe.model().fit(badLabel));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo("mine: record 1: label 3 is outside 0..2 (the output has 3 classes) [NN804]");
    IllegalStateException noWeights =
        assertThrows(IllegalStateException.class, () -> recipe.model().predict(x, 1));
    assertThat(noWeights)
        .hasMessageThat()
        .isEqualTo("network Wine has no weights yet: call fit, initialize or load first");
  }

  @Test
  void dataPathsResolveAgainstTheNnFilesFolder() throws Exception {
    Recipe<Network> recipe = recipe(CompiledModel.load(WINE));
    Path elsewhere = temp.resolve("wine.nn");
    Files.writeString(elsewhere, "");
    java.io.UncheckedIOException e =
        assertThrows(
            java.io.UncheckedIOException.class, () -> recipe.relativeTo(elsewhere).model().fit());
    assertThat(e).hasMessageThat().isEqualTo("cannot read " + temp.resolve("train.csv"));
    assertThat(e).hasCauseThat().isInstanceOf(java.nio.file.NoSuchFileException.class);
  }

  @Test
  void theScheduleStatementReachesTheGeneratedRecipe() throws Exception {
    String source =
        """
        network Sched {
            input   x[2]
            dense   hidden[4]  tanh
            dense   out[1]     sigmoid
            target  t[1]
            loss    binary_cross_entropy(out, t)
        }
        train {
            optimizer adam(lr = 0.05)
            batch     full
            epochs    12
            seed      1
            schedule  cosine(min_lr = 0.001, warmup = 2)
            data inline {
                x = [[0, 0], [0, 1], [1, 0], [1, 1]]
                t = [[0], [1], [1], [0]]
            }
        }
        """;
    dev.nnc.check.CompileResult result = dev.nnc.check.NnCompiler.compile("sched.nn", source);
    assertThat(result.formatDiagnostics()).isEmpty();
    CompiledModel compiled = CompiledModel.of(result.model().orElseThrow());
    assertThat(compiled.javaFile().toString())
        .contains(".withSchedule(LearningRateSchedule.cosine(0.001, 2))");
    Recipe<Network> recipe = recipe(compiled);
    assertThat(recipe.trainConfig().schedule())
        .isEqualTo(dev.nnc.runtime.LearningRateSchedule.cosine(0.001, 2));
    Model<Network> model = recipe.model();
    model.fit();
    List<EpochRecord> epochs = model.history().epochs();
    assertThat(epochs.get(0).learningRate()).isEqualTo(0.025); // warm-up: 0.05 · 1/2
    assertThat(epochs.get(1).learningRate()).isEqualTo(0.05);
    assertThat(epochs.get(2).learningRate()).isEqualTo(0.05); // cosine over epochs 3..12
    double last = 0.001 + 0.049 * (1 + Math.cos(Math.PI * 9 / 10)) / 2;
    assertThat(epochs.get(11).learningRate()).isWithin(1e-15).of(last);
    assertSameRun(model, cli(compiled, Path.of("sched.nn"), 12));
  }
}
