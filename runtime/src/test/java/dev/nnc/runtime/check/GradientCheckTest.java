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

    GradientReport report = new GradientCheck(network).nonSmooth(false).run(batch);

    assertThat(report.passed()).isTrue();
    assertThat(report.problems()).isEmpty();
    assertThat(report.tensors()).hasSize(2);
    assertThat(report.tensors().get(0).tensor().name()).isEqualTo("out.W");
    assertThat(report.tensors().get(0).checkedEntries()).isEqualTo(6);
    assertThat(report.tensors().get(0).verified()).isEqualTo(6);
    assertThat(report.tensors().get(1).verified()).isEqualTo(2);
    for (TensorCheck check : report.tensors()) {
      assertThat(check.errorOverBound()).isLessThan(1);
    }
    assertThat(parameters(network)).isEqualTo(before);
    assertThat(report.format())
        .contains("out.W (layer 'out', linear.nn:3): 6 verified, 0 unverifiable, 0 failed");
    assertThat(report.format()).contains("passed: 2 tensors, 8 entries verified, 0 unverifiable");
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
    assertThat(bias.failed()).isEqualTo(2);
    // Half the true gradient, shown beside the difference and its error (never 0 beside them).
    assertThat(bias.analytic()).isWithin(1e-6 * Math.abs(bias.numeric())).of(bias.numeric() / 2);
    assertThat(bias.error())
        .isWithin(1e-6 * Math.abs(bias.numeric()))
        .of(Math.abs(bias.numeric() / 2));
    assertThat(bias.worstRow()).isEqualTo(0);
    assertThat(bias.worstFlatIndex()).isEqualTo(6 + bias.worstColumn());
    assertThat(report.tensors().get(0).passed()).isTrue();

    String text = report.format();
    assertThat(text)
        .containsMatch(
            "out\\.b \\(layer 'out', linear\\.nn:3\\): 0 verified, 0 unverifiable, 2 failed; at \\[0, [01]\\]"
                + " analytic -?[0-9.e+-]+ vs -?[0-9.e+-]+, .*  FAIL: 2 entries disagree");
    assertThat(text).contains("FAILED: 1 of 2 tensors");
  }

  @Test
  void theLossComesFromLossNotFromLossAndGradient() {
    // lossAndGradient returns twice the loss (and the matching gradient of the wrong loss): the
    // differences of loss() disagree with that gradient, and the two losses disagree.
    LinearNetwork network =
        randomNetwork(3, 2, Penalty.NONE, NetworkSpec.Precision.DOUBLE)
            .withScaledLossAndGradient(2);
    GradientReport report = GradientCheck.check(network, randomBatch(3, 2));
    assertThat(report.passed()).isFalse();
    assertThat(report.problems().get(0)).contains("lossAndGradient returned");
    assertThat(report.failures()).hasSize(2);
  }

  @Test
  void aBufferNotClearedShowsOnTheSecondCall() {
    LinearNetwork network =
        randomNetwork(3, 2, Penalty.NONE, NetworkSpec.Precision.DOUBLE).withUnclearedBias();
    GradientReport report = GradientCheck.check(network, randomBatch(3, 2));
    assertThat(report.passed()).isFalse();
    assertThat(report.problems().get(0))
        .contains(
            "a second lossAndGradient call (the first came right after a larger batch) gives"
                + " another out.b in 2 entries");
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
    GradientReport report = new GradientCheck(network).nonSmooth(false).run(batch);
    assertThat(report.passed()).isTrue();
    assertThat(report.verified()).isEqualTo(3);
  }

  @Test
  void aFloatNetworkIsHeldToItsDoubleTwin() {
    LinearNetwork network = randomNetwork(2, 2, Penalty.NONE, NetworkSpec.Precision.FLOAT);
    LinearNetwork twin = randomNetwork(2, 2, Penalty.NONE, NetworkSpec.Precision.DOUBLE);
    GradientReport report = new GradientCheck(network).reference(twin).run(randomBatch(2, 2));
    assertThat(report.passed()).isTrue();
    assertThat(report.reference()).hasSize(2);
    assertThat(report.method()).contains("double twin");
    // A wrong float bias gradient is caught against the twin.
    GradientReport wrong =
        new GradientCheck(
                randomNetwork(2, 2, Penalty.NONE, NetworkSpec.Precision.FLOAT)
                    .withWrongBiasGradient())
            .reference(twin)
            .run(randomBatch(2, 2));
    assertThat(wrong.failures().stream().map(f -> f.tensor().name())).containsExactly("out.b");
    assertThat(wrong.reference().stream().allMatch(TensorCheck::passed)).isTrue();
  }

  @Test
  void samplesAtMostMaxPerTensorEntriesReproducibly() {
    LinearNetwork network =
        randomNetwork(20, 30, Penalty.LAMBDA_OVER_2M, NetworkSpec.Precision.DOUBLE);
    Batch batch = randomBatch(20, 30);
    GradientReport first = new GradientCheck(network).maxPerTensor(20).seed(3).run(batch);
    GradientReport second = new GradientCheck(network).maxPerTensor(20).seed(3).run(batch);
    assertThat(first.tensors().get(0).checkedEntries()).isEqualTo(20);
    assertThat(first.tensors().get(1).checkedEntries()).isEqualTo(20);
    assertThat(first.passed()).isTrue();
    assertThat(first.tensors()).isEqualTo(second.tensors());

    // The sampled check still catches a wrong tensor.
    GradientReport wrong =
        new GradientCheck(network.withWrongBiasGradient()).maxPerTensor(20).run(batch);
    assertThat(wrong.failures()).hasSize(1);
    assertThat(wrong.failures().get(0).tensor().name()).isEqualTo("out.b");
  }

  @Test
  void aGradientThatIsNotANumberNeverPasses() {
    LinearNetwork network = randomNetwork(3, 2, Penalty.NONE, NetworkSpec.Precision.DOUBLE);
    Batch batch = randomBatch(3, 2);
    batch.targets[0] = Double.NaN;
    GradientReport report = new GradientCheck(network).threshold(1).run(batch);
    assertThat(report.passed()).isFalse();
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
