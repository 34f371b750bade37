package dev.nnc.runtime.train;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.runtime.LinearNetwork;
import dev.nnc.runtime.data.Dataset;
import org.junit.jupiter.api.Test;

class AccuracyTest {
  /** ŷ = x: a 3 → 3 identity network, buffers for 2 rows so 5 rows need three chunks. */
  private static LinearNetwork identity() {
    LinearNetwork network = new LinearNetwork(3, 3, 2);
    network.setParameters(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0});
    return network;
  }

  private static final double[] X = {
    0.1, 0.8, 0.1, // argmax 1
    0.7, 0.2, 0.1, // 0
    0.3, 0.3, 0.4, // 2
    0.5, 0.5, 0.0, // tie: first maximum, 0
    0.0, 0.1, 0.9, // 2
  };

  @Test
  void labelsCompareWithTheArgmax() {
    Dataset data = new Dataset("l", 5, 3, X, 3, null, new int[] {1, 0, 0, 0, 1});
    assertThat(Accuracy.of(identity(), data)).isEqualTo(3.0 / 5);
  }

  @Test
  void denseTargetsWiderThanOneCompareArgmaxes() {
    double[] oneHot = {
      0, 1, 0, //
      0, 0, 1, //
      0, 0, 1, //
      1, 0, 0, //
      0, 0, 1,
    };
    Dataset data = new Dataset("d", 5, 3, X, 3, oneHot, null);
    assertThat(Accuracy.of(identity(), data)).isEqualTo(4.0 / 5);
  }

  @Test
  void singleOutputsRoundAtOneHalf() {
    LinearNetwork network = new LinearNetwork(1, 1, 3);
    network.setParameters(new double[] {1, 0});
    Dataset data =
        new Dataset(
            "b", 4, 1, new double[] {0.2, 0.7, 0.5, 0.4}, 1, new double[] {0, 1, 0, 1}, null);
    // Right: 0.2 → 0, 0.7 → 1. Wrong: 0.5 counts as 1, 0.4 as 0.
    assertThat(Accuracy.of(network, data)).isEqualTo(0.5);
  }
}
