package dev.nnc.reference;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.ir.Activation;
import dev.nnc.ir.Loss;
import dev.nnc.ir.Model;
import dev.nnc.ir.Precision;
import dev.nnc.ir.Reduction;
import dev.nnc.runtime.Batch;
import dev.nnc.testing.Batches;
import dev.nnc.testing.ModelFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Small networks whose losses and gradients were worked out by hand (in exact dyadic arithmetic
 * where possible), so that a wrong reduction factor, penalty scale or layout shows as a plain wrong
 * number.
 */
class ReferenceNetworkTest {
  private static final double TIGHT = 1e-15;

  /** 2 → 1 sigmoid, W = [0.5, −0.25], b = 0.1, rows [1, 2] and [0, 1]: z = 0.1 and −0.15. */
  private static ReferenceNetwork sigmoidNeuron(Loss.Kind loss, Reduction reduction) {
    Model model =
        ModelFixtures.network("Neuron", 2)
            .dense("out", 1, Activation.SIGMOID)
            .loss(loss, reduction)
            .build();
    ReferenceNetwork network = new ReferenceNetwork(model, 2);
    network.setParameters(new double[] {0.5, -0.25, 0.1}); // out.W (2×1), then out.b
    return network;
  }

  private static Batch sigmoidNeuronBatch(double t0, double t1) {
    return Batches.of(new double[][] {{1, 2}, {0, 1}}, new double[][] {{t0}, {t1}});
  }

  /**
   * a = σ(0.1) = 0.52497918747894, σ(−0.15) = 0.46257015465625045, targets 1 and 0: Σ(a − t)² =
   * 0.43961592030687546; with n = 2 and k = 1, mean = batch_mean = half_sum here.
   */
  @ParameterizedTest
  @CsvSource({
    "SUM, 0.43961592030687546, -0.23691761847142412, -0.2438462750104056, -0.006928656538981476",
    "HALF_SUM, 0.21980796015343773, -0.11845880923571206, -0.1219231375052028,"
        + " -0.003464328269490738",
    "MEAN, 0.21980796015343773, -0.11845880923571206, -0.1219231375052028, -0.003464328269490738",
    "BATCH_MEAN, 0.21980796015343773, -0.11845880923571206, -0.1219231375052028,"
        + " -0.003464328269490738",
    "HALF_BATCH_MEAN, 0.10990398007671887, -0.05922940461785603, -0.0609615687526014,"
        + " -0.001732164134745369"
  })
  void sigmoidNeuronSquaredErrorByHand(
      Reduction reduction, double loss, double dw0, double dw1, double db) {
    ReferenceNetwork network = sigmoidNeuron(Loss.Kind.SQUARED_ERROR, reduction);
    Batch batch = sigmoidNeuronBatch(1, 0);

    assertThat(network.lossAndGradient(batch)).isWithin(TIGHT).of(loss);
    double[] gradient = new double[3];
    network.getGradient(gradient);
    assertThat(gradient).usingTolerance(TIGHT).containsExactly(dw0, dw1, db).inOrder();
  }

  /** The same neuron with binary cross-entropy against 0.25 and 0.75, reduce batch_mean. */
  @Test
  void sigmoidNeuronBinaryCrossEntropyByHand() {
    ReferenceNetwork network = sigmoidNeuron(Loss.Kind.BINARY_CROSS_ENTROPY, Reduction.BATCH_MEAN);
    Batch batch = sigmoidNeuronBatch(0.25, 0.75);

    assertThat(network.lossAndGradient(batch)).isWithin(TIGHT).of(0.7264268539315515);
    double[] gradient = new double[3];
    network.getGradient(gradient);
    // dW = (1/n) Xᵀ (a − t): the sigmoid's derivative cancels against the loss's
    assertThat(gradient[0]).isWithin(TIGHT).of(0.13748959373947);
    assertThat(gradient[1]).isWithin(TIGHT).of(0.13126426480706524);
  }

