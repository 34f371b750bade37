package dev.nnc.samples;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.pipeline.Training;
import dev.nnc.runtime.train.TrainListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/seeds.md S3: Ng's ex4 network trained on the flat parameter vector by CG, and by L-BFGS. */
class Ex4SampleTest {

  @ParameterizedTest
  @ValueSource(strings = {"ng-ex4/ex4.nn", "ng-ex4/ex4_lbfgs.nn"})
  void fiftyIterationsReachNinetyFivePercentOnTheTrainingSet(String sample) {
    Training.Prepared prepared = Samples.prepare(sample);
    assertThat(prepared.data().rows()).isEqualTo(5000);
    double untrainedCost = Samples.loss(prepared);
    double untrained = Samples.trainingAccuracy(prepared);
    assertThat(untrained).isLessThan(0.3);

    Training.Result result = prepared.train(new TrainListener() {});

    double trained = Samples.trainingAccuracy(prepared);
    double heldOut = Samples.validationAccuracy(prepared);
    System.out.printf(
        "S3 %s: training accuracy %.2f%%, held out %.2f%% (untrained %.2f%%), cost %.5f -> %.5f%n",
        sample,
        100 * trained,
        100 * heldOut,
        100 * untrained,
        untrainedCost,
        Samples.loss(prepared));
    // docs/seeds.md: about 95% in the course; scipy's CG reaches 97.2-97.6% on such a split.
    assertThat(trained).isAtLeast(0.95);
    assertThat(heldOut).isAtLeast(0.85);
    // The cost moved (the seed's bug: a cost that ignored the optimizer's vector never did).
    assertThat(Samples.loss(prepared)).isLessThan(untrainedCost / 5);
    assertThat(result.history().epochs().size()).isAtMost(50);
  }
}
