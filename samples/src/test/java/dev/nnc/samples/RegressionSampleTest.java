package dev.nnc.samples;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.pipeline.Training;
import dev.nnc.runtime.train.EpochRecord;
import dev.nnc.runtime.train.TrainListener;
import dev.nnc.runtime.train.TrainingDivergedException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/seeds.md S6: the seed's printed trajectory, reproduced with lr 0.03. */
class RegressionSampleTest {

  @Test
  void reproducesTheSeedsPrintedTrajectory() {
    Training.Prepared prepared = Samples.prepare("regression/regression.nn");
    double untrainedLoss = Samples.loss(prepared);
    Map<Integer, double[]> parametersAfter = new HashMap<>();
    Map<Integer, Double> lossBefore = new HashMap<>();
    prepared.train(
        new TrainListener() {
          @Override
          public void onEpoch(EpochRecord record) {
            int iteration = record.epoch() - 1; // the seed counts from 0
            parametersAfter.put(iteration, Samples.parameters(prepared.network()));
            lossBefore.put(iteration, record.meanLoss());
          }
        });

    // Layout: yhat.W (2×1) then yhat.b. The seed prints w after the update of iteration k and the
    // loss it computed before that update.
    assertTrajectory(parametersAfter.get(0), lossBefore.get(0), 0.49954653, 0.5004535, 0.25755802);
    assertTrajectory(
        parametersAfter.get(10), lossBefore.get(10), 0.49503426, 0.50496574, 0.07994867);
    assertTrajectory(
        parametersAfter.get(20), lossBefore.get(20), 0.49056275, 0.50943725, 0.02832904);
    assertThat(Samples.loss(prepared)).isLessThan(untrainedLoss / 10);
  }

  private static void assertTrajectory(
      double[] parameters, double loss, double w0, double w1, double expectedLoss) {
    assertThat(parameters[0]).isWithin(1e-7).of(w0);
    assertThat(parameters[1]).isWithin(1e-7).of(w1);
    assertThat(loss).isWithin(1e-7).of(expectedLoss);
  }

  @Test
  void withoutStandardisationDivergesAndSaysWhere() {
    Training.Prepared prepared = Samples.prepare("regression/regression_raw.nn");
    TrainingDivergedException diverged =
        assertThrows(TrainingDivergedException.class, () -> prepared.train(new TrainListener() {}));
    assertThat(diverged.getMessage()).contains("epoch " + diverged.epoch());
    assertThat(diverged.epoch()).isGreaterThan(1);
    // The loss grew by many orders of magnitude before it overflowed.
    double first = diverged.history().epochs().get(0).meanLoss();
    assertThat(diverged.history().last().meanLoss()).isGreaterThan(first * 1e10);
    // The parameters were restored to a finite state.
    for (double p : Samples.parameters(prepared.network())) {
      assertThat(Double.isFinite(p)).isTrue();
    }
  }
}
