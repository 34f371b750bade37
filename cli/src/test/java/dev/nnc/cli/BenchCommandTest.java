package dev.nnc.cli;

import static com.google.common.truth.Truth.assertThat;
import static dev.nnc.cli.MainTest.nnc;

import dev.nnc.cli.MainTest.Run;
import org.junit.jupiter.api.Test;

/** {@code nnc bench}: runs and reports its figures (their values are the machine's, not tested). */
class BenchCommandTest {
  @Test
  void printsStepsAndExamplesPerSecondWithTheSpeedUp() {
    Run run =
        nnc("bench", "../samples/xor/xor.nn", "--warmup", "50", "--time", "100", "--reference");
    assertThat(run.code()).isEqualTo(0);
    assertThat(run.out()).contains("benchmark of Xor (../samples/xor/xor.nn): 4 rows per step");
    assertThat(run.out())
        .containsMatch("\\ngenerated +[0-9,.]+ steps/s +[0-9,]+ examples/s +[0-9.]+ µs/step");
    assertThat(run.out()).containsMatch("\\nreference +[0-9,.]+ steps/s");
    assertThat(run.out()).containsMatch("speed-up of the generated class: [0-9.]+×");
  }

  @Test
  void aCgRecipesStepIsOneEvaluationOfItsObjective() {
    Run run =
        nnc("bench", "../samples/ng-ex4/ex4.nn", "--batch", "40", "--warmup", "0", "--time", "50");
    assertThat(run.code()).isEqualTo(0);
    assertThat(run.out())
        .contains(
            "a step is one evaluation of the objective CG and L-BFGS minimise, on a fixed batch"
                + " (setParameters, lossAndGradient, getGradient), as nnc train runs it");
    assertThat(run.out()).containsMatch("\\ngenerated +[0-9,.]+ steps/s");
    Run sgd = nnc("bench", "../samples/xor/xor.nn", "--warmup", "0", "--time", "50");
    assertThat(sgd.out()).doesNotContain("a step is one evaluation");
  }

  @Test
  void badBatchIsAUsageError() {
    Run run = nnc("bench", "../samples/xor/xor.nn", "--batch", "0");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--batch must be at least 1, got 0");
  }
}
