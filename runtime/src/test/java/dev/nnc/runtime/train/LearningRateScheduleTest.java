package dev.nnc.runtime.train;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.runtime.LearningRateSchedule;
import dev.nnc.runtime.LinearNetwork;
import dev.nnc.runtime.OptimizerSpec;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The schedules' rates against figures worked out by hand (PyTorch's StepLR, ExponentialLR and
 * CosineAnnealingLR give the same), and a scheduled run against the same run done one epoch at a
 * time with each epoch's rate given by hand.
 */
class LearningRateScheduleTest {
  private static final double TIGHT = 1e-15;

  private static double[] rates(LearningRateSchedule schedule, double base, int epochs) {
    double[] rates = new double[epochs];
    for (int e = 1; e <= epochs; e++) {
      rates[e - 1] = schedule.rate(base, e, epochs);
    }
    return rates;
  }

  @Test
  void ratesAsWorkedOutByHand() {
    assertThat(rates(LearningRateSchedule.step(2, 0.5, 0), 0.1, 5))
        .usingTolerance(TIGHT)
        .containsExactly(0.1, 0.1, 0.05, 0.05, 0.025)
        .inOrder();
    assertThat(rates(LearningRateSchedule.exponential(0.9, 0), 0.1, 3))
        .usingTolerance(TIGHT)
        .containsExactly(0.1, 0.09, 0.081)
        .inOrder();
    // cosine over 4 epochs: 0.1 · (1 + cos(π·k/4)) / 2 for k = 0..3
    double half = Math.sqrt(0.5);
    assertThat(rates(LearningRateSchedule.cosine(0, 0), 0.1, 4))
        .usingTolerance(TIGHT)
        .containsExactly(0.1, 0.05 * (1 + half), 0.05, 0.05 * (1 - half))
        .inOrder();
    // min_lr 0.02: 0.02 + 0.08 · (1 + cos(π·k/2)) / 2
    assertThat(rates(LearningRateSchedule.cosine(0.02, 0), 0.1, 2))
        .usingTolerance(TIGHT)
        .containsExactly(0.1, 0.06)
        .inOrder();
    // two warm-up epochs (0.05, 0.1), then the cosine over the other 4
    assertThat(rates(LearningRateSchedule.cosine(0, 2), 0.1, 6))
        .usingTolerance(TIGHT)
        .containsExactly(0.05, 0.1, 0.1, 0.05 * (1 + half), 0.05, 0.05 * (1 - half))
        .inOrder();
    assertThat(rates(LearningRateSchedule.step(1, 0.5, 1), 0.2, 3))
        .usingTolerance(TIGHT)
        .containsExactly(0.2, 0.2, 0.1)
        .inOrder();
  }

  private static Dataset data() {
    return new Dataset(
        "d", 4, 2, new double[] {0, 1, 1, 0, 1, 1, 2, -1}, 1, new double[] {1, 2, 3, 0.5}, null);
  }

  private static TrainConfig sgd(double rate, int epochs) {
    return new TrainConfig(rate, 1, 0, false, false, epochs, 0, 3, OptimizerSpec.sgd());
  }

  @Test
  void aScheduledRunTakesEachEpochsRate() {
    LearningRateSchedule schedule = LearningRateSchedule.cosine(0.01, 1);
    LinearNetwork scheduled = new LinearNetwork(2, 1, 4);
    scheduled.initialize(3);
    History history = new Trainer(scheduled, sgd(0.2, 5).withSchedule(schedule)).train(data());

    LinearNetwork byHand = new LinearNetwork(2, 1, 4);
    byHand.initialize(3);
    double[] want = {0.2, 0.2, 0.01 + 0.19 * (1 + Math.sqrt(0.5)) / 2, 0.105, 0.0};
    want[4] = 0.01 + 0.19 * (1 - Math.sqrt(0.5)) / 2;
    List<EpochRecord> epochs = history.epochs();
    for (int e = 0; e < 5; e++) {
      assertThat(epochs.get(e).learningRate()).isWithin(TIGHT).of(want[e]);
      new Trainer(byHand, sgd(epochs.get(e).learningRate(), 1)).train(data());
    }
    double[] a = new double[3];
    double[] b = new double[3];
    scheduled.getParameters(a);
    byHand.getParameters(b);
    assertThat(a).isEqualTo(b);
    // and not what the unscheduled rate gives
    LinearNetwork constant = new LinearNetwork(2, 1, 4);
    constant.initialize(3);
    new Trainer(constant, sgd(0.2, 5)).train(data());
    double[] c = new double[3];
    constant.getParameters(c);
    assertThat(c).isNotEqualTo(a);
  }

  @Test
  void refusesWhatCannotWork() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new TrainConfig(0.1, 0.9, 0, false, false, 5, 0, 1, OptimizerSpec.sgd())
                    .withSchedule(LearningRateSchedule.exponential(0.9, 0)));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo("a schedule replaces the decay per epoch: give one or the other, got decay 0.9");
    TrainConfig lbfgs =
        new TrainConfig(1, 1, 0, false, false, 5, 0, 1, OptimizerSpec.lbfgs(5))
            .withSchedule(LearningRateSchedule.cosine(0, 0));
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new Trainer(new LinearNetwork(2, 1, 4), lbfgs));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo("L-BFGS takes no learning rate, so no schedule: got cosine(min_lr = 0.0)");
  }
}