  /**
   * 2 → 3 identity over 3 rows, all in exact binary fractions: Σ(s − t)² = 19.9375, so every
   * reduction (n = 3, k = 3) gives a different, exact number.
   */
  @ParameterizedTest
  @CsvSource({
    "SUM, 19.9375",
    "HALF_SUM, 9.96875",
    "MEAN, 2.2152777777777777", // 19.9375 / 9
    "BATCH_MEAN, 6.645833333333333", // 19.9375 / 3
    "HALF_BATCH_MEAN, 3.3229166666666665" // 19.9375 / 6
  })
  void everyReductionHasItsOwnFactor(Reduction reduction, double expected) {
    Model model =
        ModelFixtures.network("Linear", 2)
            .dense("out", 3, Activation.IDENTITY)
            .loss(Loss.Kind.SQUARED_ERROR, reduction)
            .build();
    ReferenceNetwork network = new ReferenceNetwork(model, 3);
    network.setParameters(new double[] {1, 2, 0, 3, 4, -1, 0.5, -0.5, 0.25});
    Batch batch =
        Batches.of(
            new double[][] {{1, -1}, {0.5, 0.25}, {0, 0}},
            new double[][] {{0, 1, 0}, {2, 0, 1}, {0, 0, 0}});

    assertThat(network.lossAndGradient(batch)).isWithin(TIGHT).of(expected);
    double[] gradient = new double[9];
    network.getGradient(gradient);
    // db = scale · Σ_rows 2(s − t) = scale · 2 · [−1.25, −2.5, 0.5]
    double scale = expected / 19.9375;
    assertThat(new double[] {gradient[6], gradient[7], gradient[8]})
        .usingTolerance(TIGHT)
        .containsExactly(scale * -2.5, scale * -5, scale * 1)
        .inOrder();
  }

  /** Scores [1.5, 2.1, −0.8] with label 2 and [1.5, −1.9, −1.8] with label 0. */
  @ParameterizedTest
  @CsvSource({"SUM, 3.4402958274768967", "BATCH_MEAN, 1.7201479137384483"})
  void softmaxCrossEntropyByHand(Reduction reduction, double expected) {
    Model model =
        ModelFixtures.network("Scores", 2)
            .dense("scores", 3, Activation.IDENTITY)
            .loss(Loss.Kind.SOFTMAX_CROSS_ENTROPY, reduction)
            .build();
    ReferenceNetwork network = new ReferenceNetwork(model, 2);
    network.setParameters(new double[] {1, 0, -1, 0.5, 2, 0, 0, 0.1, 0.2});
    Batch batch = Batches.of(new double[][] {{1, 1}, {2, -1}}, new int[] {2, 0}, 3);

    assertThat(network.lossAndGradient(batch)).isWithin(TIGHT).of(expected);
    double[] gradient = new double[9];
    network.getGradient(gradient);
    // db = scale · Σ_rows (softmax(s) − onehot(y)): each row's part sums to 0
    assertThat(gradient[6] + gradient[7] + gradient[8]).isWithin(TIGHT).of(0.0);
  }

  /**
   * ΣW² = 0.5² + 0.25² = 0.3125 on the sigmoid neuron (reduce sum); the bias is never penalised.
   */
  @ParameterizedTest
  @CsvSource({
    // coefficient, over 2m, m set, added loss, added dW / W
    "0.3, false, 0, 0.09375, 0.6", // reg·ΣW², gradient 2·reg·W
    "0.7, true, 0, 0.0546875, 0.35", // λ/(2m)·ΣW² with m = the batch's 2 rows
    "0.7, true, 10, 0.0109375, 0.07" // m = 10 as set
  })
  void l2PenaltyByHand(
      double coefficient, boolean overTwoM, int m, double addedLoss, double addedGradientPerW) {
    Model model =
        ModelFixtures.network("Neuron", 2)
            .dense("out", 1, Activation.SIGMOID)
            .loss(Loss.Kind.SQUARED_ERROR, Reduction.SUM)
            .penalty(coefficient, overTwoM)
            .build();
    ReferenceNetwork network = new ReferenceNetwork(model, 2);
    network.setParameters(new double[] {0.5, -0.25, 0.1});
    network.setPenaltyExampleCount(m);

    double loss = network.lossAndGradient(sigmoidNeuronBatch(1, 0));

    assertThat(loss).isWithin(TIGHT).of(0.43961592030687546 + addedLoss);
    double[] gradient = new double[3];
    network.getGradient(gradient);
    assertThat(gradient)
        .usingTolerance(TIGHT)
        .containsExactly(
            -0.23691761847142412 + addedGradientPerW * 0.5,
            -0.2438462750104056 + addedGradientPerW * -0.25,
            -0.006928656538981476)
        .inOrder();
  }

