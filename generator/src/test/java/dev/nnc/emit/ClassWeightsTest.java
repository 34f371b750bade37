package dev.nnc.emit;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.ir.Model;
import dev.nnc.reference.ReferenceNetwork;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.check.GradientCheck;
import dev.nnc.runtime.check.GradientReport;
import dev.nnc.testing.Batches;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code class_weights(…)} on every loss that takes labels (softmax cross-entropy, binary
 * cross-entropy on a 0/1 label, squared error and binary cross-entropy of onehot(y); looped and
 * unrolled outputs): the weighted batch loss equals Σ_r w[y_r]·ℓ_r·scale computed here from the
 * unweighted network's one-row losses, the generated class matches the reference interpreter
 * (1e-10), and its gradient passes the gradient check.
 */
class ClassWeightsTest {
  /** name, output, loss statement, weights, reduction scale of one row (k outputs). */
  private record Case(String name, String output, String loss, double[] weights) {}

  private static final List<Case> CASES =
      List.of(
          new Case(
              "Softmax", "dense out[3]", "softmax_cross_entropy(out, y)", new double[] {1, 4, 0.5}),
          new Case(
              "Binary",
              "dense out[1] sigmoid",
              "binary_cross_entropy(out, y)",
              new double[] {0.25, 3}),
          new Case(
              "Squared",
              "dense out[6] tanh",
              "squared_error(out, onehot(y)) reduce sum",
              new double[] {1, 2, 3, 4, 5, 6}),
          new Case(
              "OnehotBce",
              "dense out[4] sigmoid",
              "binary_cross_entropy(out, onehot(y)) reduce mean",
              new double[] {2, 1, 0.5, 7}));

  private static Model model(Case c, boolean weighted) {
    StringBuilder weights = new StringBuilder();
    for (double w : c.weights()) {
      weights.append(weights.length() == 0 ? "" : ", ").append(w);
    }
    String source =
        "network "
            + c.name()
            + (weighted ? "W" : "")
            + " {\n  input x[5]\n  dense h[7] tanh\n  "
            + c.output()
            + "\n  label y\n  loss "
            + c.loss()
            + (weighted ? " class_weights(" + weights + ")" : "")
            + "\n}\n";
    CompileResult result = NnCompiler.compile(c.name() + ".nn", source);
    assertWithMessage(result.formatDiagnostics()).that(result.ok()).isTrue();
    return result.model().orElseThrow();
  }

  private static final List<Model> MODELS = new ArrayList<>();

  static {
    for (Case c : CASES) {
      MODELS.add(model(c, true));
      MODELS.add(model(c, false));
    }
  }

  private static final GeneratedNetworks COMPILED = GeneratedNetworks.compile(MODELS);

  private static Batch row(Batch batch, int r, Network network) {
    Batch one = Batch.forSpec(network.spec(), 1);
    int width = network.spec().inputWidth();
    System.arraycopy(batch.x, r * width, one.x, 0, width);
    one.labels[0] = batch.labels[r];
    one.setRows(1);
    return one;
  }

  @Test
  void eachRowsLossIsMultipliedByItsClassWeight() {
    int rows = 11;
    for (int i = 0; i < CASES.size(); i++) {
      Case c = CASES.get(i);
      Network weighted = COMPILED.create(MODELS.get(2 * i), rows);
      Network plain = COMPILED.create(MODELS.get(2 * i + 1), rows);
      weighted.initialize(3);
      plain.initialize(3);
      Batch batch = Batches.random(weighted.spec(), rows, 7);
      // with sum-like reductions the one-row loss is ℓ_r·(scale at 1 row); rescale to n rows
      double oneRowScale = scale(c, 1);
      double expected = 0;
      int classesSeen = 0;
      boolean[] seen = new boolean[c.weights().length];
      for (int r = 0; r < rows; r++) {
        double term = plain.loss(row(batch, r, plain)) / oneRowScale;
        expected += c.weights()[batch.labels[r]] * term;
        if (!seen[batch.labels[r]]) {
          seen[batch.labels[r]] = true;
          classesSeen++;
        }
      }
      expected *= scale(c, rows);
      assertWithMessage("%s: the batch has rows of several classes", c.name())
          .that(classesSeen)
          .isAtLeast(2);
      double loss = weighted.loss(batch);
      assertWithMessage("%s: weighted loss", c.name())
          .that(loss)
          .isWithin(1e-12 * Math.abs(expected))
          .of(expected);
      assertWithMessage("%s: the weights change the loss", c.name())
          .that(loss)
          .isNotWithin(1e-6 * Math.abs(loss))
          .of(plain.loss(batch));

      ReferenceNetwork reference = new ReferenceNetwork(MODELS.get(2 * i), rows);
      reference.initialize(3);
      double lossAndGradient = weighted.lossAndGradient(batch);
      double referenceLoss = reference.lossAndGradient(batch);
      assertThat(lossAndGradient).isWithin(1e-10 * Math.abs(referenceLoss)).of(referenceLoss);
      double[] g = new double[weighted.spec().parameterCount()];
      double[] gr = new double[g.length];
      weighted.getGradient(g);
      reference.getGradient(gr);
      Tolerances.Mismatch worst = Tolerances.worst("gradient", weighted.spec(), g, gr, 1e-6);
      assertWithMessage("%s: %s", c.name(), worst.description())
          .that(worst.error())
          .isAtMost(1e-10);

      GradientReport report = GradientCheck.check(weighted, Batches.random(weighted.spec(), 6, 8));
      assertWithMessage("%s:\n%s", c.name(), report.format()).that(report.passed()).isTrue();
    }
  }

  /** The reduction's factor for n rows, as docs/language.md defines it. */
  private static double scale(Case c, int n) {
    if (c.loss().endsWith("reduce sum")) {
      return 1;
    }
    if (c.loss().endsWith("reduce mean")) {
      int k = Integer.parseInt(c.output().replaceAll(".*\\[(\\d+)\\].*", "$1"));
      return 1.0 / (n * k);
    }
    return 1.0 / n; // batch_mean, the default of the cross-entropies
  }
}
