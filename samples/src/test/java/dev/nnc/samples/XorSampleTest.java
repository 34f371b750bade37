package dev.nnc.samples;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.pipeline.Training;
import dev.nnc.runtime.train.TrainListener;
import org.junit.jupiter.api.Test;

/** XOR with a hidden layer: learns what no single-layer network can. */
class XorSampleTest {
  private static final double[] XOR = {0, 1, 1, 0};

  @Test
  void learnsXorFromAnUntrainedStartThatDoesNot() {
    Training.Prepared prepared = Samples.prepare("xor/xor.nn");
    double untrainedLoss = Samples.loss(prepared);
    assertThat(correct(Samples.outputs(prepared))).isLessThan(4);

    prepared.train(new TrainListener() {});

    double[] trained = Samples.outputs(prepared);
    assertThat(correct(trained)).isEqualTo(4);
    for (int r = 0; r < 4; r++) {
      assertThat(Math.abs(trained[r] - XOR[r])).isLessThan(0.1);
    }
    assertThat(Samples.loss(prepared)).isLessThan(untrainedLoss / 10);
  }

  private static int correct(double[] outputs) {
    int correct = 0;
    for (int r = 0; r < 4; r++) {
      if ((outputs[r] > 0.5 ? 1 : 0) == XOR[r]) {
        correct++;
      }
    }
    return correct;
  }
}
