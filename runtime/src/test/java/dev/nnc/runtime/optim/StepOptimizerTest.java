package dev.nnc.runtime.optim;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.LinearNetwork;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class StepOptimizerTest {
  @Test
  void momentumFirstStepsByHand() {
    // μ = 0.9, lr = 0.1. Step 1: v = −0.1·g = (−0.05, −0.1), p = (0.95, −2.1).
    // Step 2 (g = (0.5, 1) again): v = 0.9·v − 0.1·g = (−0.095, −0.19), p = (0.855, −2.29).
    Momentum momentum = new Momentum(2, 0.9);
    double[] p = {1, -2};
    double[] g = {0.5, 1};
    momentum.update(p, g, 0.1);
    assertThat(p).usingTolerance(1e-15).containsExactly(0.95, -2.1).inOrder();
    momentum.update(p, g, 0.1);
    assertThat(momentum.velocity()).usingTolerance(1e-15).containsExactly(-0.095, -0.19).inOrder();
    assertThat(p).usingTolerance(1e-15).containsExactly(0.855, -2.29).inOrder();
  }

  @Test
  void adamFirstStepsByHand() {
    // β1 = 0.9, β2 = 0.999, ε = 1e-8, lr = 0.1, p = 1.
    // Step 1, g = 0.5: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25: p = 1 − 0.1·0.5/(0.5 + 1e-8).
    // Step 2, g = 0.25: m = 0.045 + 0.025 = 0.07, v = 0.00024975 + 0.0000625 = 0.00031225,
    // m̂ = 0.07/0.19, v̂ = 0.00031225/0.001999 (1 − β1² = 0.19, 1 − β2² = 0.001999).
    Adam adam = new Adam(1, 0.9, 0.999, 1e-8);
    double[] p = {1};
    adam.update(p, new double[] {0.5}, 0.1);
    double afterOne = 1 - 0.1 * 0.5 / (0.5 + 1e-8);
    assertThat(p[0]).isWithin(1e-15).of(afterOne);
    assertThat(p[0]).isWithin(1e-15).of(0.900000002); // ≈ lr·sign(g): Adam's first step
    adam.update(p, new double[] {0.25}, 0.1);
    double mHat = 0.07 / 0.19;
    double vHat = 0.00031225 / 0.001999;
    assertThat(p[0]).isWithin(1e-14).of(afterOne - 0.1 * mHat / (Math.sqrt(vHat) + 1e-8));
    // m̂ = 0.3684210526, √v̂ = 0.3952253807: the step is 0.0932179615.
    assertThat(p[0]).isWithin(1e-12).of(0.806782040477462);
    assertThat(adam.steps()).isEqualTo(2);
  }

  @Test
  void stepOnANetworkUpdatesItsFlatVectorAndAllocatesNothing() {
    LinearNetwork network = new LinearNetwork(3, 2, 5);
    network.initialize(4);
    Batch batch = ConjugateGradientTest.batch(network, 5, 3);
    Adam onNetwork = new Adam(8, 0.9, 0.999, 1e-8);
    Adam onArrays = new Adam(8, 0.9, 0.999, 1e-8);
    double[] p = new double[8];
    double[] g = new double[8];
    network.getParameters(p);
    for (int i = 0; i < 3; i++) {
      network.lossAndGradient(batch);
      network.getGradient(g);
      onArrays.update(p, g, 0.01);
      onNetwork.step(network, 0.01);
    }
    double[] actual = new double[8];
    network.getParameters(actual);
    assertThat(actual).usingExactEquality().containsExactly(p).inOrder();

    Momentum momentum = new Momentum(8, 0.5);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 20_000; i++) { // warm up, so the JIT's own work is done
      momentum.step(network, 1e-6);
      onNetwork.step(network, 1e-6);
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 10_000; i++) {
      momentum.step(network, 1e-6);
      onNetwork.step(network, 1e-6);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(allocated).isLessThan(1_000L); // 20,000 steps: nothing per step
  }

  @Test
  void refusesSettingsOutsideTheirRanges() {
    assertThrows(IllegalArgumentException.class, () -> new Momentum(2, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new Momentum(2, -0.1));
    assertThrows(IllegalArgumentException.class, () -> new Adam(2, 1.0, 0.999, 1e-8));
    assertThrows(IllegalArgumentException.class, () -> new Adam(2, 0.9, 0.999, -1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Momentum(2, 0.9).update(new double[3], new double[3], 1));
  }
}
