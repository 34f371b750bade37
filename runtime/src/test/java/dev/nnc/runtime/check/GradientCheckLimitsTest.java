package dev.nnc.runtime.check;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.InitSpec;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.TensorSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two limits of central differences that {@link GradientCheck} recognises (a kink within ±ε,
 * and rounding below the floor), and that neither lets a wrong gradient through.
 */
class GradientCheckLimitsTest {

  /**
   * loss = relu(w) + scale · w, one parameter; its gradient at w > 0 is 1 + scale. {@code
   * gradientError} is added to the reported gradient to make it wrong.
   */
  static final class KinkNetwork implements Network {
    private final double scale;
    private final double gradientError;
    private double w;
    private double gradient;
    private final NetworkSpec spec =
        new NetworkSpec(
            "Kink",
            "kink.nn",
            NetworkSpec.Precision.DOUBLE,
            "x",
            1,
            new int[0],
            1,
            -1,
            1,
            "t",
            NetworkSpec.TargetKind.DENSE,
            1,
            -1,
            List.of(new TensorSpec("out.W", "out", 3, 1, 1, 0, true, InitSpec.constant(0))),
            1);

    KinkNetwork(double w, double scale, double gradientError) {
      this.w = w;
      this.scale = scale;
      this.gradientError = gradientError;
    }

    @Override
    public NetworkSpec spec() {
      return spec;
    }

    @Override
    public int maxRows() {
      return 1;
    }

    @Override
    public void getParameters(double[] dst) {
      dst[0] = w;
    }

    @Override
    public void setParameters(double[] src) {
      w = src[0];
    }

    @Override
    public void getGradient(double[] dst) {
      dst[0] = gradient;
    }

    @Override
    public double loss(Batch batch) {
      return Math.max(w, 0) + scale * w;
    }

    @Override
    public double lossAndGradient(Batch batch) {
      gradient = (w > 0 ? 1 : 0) + scale + gradientError;
      return loss(batch);
    }

    @Override
    public void predict(double[] x, int rows, double[] out) {}

    @Override
    public void sgdStep(double learningRate) {}

    @Override
    public void setPenaltyExampleCount(int m) {}
  }

  private static Batch batch() {
    return new Batch(1, 1, 1, false);
  }

  @Test
  void aReluKinkWithinEpsilonIsSkippedAndCounted() {
    // w = 1e-9 sits within ε = 1e-6 of the kink at 0, and within ε/10 and ε/100: the central
    // differences are about 0.5, the true derivative 1; the one-sided slopes (0.001 and 1, then
    // 0.01 and 1) bracket it at ε and ε/10, and the bracket does not shrink with the step.
    TensorCheck check =
        new GradientCheck(new KinkNetwork(1e-9, 0, 0)).run(batch()).tensors().get(0);
    assertThat(check.kinks()).isEqualTo(1);
    assertThat(check.passed()).isTrue();
  }

  @Test
  void aKinkThatASmallerStepAvoidsIsJudgedAtThatStep() {
    // w = 1e-7: ε = 1e-6 crosses the kink, ε/10 does not, and there the difference is exact.
    TensorCheck check =
        new GradientCheck(new KinkNetwork(1e-7, 0, 0)).run(batch()).tensors().get(0);
    assertThat(check.kinks()).isEqualTo(0);
    assertThat(check.passed()).isTrue();
    TensorCheck wrong =
        new GradientCheck(new KinkNetwork(1e-7, 0, 0.01)).run(batch()).tensors().get(0);
    assertThat(wrong.passed()).isFalse();
  }

  @Test
  void aSmoothLossIsNoKink() {
    // loss = relu(w) + 0.25 w near w = 0.5 is smooth; an analytic gradient off by 1e-5 relative is
    // caught at every step, and its tiny one-sided bracket shrinks with the step: no kink.
    TensorCheck check =
        new GradientCheck(new KinkNetwork(0.5, 0.25, 1.25e-5)).run(batch()).tensors().get(0);
    assertThat(check.kinks()).isEqualTo(0);
    assertThat(check.passed()).isFalse();
  }

  @Test
  void aWrongGradientAtAKinkStillFails() {
    // Reported 1.5 where the loss's slopes are 0.001 and 1: outside the bracket, so it is judged.
    TensorCheck check =
        new GradientCheck(new KinkNetwork(1e-9, 0, 0.5)).run(batch()).tensors().get(0);
    assertThat(check.kinks()).isEqualTo(0);
    assertThat(check.passed()).isFalse();
  }

  @Test
  void aSmoothLossLeavesNoRoomForAWrongGradient() {
    // Far from the kink the slopes agree to rounding: an error of 1e-5 relative is caught.
    GradientReport report = new GradientCheck(new KinkNetwork(0.5, 0.25, 1.25e-5)).run(batch());
    assertThat(report.passed()).isFalse();
    assertThat(report.tensors().get(0).kinks()).isEqualTo(0);
    assertThat(report.format()).contains("out.W (layer 'out', kink.nn:3)");
  }

  @Test
  void anErrorBelowTheRoundingFloorIsNotHeldAgainstTheGradient() {
    // With w = −1e9 the loss scale · w = 1e6 (relu is 0 there) is known to ~1e-10 (16 ulps:
    // 1.9e-9), so at ε = 1e-6 the central difference resolves its gradient, −1e-3, only to ~1e-3
    // absolute. A gradient off by 1e-4 cannot be told apart from right: it passes as
    // rounding-limited, and is counted.
    TensorCheck check =
        new GradientCheck(new KinkNetwork(-1e9, -1e-3, 1e-4)).run(batch()).tensors().get(0);
    assertThat(check.roundingLimited()).isEqualTo(1);
    assertThat(check.passed()).isTrue();
    // The same error on a loss of 1e-3 (w = −1) is far above its floor: it fails.
    TensorCheck small =
        new GradientCheck(new KinkNetwork(-1, -1e-3, 1e-4)).run(batch()).tensors().get(0);
    assertThat(small.roundingLimited()).isEqualTo(0);
    assertThat(small.kinks()).isEqualTo(0);
    assertThat(small.passed()).isFalse();
  }
}
