package dev.nnc.runtime.check;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.LinearNetwork;
import dev.nnc.runtime.LinearNetwork.Penalty;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.Oracle;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.data.NpyArray;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradientCheckTest {
  private static final int ROWS = 5;

  @Test
  void correctGradientPassesEveryTensor() {
    LinearNetwork network = randomNetwork(3, 2, Penalty.REG_SUM, NetworkSpec.Precision.DOUBLE);
    Batch batch = randomBatch(3, 2);
    double[] before = parameters(network);

    GradientReport report = GradientCheck.check(network, batch);

    assertThat(report.passed()).isTrue();
    assertThat(report.epsilon()).isEqualTo(1e-6);
    assertThat(report.threshold()).isEqualTo(1e-6);
    assertThat(report.tensors()).hasSize(2);
    assertThat(report.tensors().get(0).tensor().name()).isEqualTo("out.W");
    assertThat(report.tensors().get(0).checkedEntries()).isEqualTo(6);
    assertThat(report.tensors().get(1).checkedEntries()).isEqualTo(2);
    for (TensorCheck check : report.tensors()) {
      assertThat(check.maxRelativeError()).isLessThan(1e-7);
    }
    assertThat(parameters(network)).isEqualTo(before);
    assertThat(report.format()).contains("out.W (layer 'out', linear.nn:3): max rel. error");
    assertThat(report.format()).contains("passed: 2 tensors, 8 entries checked");
  }

  @Test
  void wrongBiasGradientFailsNamingTensorLayerAndLine() {
    LinearNetwork network =
        randomNetwork(3, 2, Penalty.NONE, NetworkSpec.Precision.DOUBLE).withWrongBiasGradient();
    GradientReport report = GradientCheck.check(network, randomBatch(3, 2));

    assertThat(report.passed()).isFalse();
    assertThat(report.failures()).hasSize(1);
    TensorCheck bias = report.failures().get(0);
    assertThat(bias.tensor().name()).isEqualTo("out.b");
    // Half the true gradient: |n/2 − n| / (|n/2| + |n|) = 1/3 wherever the gradient is not ~0.
    assertThat(bias.maxRelativeError()).isWithin(1e-6).of(1.0 / 3);
    assertThat(bias.analytic()).isWithin(1e-6 * Math.abs(bias.numeric())).of(bias.numeric() / 2);
    assertThat(bias.worstRow()).isEqualTo(0);
    assertThat(bias.worstFlatIndex()).isEqualTo(6 + bias.worstColumn());
    assertThat(report.tensors().get(0).passed()).isTrue();

    String text = report.format();
    assertThat(text)
        .containsMatch(
            "out\\.b \\(layer 'out', linear\\.nn:3\\): max rel\\. error 3\\.3e-01 at \\[0, [01]\\]:"
                + " analytic -?[0-9.e+-]+, numeric -?[0-9.e+-]+  FAIL");
    assertThat(text)
        .containsMatch("out\\.W \\(layer 'out', linear\\.nn:3\\): max rel\\. error .*  ok");
    assertThat(text).contains("FAILED: 1 of 2 tensors");
  }

  @Test
  void gradientMatchesTheS6OracleAtItsInitialParameters() {
    // The hand-written test network is itself checked against PyTorch, so a passing check means
    // the check (not just the network) works.
    Map<String, NpyArray> init = Oracle.read("S6_init.npz");
    Map<String, NpyArray> ref = Oracle.read("S6_ref.npz");
    LinearNetwork network = new LinearNetwork(2, 1, 5);
    network.setParameters(concat(init.get("W").data(), init.get("b").data()));
    Batch batch = new Batch(5, 2, 1, false);
    System.arraycopy(init.get("X").data(), 0, batch.x, 0, 10);
    System.arraycopy(init.get("Y").data(), 0, batch.targets, 0, 5);

    double loss = network.lossAndGradient(batch);
    double[] gradient = new double[3];
    network.getGradient(gradient);
    assertThat(loss).isWithin(1e-12 * loss).of(ref.get("loss").scalar());
    double[] expected = concat(ref.get("grad_W").data(), ref.get("grad_b").data());
    for (int i = 0; i < 3; i++) {
      assertThat(gradient[i]).isWithin(1e-12 * Math.abs(expected[i])).of(expected[i]);
    }
    assertThat(GradientCheck.check(network, batch).passed()).isTrue();
  }

  @Test
  void floatNetworksGetLooserDefaults() {
    LinearNetwork network = randomNetwork(2, 2, Penalty.NONE, NetworkSpec.Precision.FLOAT);
    GradientReport report = new GradientCheck(network).run(randomBatch(2, 2));
    assertThat(report.epsilon()).isEqualTo(1e-3);
    assertThat(report.threshold()).isEqualTo(1e-2);
    assertThat(report.passed()).isTrue();
    // The float-rounded step is what the difference divides by; dividing by 2ε would be off by
    // up to an ulp of the parameter over ε (~1e-4 here).
    for (TensorCheck check : report.tensors()) {
      assertThat(check.maxRelativeError()).isLessThan(1e-6);
    }
  }

  @Test
  void samplesAtMostMaxPerTensorEntriesReproducibly() {
    LinearNetwork network =
        randomNetwork(20, 30, Penalty.LAMBDA_OVER_2M, NetworkSpec.Precision.DOUBLE);
    Batch batch = randomBatch(20, 30);
    GradientReport first = new GradientCheck(network).maxPerTensor(7).seed(3).run(batch);
    GradientReport second = new GradientCheck(network).maxPerTensor(7).seed(3).run(batch);
    assertThat(first.tensors().get(0).checkedEntries()).isEqualTo(7);
    assertThat(first.tensors().get(1).checkedEntries()).isEqualTo(7);
    assertThat(first.passed()).isTrue();
    assertThat(first.tensors()).isEqualTo(second.tensors());
    assertThat(first.format()).contains("at most 7 sampled entries per tensor");

    // The sampled check still catches a wrong tensor.
    GradientReport wrong =
        new GradientCheck(network.withWrongBiasGradient()).maxPerTensor(7).run(batch);
    assertThat(wrong.failures()).hasSize(1);
    assertThat(wrong.failures().get(0).tensor().name()).isEqualTo("out.b");
  }

  @Test
  void thresholdDecidesPassOrFail() {
    LinearNetwork network =
        randomNetwork(3, 2, Penalty.NONE, NetworkSpec.Precision.DOUBLE).withWrongBiasGradient();
    assertThat(new GradientCheck(network).threshold(0.34).run(randomBatch(3, 2)).passed()).isTrue();
    assertThat(new GradientCheck(network).threshold(0.33).run(randomBatch(3, 2)).passed())
        .isFalse();
  }

  @Test
  void aGradientThatIsNotANumberNeverPasses() {
    LinearNetwork network = randomNetwork(3, 2, Penalty.NONE, NetworkSpec.Precision.DOUBLE);
    Batch batch = randomBatch(3, 2);
    batch.targets[0] = Double.NaN;
    GradientReport report = new GradientCheck(network).threshold(1).run(batch);
    assertThat(report.passed()).isFalse();
    assertThat(report.tensors().get(0).maxRelativeError()).isNaN();
    assertThat(report.format()).contains("max rel. error NaN at [0, 0]");
  }

  @Test
  void relativeErrorFormula() {
    assertThat(GradientCheck.relativeError(1, 3)).isEqualTo(0.5);
    assertThat(GradientCheck.relativeError(1e-12, -1e-12)).isWithin(1e-18).of(2e-4);
    assertThat(GradientCheck.relativeError(0, 0)).isEqualTo(0);
  }

  private static LinearNetwork randomNetwork(
      int inputs, int outputs, Penalty penalty, NetworkSpec.Precision precision) {
    LinearNetwork network =
        new LinearNetwork(inputs, outputs, ROWS, penalty, 0.1, precision, false);
    Rng rng = new Rng(11);
    double[] p = new double[network.spec().parameterCount()];
    for (int i = 0; i < p.length; i++) {
      p[i] = rng.nextGaussian();
    }
    network.setParameters(p);
    return network;
  }

  private static Batch randomBatch(int inputs, int outputs) {
    Batch batch = new Batch(ROWS, inputs, outputs, false);
    Rng rng = new Rng(12);
    for (int i = 0; i < batch.x.length; i++) {
      batch.x[i] = rng.nextGaussian();
    }
    for (int i = 0; i < batch.targets.length; i++) {
      batch.targets[i] = rng.nextGaussian();
    }
    return batch;
  }

  private static double[] parameters(LinearNetwork network) {
    double[] p = new double[network.spec().parameterCount()];
    network.getParameters(p);
    return p;
  }

  private static double[] concat(double[] a, double[] b) {
    double[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
