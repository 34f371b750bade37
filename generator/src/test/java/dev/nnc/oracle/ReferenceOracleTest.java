package dev.nnc.oracle;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.ir.Model;
import dev.nnc.reference.ReferenceNetwork;
import dev.nnc.runtime.Network;
import dev.nnc.testing.NetworkFactory;
import dev.nnc.testing.OracleFiles;
import dev.nnc.testing.Seeds;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reference interpreter, running the seed {@code .nn} files as the compiler reads them, against
 * the PyTorch oracle: loss and gradients to 1e-10, three gradient-descent steps to 1e-9, the seeds'
 * whole training runs to 1e-9 of each step's own loss (see {@link OracleChecks} for the measure).
 */
class ReferenceOracleTest {
  private static final NetworkFactory REFERENCE = ReferenceNetwork::new;
  private static final OracleChecks.Tolerances TOLERANCES = OracleChecks.Tolerances.DOUBLE;

  static Stream<String> seeds() {
    return Seeds.ALL.stream();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void lossAndGradientMatchTheOracle(String seed) {
    OracleChecks.checkLossAndGradient(seed, Seeds.model(seed), REFERENCE, TOLERANCES.evaluation());
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void threeGradientStepsMatchTheOracle(String seed) {
    OracleChecks.checkThreeSteps(seed, Seeds.model(seed), REFERENCE, TOLERANCES.steps());
  }

  /** S1 50 steps, S4 500 steps (its loss falls from 3e7 to 8e-7), S6 30 steps. */
  @ParameterizedTest
  @ValueSource(strings = {"S1", "S4", "S6"})
  void wholeTrainingRunsMatchTheOracle(String seed) {
    assertThat(OracleFiles.exists(seed + "_train")).isTrue();
    OracleChecks.checkTraining(seed, Seeds.model(seed), REFERENCE, TOLERANCES.trajectory());
  }

  /** The cs231n notebook publishes correct_loss = 1.30378789133 for its toy model. */
  @Test
  void toyLossIsTheNotebooksPublishedValue() {
    Network network = OracleChecks.atInitialParameters("S2toy", Seeds.model("S2toy"), REFERENCE);
    double loss = network.loss(OracleChecks.batch("S2toy", network.spec()));
    assertThat(loss).isWithin(5e-12).of(1.30378789133);
  }

  /** S3's gradient, converted to Ng's Theta (out, 1 + in) and column-major nn_params layouts. */
  @Test
  void ex4GradientInTheCourseLayout() {
    Network network = OracleChecks.atInitialParameters("S3", Seeds.model("S3"), REFERENCE);
    network.lossAndGradient(OracleChecks.batch("S3", network.spec()));
    double[] gradient = new double[network.spec().parameterCount()];
    network.getGradient(gradient);
    assertThat(gradient.length).isEqualTo(OracleFiles.array("S3_ref", "grad_nn_params").size());
    OracleChecks.checkCourseLayout("S3", network.spec(), gradient, TOLERANCES.evaluation());
  }

  /** The checks can fail: Nielsen's cost with the ½ dropped is off by exactly a factor 2. */
  @Test
  void aWrongReductionFailsTheOracleCheck() {
    String text = Seeds.text("S5").replace("reduce half_batch_mean", "reduce batch_mean");
    CompileResult result = NnCompiler.compile("S5wrong.nn", text);
    assertThat(result.ok()).isTrue();
    Model wrong = result.model().orElseThrow();

    AssertionError error =
        assertThrows(
            AssertionError.class,
            () -> OracleChecks.checkLossAndGradient("S5", wrong, REFERENCE, 1e-10));
    assertThat(error).hasMessageThat().contains("S5 loss");
    assertThat(error).hasMessageThat().contains("1.000e+00"); // |2C − C| / C
  }

  /** The checks can fail on a single step too: S3 with λ/(2m) read as λ. */
  @Test
  void aWrongPenaltyFailsTheOracleCheck() {
    String text = Seeds.text("S3").replace("penalty l2(1) / 2m", "penalty l2(1)");
    Model wrong = NnCompiler.compile("S3wrong.nn", text).model().orElseThrow();
    AssertionError error =
        assertThrows(
            AssertionError.class,
            () -> OracleChecks.checkLossAndGradient("S3", wrong, REFERENCE, 1e-10));
    assertThat(error).hasMessageThat().contains("S3 loss");
  }
}
