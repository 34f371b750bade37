package dev.nnc.samples;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnc.lower.RuntimeViews;
import dev.nnc.pipeline.CompiledModel;
import dev.nnc.pipeline.DataLoading;
import dev.nnc.pipeline.Training;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.Datasets;
import dev.nnc.runtime.train.TrainListener;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * LeNet-5 ({@code samples/lenet/lenet5.nn}) on MNIST's standard split: LeCun's 60,000 training
 * digits, tested on the 10,000 test digits (scripts/fetch-mnist.sh prepares them in {@code
 * data/mnist-full}). The normal run trains 2 epochs on the first 8,000 training digits (about 30 s
 * on two quiet cores); {@code -Dnnc.lenetFull=true} runs the file's whole recipe on all 60,000
 * (about 7 minutes on the two shared cores at load 7-9).
 */
class LeNetSampleTest {
  private static final String SAMPLE = "lenet/lenet5.nn";

  @Test
  void twoEpochsOnEightThousandDigitsLearnTheDigits() {
    Training.Prepared prepared = prepare(2, 8000);
    assertThat(prepared.data().rows()).isEqualTo(8000);
    assertThat(prepared.validation().rows()).isEqualTo(10000);
    double untrained = Samples.validationAccuracy(prepared);

    prepared.train(new TrainListener() {});

    double trained = Samples.validationAccuracy(prepared);
    System.out.printf(
        "LeNet-5, 2 epochs on 8,000 digits: test accuracy %.2f%% (untrained %.2f%%)%n",
        100 * trained, 100 * untrained);
    assertThat(untrained).isLessThan(0.3);
    // measured: 95.29% (the dense S5 network needs 30 epochs for 91%)
    assertThat(trained).isAtLeast(0.95);
  }

  @Test
  void theWholeRecipe() {
    assumeTrue(Boolean.getBoolean("nnc.lenetFull"), "-Dnnc.lenetFull=true runs the whole recipe");
    Training.Prepared prepared = prepare(0, 0);
    assertThat(prepared.data().rows()).isEqualTo(60000);
    double untrained = Samples.validationAccuracy(prepared);

    prepared.train(new TrainListener() {});

    double trained = Samples.validationAccuracy(prepared);
    System.out.printf(
        "LeNet-5, whole recipe: test accuracy %.2f%% (untrained %.2f%%)%n",
        100 * trained, 100 * untrained);
    assertThat(untrained).isLessThan(0.3);
    assertThat(trained).isAtLeast(FULL_RECIPE_ACCURACY);
  }

  /**
   * LeNet-5 on Fashion-MNIST's 60,000 + 10,000 images where Debian's {@code dataset-fashion-mnist}
   * is installed, with {@code -Dnnc.lenetFashion=true} (8 epochs of 1,875 steps). The issue's
   * target, 89%, is asserted; measured with {@code ./nnc train samples/lenet/lenet5_fashion.nn}
   * (im2col, 2 threads): 90.02% test accuracy after 8 epochs (86.4% after the first), 12 minutes at
   * load 20-25 on the shared 2 cores; 4.5 minutes at load 10-14 once relu′ moved into the max pool
   * and relu became Math.max (the same figures: both changes keep the bits).
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

  /** The target on the 10,000 test digits (README, samples/lenet: measured 99.22%). */
  static final double FULL_RECIPE_ACCURACY = 0.985;

  /**
   * The sample with its data; {@code epochs} overrides the recipe's and {@code rows} keeps the
   * first rows of the training set when positive. The test set is always all 10,000 digits.
   */
  private static Training.Prepared prepare(int epochs, int rows) {
    CompiledModel model = Samples.compile(SAMPLE);
    Path file = Path.of(SAMPLE);
    TrainConfig config = RuntimeViews.trainConfig(model.model()).orElseThrow();
    if (epochs > 0) {
      config = config.withEpochs(epochs);
    }
    Dataset train = DataLoading.training(model.model(), file).orElseThrow();
    if (rows > 0) {
      train = Datasets.head(train, rows);
    }
    return Training.prepare(
        model, train, DataLoading.validation(model.model(), file).orElseThrow(), config);
  }
}
