package dev.nnc.runtime.optim;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.LinearNetwork;
import dev.nnc.runtime.Rng;
import org.junit.jupiter.api.Test;

class ConjugateGradientTest {
  /** f = ½ (x₁² + 2 x₂²): A = diag(1, 2), b = 0, minimum 0 at the origin. */
  private static final TestFunctions.Quadratic DIAGONAL =
      new TestFunctions.Quadratic(new double[][] {{1, 0}, {0, 2}}, new double[] {0, 0});

  @Test
  void firstTwoIterationsOnASmallQuadraticByHand() {
    // From (1, 1): g = (1, 2), s = −g, d1 = −5, z1 = 1/(1 − d1) = 1/6 → (5/6, 2/3), where the slope
    // is −3.5: not yet below SIG·|d1| = 2.5, so fmincg extrapolates. The cubic through the two
    // points is exact for a quadratic and wants z = 5/9, beyond EXT·z1 = 1/2, so z1 = 1/2 → (1/2,
    // 0),
    // f = 1/8, slope −0.5: success.
    // Polak-Ribière: β = (g2·g2 − g1·g2)/(g1·g1) = (0.25 − 0.5)/5 = −0.05, s = β·s − g2 =
    // (−0.45, 0.1), slope −0.225; next z1 = (1/2)·min(100, −5/−0.225) = 100/9 → (−4.5, 10/9), too
    // far (f ≈ 11.4): the quadratic fit wants z = 1.011 (the exact line minimum), clamped to
    // (1 − INT) of the way back, z1 = 10/9 → (0, 1/9), f = 1/81, slope 1/45 within SIG·0.225.
    TestFunctions.Recording recording = new TestFunctions.Recording(DIAGONAL);
    ConjugateGradient.Result result = ConjugateGradient.minimize(recording, new double[] {1, 1}, 2);
    double[][] expected = {{1, 1}, {5.0 / 6, 2.0 / 3}, {0.5, 0}, {-4.5, 10.0 / 9}, {0, 1.0 / 9}};
    assertThat(recording.points).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat(recording.points.get(i))
          .usingTolerance(1e-12)
          .containsExactly(expected[i])
          .inOrder();
    }
    assertThat(result.costs()).usingTolerance(1e-12).containsExactly(0.125, 1.0 / 81).inOrder();
    assertThat(result.parameters()).usingTolerance(1e-12).containsExactly(0, 1.0 / 9).inOrder();
    assertThat(result.evaluations()).isEqualTo(5);
    assertThat(result.stoppedEarly()).isFalse();
  }

  @Test
  void minimisesAConvexQuadraticIn10Dimensions() {
    // fmincg's line search is inexact (SIG = 0.5), so CG loses its n-step finish: about 40
    // iterations reach 1e-6 here. At the minimum it stops on its own (two failed line searches).
    TestFunctions.Quadratic quadratic = TestFunctions.Quadratic.random(10, 3);
    ConjugateGradient.Result result = ConjugateGradient.minimize(quadratic, new double[10], 60);
    assertThat(TestFunctions.distance(result.parameters(), quadratic.minimizer())).isLessThan(1e-6);
    assertThat(result.costs()[result.costs().length - 1] - quadratic.minimum()).isLessThan(1e-10);
    // Every recorded cost is at most the one before: a line search never accepts an increase.
    for (int i = 1; i < result.costs().length; i++) {
      assertThat(result.costs()[i]).isAtMost(result.costs()[i - 1]);
    }
  }

  @Test
  void minimisesRosenbrockFromTheClassicStart() {
    ConjugateGradient.Result result =
        ConjugateGradient.minimize(TestFunctions.ROSENBROCK, new double[] {-1.2, 1}, 100);
    // About 33 iterations (140 evaluations) reach (1, 1) to rounding.
    assertThat(TestFunctions.distance(result.parameters(), new double[] {1, 1})).isLessThan(1e-6);
    assertThat(result.costs()[result.costs().length - 1]).isLessThan(1e-12);
  }

  @Test
  void anObjectiveThatIgnoresItsArgumentMakesNoProgress() {
    // The seed's bug: the cost reads the network's own weights, not the vector CG passes.
    LinearNetwork network = new LinearNetwork(3, 2, 8);
    network.initialize(5);
    Batch batch = batch(network, 8, 11);
    Objective impure =
        new Objective() {
          @Override
          public int dimension() {
            return network.spec().parameterCount();
          }

          @Override
          public double evaluate(double[] ignored, double[] gradientOut) {
            double loss = network.lossAndGradient(batch);
            network.getGradient(gradientOut);
            return loss;
          }
        };
    double[] start = new double[network.spec().parameterCount()];
    network.getParameters(start);
    double startCost = network.loss(batch);

    ConjugateGradient.Result stuck = ConjugateGradient.minimize(impure, start, 50);
    assertThat(stuck.stoppedEarly()).isTrue();
    assertThat(stuck.stopReason()).contains("line search failed twice in a row");
    assertThat(stuck.iterations()).isEqualTo(2);
    assertThat(stuck.costs()).usingExactEquality().containsExactly(startCost, startCost);

    // The same network through the pure NetworkObjective does move.
    ConjugateGradient.Result moving =
        ConjugateGradient.minimize(new NetworkObjective(network, batch), start, 50);
    assertThat(moving.iterations()).isGreaterThan(5);
    assertThat(moving.costs()[moving.costs().length - 1]).isLessThan(1e-6 * startCost);
  }

  @Test
  void aNonFiniteStartStopsAtOnce() {
    Objective nan =
        new Objective() {
          @Override
          public int dimension() {
            return 1;
          }

          @Override
          public double evaluate(double[] p, double[] g) {
            g[0] = 1;
            return Double.NaN;
          }
        };
    ConjugateGradient cg = new ConjugateGradient(nan, new double[] {0});
    assertThat(cg.iterate()).isFalse();
    assertThat(cg.stopReason()).isEqualTo("the cost at the start is NaN");
  }

  /** A full batch of {@code rows} random rows with targets from a random linear map. */
  static Batch batch(LinearNetwork network, int rows, long seed) {
    Rng rng = new Rng(seed);
    int inputs = network.spec().inputWidth();
    int outputs = network.spec().targetWidth();
    Batch batch = Batch.forSpec(network.spec(), rows);
    double[] map = new double[inputs * outputs];
    for (int i = 0; i < map.length; i++) {
      map[i] = rng.nextGaussian();
    }
    for (int r = 0; r < rows; r++) {
      for (int d = 0; d < inputs; d++) {
        batch.x[r * inputs + d] = rng.nextGaussian();
      }
      for (int k = 0; k < outputs; k++) {
        double t = 0.5 * k;
        for (int d = 0; d < inputs; d++) {
          t += batch.x[r * inputs + d] * map[d * outputs + k];
        }
        batch.targets[r * outputs + k] = t;
      }
    }
    return batch;
  }
}
