package dev.nnc.reference;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.ir.Activation;
import dev.nnc.ir.Loss;
import dev.nnc.ir.Model;
import dev.nnc.ir.Reduction;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Rng;
import dev.nnc.testing.Batches;
import dev.nnc.testing.FiniteDifferences;
import dev.nnc.testing.ModelFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reference interpreter's gradient against central finite differences, over every legal (output
 * activation × loss × reduction × target form), with hidden activations, biases, penalty forms and
 * shapes (1–3 layers, widths 1–7, 1–5 rows) drawn from a seed per case. Relative error below 1e-7
 * for every entry whose difference is above the finite difference's own rounding noise ({@link
 * FiniteDifferences#noiseFloor}).
 */
class ReferenceGradientTest {
  private static final double EPSILON = 1e-6;
  private static final double TOLERANCE = 1e-7;

  /** One case; {@code toString} is the test's display name. */
  record Case(
      int seed,
      Loss.Kind loss,
      Activation output,
      Reduction reduction,
      boolean onehot,
      Penalty penalty) {
    @Override
    public String toString() {
      return String.format(
          "#%d %s(%s%s) reduce %s, %s",
          seed,
          loss.name().toLowerCase(),
          output.keyword(),
          onehot ? ", onehot" : "",
          reduction.keyword(),
          penalty);
    }
  }

  /** The penalty forms: none, reg·ΣW², λ/(2m)·ΣW² with m = the batch rows or a set m, λ·Σ|W|. */
  enum Penalty {
    NONE,
    L2,
    L2_OVER_2M_BATCH,
    L2_OVER_2M_SET,
    L1
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    int seed = 0;
    for (int copy = 0; copy < 2; copy++) {
      for (Reduction reduction : Reduction.values()) {
        for (Activation output : Activation.values()) {
          for (boolean onehot : new boolean[] {false, true}) {
            cases.add(
                new Case(seed, Loss.Kind.SQUARED_ERROR, output, reduction, onehot, penalty(seed)));
            seed++;
          }
        }
        cases.add(
            new Case(
                seed,
                Loss.Kind.SOFTMAX_CROSS_ENTROPY,
                Activation.IDENTITY,
                reduction,
                false,
                penalty(seed)));
        seed++;
        for (boolean onehot : new boolean[] {false, true}) {
          cases.add(
              new Case(
                  seed,
                  Loss.Kind.BINARY_CROSS_ENTROPY,
                  Activation.SIGMOID,
                  reduction,
                  onehot,
                  penalty(seed)));
          seed++;
        }
      }
    }
    return cases.stream();
  }

  private static Penalty penalty(int seed) {
    return Penalty.values()[seed % Penalty.values().length];
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesCentralDifferences(Case c) {
    Rng rng = new Rng(1000 + c.seed());
    int depth = 1 + rng.nextInt(3);
    int rows = 1 + rng.nextInt(5);
    ModelFixtures.Builder builder = ModelFixtures.network("Case" + c.seed(), 1 + rng.nextInt(7));
    StringBuilder shape = new StringBuilder();
    for (int l = 0; l < depth; l++) {
      boolean last = l == depth - 1;
      int width = 1 + rng.nextInt(7);
      Activation activation =
          last ? c.output() : Activation.values()[rng.nextInt(Activation.values().length)];
      boolean bias = rng.nextInt(3) != 0;
      builder.dense("layer" + l, width, activation, bias);
      shape.append(String.format(" %d %s%s", width, activation.keyword(), bias ? "" : " nobias"));
    }
    if (c.onehot()) {
      builder.onehotLoss(c.loss(), c.reduction());
    } else {
      builder.loss(c.loss(), c.reduction());
    }
    switch (c.penalty()) {
      case NONE -> {}
      case L2 -> builder.penalty(0.3, false);
      case L2_OVER_2M_BATCH, L2_OVER_2M_SET -> builder.penalty(0.7, true);
      case L1 -> builder.l1Penalty(0.4);
    }
    Model model = builder.build();
    ReferenceNetwork network = new ReferenceNetwork(model, rows);
    if (c.penalty() == Penalty.L2_OVER_2M_SET) {
      network.setPenaltyExampleCount(37);
    }
    network.setParameters(Batches.normal(network.spec().parameterCount(), 0.8, 2000 + c.seed()));
    Batch batch = Batches.random(network.spec(), rows, 3000 + c.seed());

    double loss = network.lossAndGradient(batch);
    double[] analytic = new double[network.spec().parameterCount()];
    network.getGradient(analytic);
    double[] numeric = FiniteDifferences.gradient(network, batch, EPSILON);

    double noise = FiniteDifferences.noiseFloor(loss, EPSILON);
    String context =
        String.format(
            "%s, %d rows, input %d,%s, loss %.6g%n%s",
            c,
            rows,
            model.input().width(),
            shape,
            loss,
            FiniteDifferences.report(network.spec(), analytic, numeric, noise));
    assertWithMessage(context)
        .that(FiniteDifferences.worst(network.spec(), analytic, numeric, noise).relativeError())
        .isLessThan(TOLERANCE);
    // lossAndGradient and loss agree on the value
    assertWithMessage(context).that(network.loss(batch)).isEqualTo(loss);
  }
}
