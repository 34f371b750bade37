package dev.nnc.runtime.optim;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.api.Test;

class LbfgsTest {
  @Test
  void minimisesAConvexQuadraticIn10Dimensions() {
    TestFunctions.Quadratic quadratic = TestFunctions.Quadratic.random(10, 3);
    Lbfgs.Result result = Lbfgs.minimize(quadratic, new double[10], 10, 40);
    assertThat(TestFunctions.distance(result.parameters(), quadratic.minimizer())).isLessThan(1e-6);
    assertThat(result.costs()[result.costs().length - 1] - quadratic.minimum()).isLessThan(1e-10);
    for (int i = 1; i < result.costs().length; i++) {
      assertThat(result.costs()[i]).isAtMost(result.costs()[i - 1]);
    }
  }

  @Test
  void minimisesRosenbrockFromTheClassicStart() {
    // About 40 iterations and 47 evaluations with 5 pairs.
    Lbfgs.Result result = Lbfgs.minimize(TestFunctions.ROSENBROCK, new double[] {-1.2, 1}, 5, 60);
    assertThat(TestFunctions.distance(result.parameters(), new double[] {1, 1})).isLessThan(1e-6);
    assertThat(result.costs()[result.costs().length - 1]).isLessThan(1e-12);
  }

  @Test
  void firstStepHasLengthOneThenTheSecantStepIsExact() {
    // f = ½x² from 2: g = 2, direction −2, first trial step 1/‖g‖ = 0.5 → x = 1, where f = 0.5
    // ≤ 2 − 1e-4·0.5·4 and the slope −2 is within 0.9·4: accepted. The pair s = −1, y = −1 gives
    // H = sᵀy/yᵀy = 1, so the second direction is −g = −1 and step 1 lands on 0 exactly. Then the
    // gradient is zero and L-BFGS stops.
    TestFunctions.Recording recording =
        new TestFunctions.Recording(
            new TestFunctions.Quadratic(new double[][] {{1}}, new double[] {0}));
    Lbfgs lbfgs = new Lbfgs(recording, new double[] {2}, 3);
    assertThat(lbfgs.iterate()).isTrue();
    assertThat(lbfgs.cost()).isEqualTo(0.5);
    assertThat(lbfgs.iterate()).isTrue();
    assertThat(lbfgs.cost()).isEqualTo(0.0);
    assertThat(lbfgs.iterate()).isFalse();
    assertThat(lbfgs.stopReason()).isEqualTo("the gradient is zero (iteration 3)");
    assertThat(recording.points).hasSize(3);
    assertThat(recording.points.get(1)).usingExactEquality().containsExactly(1.0);
    assertThat(recording.points.get(2)).usingExactEquality().containsExactly(0.0);
  }

  @Test
  void skipsPairsWithoutPositiveCurvature() {
    // f = −x is unbounded below: the slope never flattens, every line search runs out of
    // evaluations and accepts its best point, and y = Δg = 0 gives sᵀy = 0: the pair is skipped.
    Objective line =
        new Objective() {
          @Override
          public int dimension() {
            return 1;
          }

          @Override
          public double evaluate(double[] p, double[] g) {
            g[0] = -1;
            return -p[0];
          }
        };
    Lbfgs lbfgs = new Lbfgs(line, new double[] {0}, 4);
    for (int i = 0; i < 3; i++) {
      assertThat(lbfgs.iterate()).isTrue();
    }
    assertThat(lbfgs.skippedPairs()).isEqualTo(3);
    assertThat(lbfgs.evaluations()).isEqualTo(1 + 3 * Lbfgs.MAX_EVALUATIONS);
    assertThat(lbfgs.cost()).isLessThan(-1e9);
  }

  @Test
  void anObjectiveThatIgnoresItsArgumentMakesNoProgress() {
    Objective frozen =
        new Objective() {
          @Override
          public int dimension() {
            return 2;
          }

          @Override
          public double evaluate(double[] ignored, double[] g) {
            g[0] = 1;
            g[1] = -2;
            return 7;
          }
        };
    Lbfgs.Result result = Lbfgs.minimize(frozen, new double[] {0, 0}, 3, 20);
    assertThat(result.stoppedEarly()).isTrue();
    assertThat(result.stopReason()).contains("line search failed twice in a row");
    assertThat(result.iterations()).isEqualTo(2);
    assertThat(result.parameters()).usingExactEquality().containsExactly(0, 0).inOrder();
  }
}