  /**
   * penalty l1(0.3) on the same neuron: λ·Σ|W| = 0.3 · (0.5 + 0.25) = 0.225 added to the loss, and
   * λ·sign(W) = (+0.3, −0.3) to dW; the bias is never penalised.
   */
  @Test
  void l1PenaltyByHand() {
    Model model =
        ModelFixtures.network("Neuron", 2)
            .dense("out", 1, Activation.SIGMOID)
            .loss(Loss.Kind.SQUARED_ERROR, Reduction.SUM)
            .l1Penalty(0.3)
            .build();
    ReferenceNetwork network = new ReferenceNetwork(model, 2);
    network.setParameters(new double[] {0.5, -0.25, 0.1});

    double loss = network.lossAndGradient(sigmoidNeuronBatch(1, 0));

    assertThat(loss).isWithin(TIGHT).of(0.43961592030687546 + 0.225);
    double[] gradient = new double[3];
    network.getGradient(gradient);
    assertThat(gradient)
        .usingTolerance(TIGHT)
        .containsExactly(
            -0.23691761847142412 + 0.3, -0.2438462750104056 - 0.3, -0.006928656538981476)
        .inOrder();
  }

  /** softplus(z) − t·z keeps binary cross-entropy finite where σ(z) rounds to exactly 1. */
  @Test
  void binaryCrossEntropyIsStableForSaturatedOutputs() {
    Model model =
        ModelFixtures.network("Saturated", 1)
            .denseNoBias("out", 1, Activation.SIGMOID)
            .loss(Loss.Kind.BINARY_CROSS_ENTROPY, Reduction.SUM)
            .build();
    ReferenceNetwork network = new ReferenceNetwork(model, 1);
    network.setParameters(new double[] {800});
    Batch batch = Batches.of(new double[][] {{1}}, new double[][] {{0.25}});

    // −0.25·log σ(800) − 0.75·log(1 − σ(800)) = 0.75 · 800 exactly, in the limit
    assertThat(network.lossAndGradient(batch)).isWithin(1e-12).of(600.0);
    double[] gradient = new double[1];
    network.getGradient(gradient);
    assertThat(gradient[0]).isWithin(1e-12).of(0.75); // (σ(800) − t) · x
  }

  /** Softmax subtracts the row maximum: scores of 1000 do not overflow. */
  @Test
  void softmaxCrossEntropyIsStableForLargeScores() {
    Model model =
        ModelFixtures.network("Large", 1)
            .denseNoBias("scores", 2, Activation.IDENTITY)
            .loss(Loss.Kind.SOFTMAX_CROSS_ENTROPY, Reduction.SUM)
            .build();
    ReferenceNetwork network = new ReferenceNetwork(model, 1);
    network.setParameters(new double[] {1000, 999});
    Batch batch = Batches.of(new double[][] {{1}}, new int[] {1}, 2);

    // −log(e^999 / (e^1000 + e^999)) = log(1 + e)
    assertThat(network.loss(batch)).isWithin(1e-12).of(Math.log1p(Math.E));
  }

