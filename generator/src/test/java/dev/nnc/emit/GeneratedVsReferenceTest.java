package dev.nnc.emit;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.ir.Activation;
import dev.nnc.ir.Loss;
import dev.nnc.ir.Model;
import dev.nnc.ir.Precision;
import dev.nnc.ir.Reduction;
import dev.nnc.reference.ReferenceNetwork;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.Rng;
import dev.nnc.testing.Batches;
import dev.nnc.testing.FiniteDifferences;
import dev.nnc.testing.ModelFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every layer kind × activation × loss × reduction × target kind × penalty, on seeded random shapes
 * both unrolled (at most 16 weights, up to exactly 16) and looped (from 17 weights up): the
 * generated class against the reference interpreter and against central finite differences.
 *
 * <p>Double networks must agree with the reference to 1e-10 (relative, see {@link Tolerances}) and
 * with finite differences (ε = 1e-6) to 1e-7 relative, entries within the rounding noise of the
 * difference quotient excepted ({@link FiniteDifferences#noiseFloor}). Float networks are held
 * against the double reference, run on the same float-rounded parameters, to 1e-4: float has 24
 * bits, so a sum of a few dozen products is good to about 1e-6, and 1e-4 leaves room without hiding
 * a wrong term (which is off by the size of the term).
 */
class GeneratedVsReferenceTest {
  static final double REFERENCE_TOLERANCE = 1e-10;
  static final double FINITE_DIFFERENCE_TOLERANCE = 1e-7;
  static final double FINITE_DIFFERENCE_STEP = 1e-6;
  static final double FLOAT_TOLERANCE = 1e-4;
  static final int MAX_ROWS = 6;

  private static final Activation[] ACTIVATIONS = Activation.values();

  /** One model to check, with the batch it is checked on. */
  record Combo(String label, Model model, int rows, long seed, int penaltyExampleCount) {
    @Override
    public String toString() {
      return label;
    }
  }

  private static final List<Combo> DOUBLE_COMBOS = new ArrayList<>();
  private static final List<Combo> FLOAT_COMBOS = new ArrayList<>();
  private static GeneratedNetworks compiled;

  static {
    buildCombos();
  }

  @BeforeAll
  static void compileAll() {
    List<Model> models = new ArrayList<>();
    DOUBLE_COMBOS.forEach(c -> models.add(c.model()));
    FLOAT_COMBOS.forEach(c -> models.add(c.model()));
    compiled = GeneratedNetworks.compile(models);
  }

  /** The 25 (loss, target kind, reduction) triples, each on an unrolled and a looped network. */
  private static void buildCombos() {
    List<Object[]> losses = new ArrayList<>();
    for (Reduction reduction : Reduction.values()) {
      losses.add(new Object[] {Loss.Kind.SQUARED_ERROR, false, reduction});
      losses.add(new Object[] {Loss.Kind.SQUARED_ERROR, true, reduction});
      losses.add(new Object[] {Loss.Kind.BINARY_CROSS_ENTROPY, false, reduction});
      losses.add(new Object[] {Loss.Kind.BINARY_CROSS_ENTROPY, true, reduction});
      losses.add(new Object[] {Loss.Kind.SOFTMAX_CROSS_ENTROPY, false, reduction});
    }
    int index = 0;
    for (Object[] loss : losses) {
      for (boolean looped : new boolean[] {false, true}) {
        Combo combo =
            combo(
                index,
                (Loss.Kind) loss[0],
                (Boolean) loss[1],
                (Reduction) loss[2],
                looped,
                Precision.DOUBLE);
        DOUBLE_COMBOS.add(combo);
        if (index % 4 == 1 || index % 4 == 2) {
          FLOAT_COMBOS.add(
              combo(
                  index,
                  (Loss.Kind) loss[0],
                  (Boolean) loss[1],
                  (Reduction) loss[2],
                  looped,
                  Precision.FLOAT));
        }
        index++;
      }
    }
    // a 0/1 label against one sigmoid output, every reduction, unrolled and looped
    for (Reduction reduction : Reduction.values()) {
      for (boolean looped : new boolean[] {false, true}) {
        String name = "Binary_" + reduction.keyword() + (looped ? "_looped" : "_unrolled");
        ModelFixtures.Builder builder = ModelFixtures.network(name, looped ? 6 : 2);
        builder.dense("hidden", looped ? 19 : 3, Activation.TANH);
        builder.dense("out", 1, Activation.SIGMOID);
        builder.binaryLabelLoss(reduction);
        if (looped) {
          builder.penalty(0.1, false);
        }
        DOUBLE_COMBOS.add(
            new Combo(name, builder.build(), looped ? MAX_ROWS : 5, name.hashCode(), 0));
      }
    }
    // the unroll threshold itself: exactly 16 weights per layer, and 17
    DOUBLE_COMBOS.add(fixed("Threshold16", new int[] {4, 4, 4}, Activation.TANH, Precision.DOUBLE));
    DOUBLE_COMBOS.add(
        fixed("Threshold16b", new int[] {2, 8, 2}, Activation.SIGMOID, Precision.DOUBLE));
    DOUBLE_COMBOS.add(
        fixed("Threshold17", new int[] {1, 17, 1}, Activation.RELU, Precision.DOUBLE));
    FLOAT_COMBOS.add(fixed("Threshold16F", new int[] {4, 4, 4}, Activation.TANH, Precision.FLOAT));
    FLOAT_COMBOS.add(
        fixed("Threshold17F", new int[] {17, 1, 17}, Activation.SOFTMAX, Precision.FLOAT));
  }

  private static Combo combo(
      int index,
      Loss.Kind kind,
      boolean onehot,
      Reduction reduction,
      boolean looped,
      Precision precision) {
    Rng rng = new Rng(1000 + index);
    String name =
        String.format(
            "C%02d_%s%s_%s_%s%s",
            index,
            kind.name().substring(0, 2),
            onehot ? "1h" : "",
            reduction.keyword(),
            looped ? "looped" : "unrolled",
            precision == Precision.FLOAT ? "_F" : "");
    int inputs;
    int[] hidden;
    int outputs;
    if (looped) {
      inputs = 5 + rng.nextInt(5);
      hidden =
          index % 4 == 1
              ? new int[] {17 + rng.nextInt(6), 18 + rng.nextInt(4)}
              : new int[] {17 + rng.nextInt(8)};
      outputs = 3 + rng.nextInt(3);
    } else {
      inputs = 1 + rng.nextInt(4);
      int first = 1 + rng.nextInt(16 / inputs);
      first = Math.min(first, 8);
      hidden = index % 4 == 2 ? new int[] {first, 2} : new int[] {first};
      int last = hidden[hidden.length - 1];
      outputs = Math.max(2, 1 + rng.nextInt(Math.max(1, 16 / last)));
      outputs = Math.min(outputs, Math.max(2, 16 / last));
    }
    ModelFixtures.Builder builder = ModelFixtures.network(name, inputs).precision(precision);
    for (int h = 0; h < hidden.length; h++) {
      Activation activation = ACTIVATIONS[(index + 2 * h) % ACTIVATIONS.length];
      builder.dense("hidden" + h, hidden[h], activation, (index + h) % 4 != 3);
    }
    Activation output =
        switch (kind) {
          case SQUARED_ERROR -> ACTIVATIONS[(index / 2 + 1) % ACTIVATIONS.length];
          case BINARY_CROSS_ENTROPY -> Activation.SIGMOID;
          case SOFTMAX_CROSS_ENTROPY -> Activation.IDENTITY;
        };
    builder.dense("out", outputs, output, index % 5 != 2);
    if (onehot) {
      builder.onehotLoss(kind, reduction);
    } else {
      builder.loss(kind, reduction);
    }
    int penaltyExampleCount = 0;
    switch (index % 3) {
      case 1 -> {
        double coefficient = 0.05 + 0.1 * rng.nextDouble();
        if (index % 2 == 0) {
          builder.penalty(coefficient, false);
        } else {
          builder.l1Penalty(coefficient);
        }
      }
      case 2 -> {
        builder.penalty(0.5 + rng.nextDouble(), true);
        penaltyExampleCount = index % 2 == 0 ? 0 : 40 + rng.nextInt(60);
      }
      default -> {}
    }
    int rows = index % 3 == 0 ? MAX_ROWS : 1 + rng.nextInt(MAX_ROWS);
    return new Combo(name, builder.build(), rows, 7000 + index, penaltyExampleCount);
  }

  private static Combo fixed(String name, int[] widths, Activation hidden, Precision precision) {
    ModelFixtures.Builder builder = ModelFixtures.network(name, widths[0]).precision(precision);
    builder.dense("hidden", widths[1], hidden);
    builder.dense("out", widths[2], Activation.SIGMOID);
    builder.loss(Loss.Kind.SQUARED_ERROR, Reduction.HALF_SUM).penalty(0.01, false);
    return new Combo(name, builder.build(), MAX_ROWS, name.hashCode(), 0);
  }

  static Stream<Combo> doubleCombos() {
    return DOUBLE_COMBOS.stream();
  }

  static Stream<Combo> floatCombos() {
    return FLOAT_COMBOS.stream();
  }

  @Test
  void coversAtLeastFiftyCombinationsOfEveryKind() {
    assertThat(DOUBLE_COMBOS.size()).isAtLeast(50);
    List<String> seen = new ArrayList<>();
    for (Combo combo : DOUBLE_COMBOS) {
      Model model = combo.model();
      model.layers().forEach(layer -> seen.add(layer.activation().name()));
      seen.add(model.loss().kind().name());
      seen.add(model.loss().reduction().name());
      seen.add(model.loss().onehot() ? "ONEHOT" : model.target().kind().name());
      seen.add(new EmitContext(model).unrolled(0) ? "UNROLLED" : "LOOPED");
      model.layers().forEach(layer -> seen.add(layer.bias() ? "BIAS" : "NOBIAS"));
      seen.add(
          model
              .penalty()
              .map(p -> p.l1() ? "L1" : p.overTwoM() ? "L2_2M" : "L2")
              .orElse("NOPENALTY"));
    }
    for (Activation activation : Activation.values()) {
      assertThat(seen).contains(activation.name());
    }
    for (Reduction reduction : Reduction.values()) {
      assertThat(seen).contains(reduction.name());
    }
    for (Loss.Kind kind : Loss.Kind.values()) {
      assertThat(seen).contains(kind.name());
    }
    assertThat(seen)
        .containsAtLeast(
            "ONEHOT",
            "DENSE",
            "LABELS",
            "UNROLLED",
            "LOOPED",
            "BIAS",
            "NOBIAS",
            "L2",
            "L2_2M",
            "L1",
            "NOPENALTY");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("doubleCombos")
  void doubleMatchesReferenceAndFiniteDifferences(Combo combo) {
    Model model = combo.model();
    Network generated = compiled.create(model, MAX_ROWS);
    Network reference = new ReferenceNetwork(model, MAX_ROWS);
    NetworkSpec spec = generated.spec();
    double[] parameters = Batches.normal(spec.parameterCount(), 0.7, combo.seed());
    generated.setParameters(parameters);
    reference.setParameters(parameters);
    generated.setPenaltyExampleCount(combo.penaltyExampleCount());
    reference.setPenaltyExampleCount(combo.penaltyExampleCount());
    Batch batch = Batches.random(spec, combo.rows(), combo.seed() + 1);

    // the flat view round-trips exactly
    double[] back = new double[spec.parameterCount()];
    generated.getParameters(back);
    assertThat(back).isEqualTo(parameters);

    double loss = generated.lossAndGradient(batch);
    double expectedLoss = reference.lossAndGradient(batch);
    assertWithMessage("loss: generated %s, reference %s", loss, expectedLoss)
        .that(Tolerances.relative(loss, expectedLoss))
        .isAtMost(REFERENCE_TOLERANCE);
    assertThat(Tolerances.relative(generated.loss(batch), loss)).isAtMost(1e-15);

    double[] gradient = gradient(generated);
    double[] expected = gradient(reference);
    Tolerances.Mismatch mismatch =
        Tolerances.worst("gradient vs reference", spec, gradient, expected, 1e-6);
    assertWithMessage(mismatch.description()).that(mismatch.error()).isAtMost(REFERENCE_TOLERANCE);

    double[] numeric = FiniteDifferences.gradient(generated, batch, FINITE_DIFFERENCE_STEP);
    double noise = FiniteDifferences.noiseFloor(loss, FINITE_DIFFERENCE_STEP);
    FiniteDifferences.Worst worst = FiniteDifferences.worst(spec, gradient, numeric, noise);
    assertWithMessage(
            "finite differences: " + FiniteDifferences.report(spec, gradient, numeric, noise))
        .that(worst.relativeError())
        .isAtMost(FINITE_DIFFERENCE_TOLERANCE);

    // the gradient is overwritten, not accumulated
    generated.lossAndGradient(batch);
    assertThat(gradient(generated)).isEqualTo(gradient);

    // sgdStep is p − lr·g, exactly
    double learningRate = 0.37;
    generated.sgdStep(learningRate);
    double[] stepped = new double[spec.parameterCount()];
    generated.getParameters(stepped);
    for (int k = 0; k < stepped.length; k++) {
      assertWithMessage("sgdStep at %s", k)
          .that(stepped[k])
          .isEqualTo(parameters[k] - learningRate * gradient[k]);
    }

    checkPredict(generated, reference, spec, combo.seed(), 0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("floatCombos")
  void floatMatchesDoubleReference(Combo combo) {
    Model model = combo.model();
    Network generated = compiled.create(model, MAX_ROWS);
    Network reference = new ReferenceNetwork(model, MAX_ROWS);
    NetworkSpec spec = generated.spec();
    assertThat(spec.precision()).isEqualTo(NetworkSpec.Precision.FLOAT);
    double[] parameters = Batches.normal(spec.parameterCount(), 0.7, combo.seed());
    generated.setParameters(parameters);
    // the flat view of a float network holds the float-rounded values, exactly
    double[] rounded = new double[spec.parameterCount()];
    generated.getParameters(rounded);
    for (int k = 0; k < rounded.length; k++) {
      assertThat(rounded[k]).isEqualTo((double) (float) parameters[k]);
    }
    reference.setParameters(rounded);
    generated.setPenaltyExampleCount(combo.penaltyExampleCount());
    reference.setPenaltyExampleCount(combo.penaltyExampleCount());
    Batch batch = Batches.random(spec, combo.rows(), combo.seed() + 1);

    double loss = generated.lossAndGradient(batch);
    double expectedLoss = reference.lossAndGradient(batch);
    assertWithMessage("loss: generated %s, reference %s", loss, expectedLoss)
        .that(Tolerances.relative(loss, expectedLoss))
        .isAtMost(FLOAT_TOLERANCE);
    double[] gradient = gradient(generated);
    Tolerances.Mismatch mismatch =
        Tolerances.worst("float gradient vs reference", spec, gradient, gradient(reference), 1e-2);
    assertWithMessage(mismatch.description()).that(mismatch.error()).isAtMost(FLOAT_TOLERANCE);

    // sgdStep in float arithmetic: p − (float) lr · g, rounded to float
    float learningRate = 0.37f;
    generated.sgdStep(0.37);
    double[] stepped = new double[spec.parameterCount()];
    generated.getParameters(stepped);
    for (int k = 0; k < stepped.length; k++) {
      float expectedStep = (float) rounded[k] - learningRate * (float) gradient[k];
      assertWithMessage("sgdStep at %s", k).that(stepped[k]).isEqualTo((double) expectedStep);
    }

    checkPredict(generated, reference, spec, combo.seed(), 1e-5);
  }

  /**
   * predict on more rows than maxRows (so in chunks) against the reference, which takes at most
   * maxRows at a time.
   */
  private static void checkPredict(
      Network generated, Network reference, NetworkSpec spec, long seed, double floatTolerance) {
    int rows = 2 * MAX_ROWS + 1;
    Batch inputs = Batches.random(spec, rows, seed + 2);
    double[] out = new double[rows * spec.outputWidth()];
    generated.predict(inputs.x, rows, out);
    double[] expected = new double[rows * spec.outputWidth()];
    double[] parameters = new double[spec.parameterCount()];
    generated.getParameters(parameters);
    reference.setParameters(parameters);
    for (int first = 0; first < rows; first += MAX_ROWS) {
      int chunk = Math.min(MAX_ROWS, rows - first);
      double[] x =
          java.util.Arrays.copyOfRange(
              inputs.x, first * spec.inputWidth(), (first + chunk) * spec.inputWidth());
      double[] part = new double[chunk * spec.outputWidth()];
      reference.predict(x, chunk, part);
      System.arraycopy(part, 0, expected, first * spec.outputWidth(), part.length);
    }
    if (floatTolerance == 0) {
      Tolerances.Mismatch mismatch = Tolerances.worst("predict", null, out, expected, 1e-6);
      assertWithMessage(mismatch.description())
          .that(mismatch.error())
          .isAtMost(REFERENCE_TOLERANCE);
    } else {
      Tolerances.Mismatch mismatch = Tolerances.worst("predict", null, out, expected, 1e-2);
      assertWithMessage(mismatch.description()).that(mismatch.error()).isAtMost(floatTolerance);
    }
  }

  private static double[] gradient(Network network) {
    double[] gradient = new double[network.spec().parameterCount()];
    network.getGradient(gradient);
    return gradient;
  }
}
