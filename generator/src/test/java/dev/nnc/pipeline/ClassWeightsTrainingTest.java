package dev.nnc.pipeline;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.OptimizerSpec;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.train.TrainListener;
import org.junit.jupiter.api.Test;

/**
 * What class weights are for: on overlapping classes of which 1 is rare (10% of the rows),
 * weighting class 1 by 9 makes the trained network find far more of its rows (recall) than the same
 * recipe unweighted, at the price of more false alarms on class 0.
 */
class ClassWeightsTrainingTest {
  private static final String MODEL =
      """
      network Rare {
          input   x[2]
          dense   h[8]  tanh
          dense   out[1] sigmoid
          label   y
          loss    binary_cross_entropy(out, y)%s
      }
      """;
  private static final int ROWS = 1000;

  private static Dataset data() {
    Rng rng = new Rng(21);
    double[] x = new double[ROWS * 2];
    int[] y = new int[ROWS];
    for (int r = 0; r < ROWS; r++) {
      y[r] = r % 10 == 0 ? 1 : 0;
      // class 1 sits one standard deviation to the right: the classes overlap
      x[2 * r] = rng.nextGaussian() + y[r];
      x[2 * r + 1] = rng.nextGaussian();
    }
    return new Dataset("rare", ROWS, 2, x, 2, null, y);
  }

  /** The share of class-{@code of} rows predicted as class 1. */
  private static double predictedOne(Network network, Dataset data, int of) {
    double[] p = new double[data.rows()];
    network.predict(data.x(), data.rows(), p);
    int rows = 0;
    int one = 0;
    for (int r = 0; r < data.rows(); r++) {
      if (data.labels()[r] == of) {
        rows++;
        one += p[r] >= 0.5 ? 1 : 0;
      }
    }
    return (double) one / rows;
  }

  private static Network train(String weights, Dataset data) {
    CompileResult result = NnCompiler.compile("rare.nn", MODEL.formatted(weights));
    assertWithMessage(result.formatDiagnostics()).that(result.ok()).isTrue();
    CompiledModel model = CompiledModel.of(result.model().orElseThrow());
    TrainConfig config =
        new TrainConfig(0.05, 1, 50, true, false, 30, 0, 4, OptimizerSpec.adam(0.9, 0.999, 1e-8));
    Network network = Training.run(model, data, config, new TrainListener() {}).network();
    Network all = model.newNetwork(ROWS);
    double[] p = new double[network.spec().parameterCount()];
    network.getParameters(p);
    all.setParameters(p);
    return all;
  }

  @Test
  void weightingTheRareClassFindsMoreOfIt() {
    Dataset data = data();
    Network plain = train("", data);
    Network weighted = train(" class_weights(1, 9)", data);
    double plainRecall = predictedOne(plain, data, 1);
    double weightedRecall = predictedOne(weighted, data, 1);
    assertWithMessage("recall of class 1: unweighted %s, weighted %s", plainRecall, weightedRecall)
        .that(weightedRecall)
        .isAtLeast(plainRecall + 0.3);
    assertWithMessage("class 0 predicted 1")
        .that(predictedOne(weighted, data, 0))
        .isGreaterThan(predictedOne(plain, data, 0));
  }
}
