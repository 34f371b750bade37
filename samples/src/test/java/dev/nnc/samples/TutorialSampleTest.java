package dev.nnc.samples;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.pipeline.Training;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Npz;
import dev.nnc.runtime.train.TrainListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/seeds.md S4: the PyTorch tutorial's numpy network, 500 steps from the oracle's start. */
class TutorialSampleTest {
  private static final Path ORACLE = Path.of("../testdata/oracle");

  @Test
  void followsTheOracleTrajectoryStepByStep() throws IOException {
    Training.Prepared prepared = Samples.prepare("pytorch-tutorial/tutorial.nn");
    Map<String, NpyArray> init = Npz.read(ORACLE.resolve("S4_init.npz"));
    double[] start = new double[prepared.network().spec().parameterCount()];
    double[] w1 = init.get("W1").data();
    double[] w2 = init.get("W2").data();
    System.arraycopy(w1, 0, start, 0, w1.length); // h.W (1000×100), then yhat.W (100×10)
    System.arraycopy(w2, 0, start, w1.length, w2.length);
    prepared.network().setParameters(start);
    double untrainedLoss = Samples.loss(prepared);

    List<Double> losses = new ArrayList<>();
    prepared.train(
        new TrainListener() {
          @Override
          public void onStep(int epoch, int step, double loss) {
            losses.add(loss);
          }
        });

    Map<String, NpyArray> expected = Npz.read(ORACLE.resolve("S4_train.npz"));
    double[] oracleLosses = expected.get("losses").data();
    assertThat(losses).hasSize(500);
    for (int k = 0; k < 500; k++) {
      double relative = Math.abs(losses.get(k) - oracleLosses[k]) / Math.abs(oracleLosses[k]);
      assertThat(relative).isLessThan(1e-9);
    }
    double finalLoss = Samples.loss(prepared);
    assertThat(
            Math.abs(finalLoss - expected.get("final_loss").scalar())
                / expected.get("final_loss").scalar())
        .isLessThan(1e-9);
    // Tens of millions at the start, about 8e-7 after 500 steps.
    assertThat(untrainedLoss).isGreaterThan(1e7);
    assertThat(finalLoss).isLessThan(1e-5);
  }
}