  /** The gradient is overwritten by each call, never accumulated. */
  @Test
  void lossAndGradientOverwritesTheGradient() {
    ReferenceNetwork network = sigmoidNeuron(Loss.Kind.SQUARED_ERROR, Reduction.SUM);
    Batch batch = sigmoidNeuronBatch(1, 0);
    network.lossAndGradient(batch);
    network.lossAndGradient(batch);
    double[] gradient = new double[3];
    network.getGradient(gradient);
    assertThat(gradient[2]).isWithin(TIGHT).of(-0.006928656538981476);
  }

  /** sgdStep is p −= lr · grad, on the flat vector. */
  @Test
  void sgdStepMovesAgainstTheGradient() {
    ReferenceNetwork network = sigmoidNeuron(Loss.Kind.SQUARED_ERROR, Reduction.SUM);
    network.lossAndGradient(sigmoidNeuronBatch(1, 0));
    network.sgdStep(0.5);
    double[] parameters = new double[3];
    network.getParameters(parameters);
    assertThat(parameters)
        .usingTolerance(TIGHT)
        .containsExactly(
            0.5 + 0.5 * 0.23691761847142412,
            -0.25 + 0.5 * 0.2438462750104056,
            0.1 + 0.5 * 0.006928656538981476)
        .inOrder();
  }

  @Test
  void predictWritesTheActivatedOutputs() {
    ReferenceNetwork network = sigmoidNeuron(Loss.Kind.SQUARED_ERROR, Reduction.SUM);
    double[] out = new double[2];
    network.predict(new double[] {1, 2, 0, 1}, 2, out);
    assertThat(out)
        .usingTolerance(TIGHT)
        .containsExactly(0.52497918747894, 0.46257015465625045)
        .inOrder();
  }

  /** A float model is still interpreted in double: the yardstick is exact, not float-rounded. */
  @ParameterizedTest
  @EnumSource(Precision.class)
  void computesInDoubleWhateverThePrecision(Precision precision) {
    Model model =
        ModelFixtures.network("Neuron", 2)
            .precision(precision)
            .dense("out", 1, Activation.SIGMOID)
            .loss(Loss.Kind.SQUARED_ERROR, Reduction.SUM)
            .build();
    ReferenceNetwork network = new ReferenceNetwork(model, 2);
    network.setParameters(new double[] {0.5, -0.25, 0.1});
    assertThat(network.loss(sigmoidNeuronBatch(1, 0))).isWithin(TIGHT).of(0.43961592030687546);
  }

  @Test
  void refusesBatchesLargerThanMaxRows() {
    ReferenceNetwork network =
        new ReferenceNetwork(
            ModelFixtures.network("Neuron", 2)
                .dense("out", 1, Activation.SIGMOID)
                .loss(Loss.Kind.SQUARED_ERROR, Reduction.SUM)
                .build(),
            1);
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> network.loss(sigmoidNeuronBatch(1, 0)));
    assertThat(error).hasMessageThat().contains("batch of 2 rows");
  }

  /** The flat layout is RuntimeViews.spec's: per layer W (in×out, row-major) then b. */
  @Test
  void layoutIsWeightsThenBiasPerLayer() {
    Model model =
        ModelFixtures.network("Two", 2)
            .dense("hidden", 3, Activation.TANH)
            .denseNoBias("out", 1, Activation.IDENTITY)
            .loss(Loss.Kind.SQUARED_ERROR, Reduction.SUM)
            .build();
    ReferenceNetwork network = new ReferenceNetwork(model, 1);
    assertThat(network.spec().tensor("hidden.b").offset()).isEqualTo(6);
    assertThat(network.spec().tensor("out.W").offset()).isEqualTo(9);
    assertThat(network.spec().parameterCount()).isEqualTo(12);
    // hidden.W[1][2] = 1 with x = [0, 1] reaches hidden unit 2 only: out = tanh(1) · out.W[2]
    double[] parameters = new double[12];
    parameters[1 * 3 + 2] = 1;
    parameters[9 + 2] = 2;
    network.setParameters(parameters);
    double[] out = new double[1];
    network.predict(new double[] {0, 1}, 1, out);
    assertThat(out[0]).isWithin(TIGHT).of(2 * Math.tanh(1));
  }
}
