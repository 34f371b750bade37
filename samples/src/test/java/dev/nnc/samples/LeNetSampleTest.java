package dev.nnc.samples;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnc.lower.RuntimeViews;
import dev.nnc.pipeline.CompiledModel;
import dev.nnc.pipeline.DataLoading;
import dev.nnc.pipeline.Training;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.train.TrainListener;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * LeNet-5 ({@code samples/lenet/lenet5.nn}) on the project's MNIST digits: 8,000 for training, the
 * other 2,000 held out. The normal run trains 2 epochs (about 30 s on two quiet cores); {@code
 * -Dnnc.lenetFull=true} runs the file's whole recipe.
 */
class LeNetSampleTest {
  private static final String SAMPLE = "lenet/lenet5.nn";

  @Test
  void twoEpochsLearnTheDigits() {
    Training.Prepared prepared = prepare(2);
    assertThat(prepared.data().rows()).isEqualTo(8000);
    assertThat(prepared.validation().rows()).isEqualTo(2000);
    double untrained = Samples.validationAccuracy(prepared);

    prepared.train(new TrainListener() {});

    double trained = Samples.validationAccuracy(prepared);
    System.out.printf(
        "LeNet-5, 2 epochs: test accuracy %.2f%% (untrained %.2f%%)%n",
        100 * trained, 100 * untrained);
    assertThat(untrained).isLessThan(0.3);
    // measured: 95.7% (the dense S5 network needs 30 epochs for 91%)
    assertThat(trained).isAtLeast(0.95);
  }

  @Test
  void theWholeRecipe() {
    assumeTrue(Boolean.getBoolean("nnc.lenetFull"), "-Dnnc.lenetFull=true runs the whole recipe");
    Training.Prepared prepared = prepare(0);
    double untrained = Samples.validationAccuracy(prepared);

    prepared.train(new TrainListener() {});

    double trained = Samples.validationAccuracy(prepared);
    System.out.printf(
        "LeNet-5, whole recipe: test accuracy %.2f%% (untrained %.2f%%)%n",
        100 * trained, 100 * untrained);
    assertThat(trained).isAtLeast(FULL_RECIPE_ACCURACY);
  }

  /**
   * LeNet-5 on Fashion-MNIST's 60,000 + 10,000 images where Debian's {@code dataset-fashion-mnist}
   * is installed, with {@code -Dnnc.lenetFashion=true} (8 epochs of 1,875 steps). The issue's
   * target, 89%, is asserted; measured with {@code ./nnc train samples/lenet/lenet5_fashion.nn}
   * (im2col, 2 threads): 90.0% test accuracy after 8 epochs (86.4% after the first), 12 minutes at
   * load 20-25 on the shared 2 cores.
   */
  @Test
  void fashionMnist() {
    assumeTrue(
        java.nio.file.Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")),
        "dataset-fashion-mnist is not installed");
    assumeTrue(Boolean.getBoolean("nnc.lenetFashion"), "-Dnnc.lenetFashion=true runs it");
    Training.Prepared prepared = Samples.prepare("lenet/lenet5_fashion.nn");
    double untrained = Samples.validationAccuracy(prepared);

    prepared.train(new TrainListener() {});

    double trained = Samples.validationAccuracy(prepared);
    System.out.printf(
        "LeNet-5 on Fashion-MNIST: test accuracy %.2f%% (untrained %.2f%%)%n",
        100 * trained, 100 * untrained);
    assertThat(untrained).isLessThan(0.3);
    assertThat(trained).isAtLeast(0.89);
  }

  /** What the whole recipe reaches on the 2,000 held-out digits (README, samples/lenet). */
  static final double FULL_RECIPE_ACCURACY = 0.975;

  /** The sample with its data; {@code epochs} overrides the recipe's when positive. */
  private static Training.Prepared prepare(int epochs) {
    CompiledModel model = Samples.compile(SAMPLE);
    Path file = Path.of(SAMPLE);
    TrainConfig config = RuntimeViews.trainConfig(model.model()).orElseThrow();
    if (epochs > 0) {
      config = config.withEpochs(epochs);
    }
    return Training.prepare(
        model,
        DataLoading.training(model.model(), file).orElseThrow(),
        DataLoading.validation(model.model(), file).orElse(null),
        config);
  }
}
