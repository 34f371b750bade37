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
  void aReluKinkWithinEpsilonIsUnverifiableNeverPassed() {
    // w = 1e-9 sits within ε = 1e-6 of the kink at 0, and within ε/10: the right-hand slopes are
    // 1 at every step, the left-hand ones are not. The analytic 1 is the right-hand derivative: an
    // honest gradient at a kink, counted as unverifiable, and a tensor with nothing verified fails.
    TensorCheck check =
        new GradientCheck(new KinkNetwork(1e-9, 0, 0)).run(batch()).tensors().get(0);
    assertThat(check.kinks()).isEqualTo(1);
    assertThat(check.verified()).isEqualTo(0);
    assertThat(check.failed()).isEqualTo(0);
    assertThat(check.passed()).isFalse();
    assertThat(check.whyNot()).isEqualTo("no entry could be verified");
  }

  @Test
  void aKinkInOneCaseIsVerifiedInAnother() {
    // The same entry at w = 0.5 (smooth) is verified, and a kink elsewhere does not undo that.
    KinkNetwork network = new KinkNetwork(1e-9, 0, 0);
    GradientReport report = new GradientCheck(network).alsoAt(new double[] {0.5}).run(batch());
    assertThat(report.tensors().get(0).verified()).isEqualTo(1);
    assertThat(report.tensors().get(0).unverifiable()).isEqualTo(0);
    assertThat(report.passed()).isTrue();
    double[] after = new double[1];
    network.getParameters(after);
    assertThat(after[0]).isEqualTo(1e-9);
  }

  @Test
  void aSmoothNetworkHasNoKinks() {
    // Told the network is smooth, the check fails what it would otherwise call a kink.
    TensorCheck check =
        new GradientCheck(new KinkNetwork(1e-9, 0, 0))
            .nonSmooth(false)
            .run(batch())
            .tensors()
            .get(0);
    assertThat(check.kinks()).isEqualTo(0);
    assertThat(check.failed()).isEqualTo(1);
  }

  @Test
  void aWrongGradientAtAKinkStillFails() {
    // Reported 1.5 where the loss's right-hand slope is 1 at every step: it fails.
    TensorCheck check =
        new GradientCheck(new KinkNetwork(1e-9, 0, 0.5)).run(batch()).tensors().get(0);
    assertThat(check.kinks()).isEqualTo(0);
    assertThat(check.failed()).isEqualTo(1);
  }

  @Test
  void aSmoothLossLeavesNoRoomForAWrongGradient() {
    // Far from the kink an error of 1e-5 relative is caught, at the first step and for good.
    GradientReport report = new GradientCheck(new KinkNetwork(0.5, 0.25, 1.25e-5)).run(batch());
    assertThat(report.passed()).isFalse();
    assertThat(report.tensors().get(0).kinks()).isEqualTo(0);
    assertThat(report.tensors().get(0).failed()).isEqualTo(1);
    assertThat(report.format()).contains("out.W (layer 'out', kink.nn:3)");
    assertThat(report.format()).contains("0 verified, 0 unverifiable, 1 failed");
  }

  @Test
  void aGradientBelowTheRoundingFloorIsUnverifiableNotPassed() {
    // With w = −1e9 the loss scale · w = 1e6 is known to ~1e-9, so at ε = 1e-6 the difference
    // resolves a gradient only to ~1e-3 absolute: −1e-3 and −1.1e-3 cannot be told apart. That is
    // not a pass: the entry is unverifiable, and the tensor has nothing verified.
    TensorCheck check =
        new GradientCheck(new KinkNetwork(-1e9, -1e-3, 1e-4)).run(batch()).tensors().get(0);
    assertThat(check.belowResolution()).isEqualTo(1);
    assertThat(check.passed()).isFalse();
    // The same error on a loss of 1e-3 (w = −1) is far above its floor: it fails.
    TensorCheck small =
        new GradientCheck(new KinkNetwork(-1, -1e-3, 1e-4)).run(batch()).tensors().get(0);
    assertThat(small.failed()).isEqualTo(1);
    // And the right gradient there is verified.
    TensorCheck right =
        new GradientCheck(new KinkNetwork(-1, -1e-3, 0)).run(batch()).tensors().get(0);
    assertThat(right.verified()).isEqualTo(1);
    assertThat(right.passed()).isTrue();
  }
}
