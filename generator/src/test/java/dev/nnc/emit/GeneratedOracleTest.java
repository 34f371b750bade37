package dev.nnc.emit;

import dev.nnc.ir.Model;
import dev.nnc.oracle.OracleChecks;
import dev.nnc.testing.NetworkFactory;
import dev.nnc.testing.Seeds;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generated classes of the seed networks against the PyTorch oracle, with the same checks and
 * tolerances as the reference interpreter (ReferenceOracleTest): loss and every gradient to 1e-10,
 * three gradient-descent steps to 1e-9, and the seeds' whole training runs (S1 50 steps, S4 500, S6
 * 30) to 1e-9 of each step's own loss.
 */
class GeneratedOracleTest {
  private static GeneratedNetworks generated;
  private static List<Model> models;

  @BeforeAll
  static void compileAllSeeds() {
    models = Seeds.ALL.stream().map(Seeds::model).toList();
    generated = GeneratedNetworks.compile(models);
  }

  static Stream<String> seeds() {
    return Seeds.ALL.stream();
  }

  private static Model model(String seed) {
    return models.get(Seeds.ALL.indexOf(seed));
  }

  private static final NetworkFactory GENERATED =
      (model, maxRows) -> generated.create(model, maxRows);

  @ParameterizedTest
  @MethodSource("seeds")
  void lossAndGradientMatchTheOracle(String seed) {
    OracleChecks.checkLossAndGradient(
        seed, model(seed), GENERATED, OracleChecks.Tolerances.DOUBLE.evaluation());
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void threeGradientStepsMatchTheOracle(String seed) {
    OracleChecks.checkThreeSteps(
        seed, model(seed), GENERATED, OracleChecks.Tolerances.DOUBLE.steps());
  }

  @ParameterizedTest
  @ValueSource(strings = {"S1", "S4", "S6"})
  void wholeTrainingRunsMatchTheOracle(String seed) {
    OracleChecks.checkTraining(
        seed, model(seed), GENERATED, OracleChecks.Tolerances.DOUBLE.trajectory());
  }
}
