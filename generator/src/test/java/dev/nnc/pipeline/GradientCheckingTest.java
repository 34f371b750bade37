package dev.nnc.pipeline;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.ir.Model;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.TensorSpec;
import org.junit.jupiter.api.Test;

/** What {@code nnc gradcheck} chooses from the model: kinks, the entry budget, the second point. */
class GradientCheckingTest {
  private static final String LENET =
      """
      network LeNet5 {
          input    x[1, 28, 28]
          conv     c1[6]   kernel 5  pad 2  relu
          maxpool  s2      kernel 2
          conv     c3[16]  kernel 5  relu
          maxpool  s4      kernel 2
          flatten  f
          dense    f5[120] relu
          dense    f6[84]  relu
          dense    out[10]
          label    y
          loss     softmax_cross_entropy(out, y)
      }
      """;

  private static final String SMOOTH_CONV =
      """
      network SmoothConv {
          input    x[2, 6, 6]
          conv     c[3]  kernel 3  tanh
          avgpool  p     kernel 2
          flatten  f
          dense    out[2]
          target   t[2]
          loss     squared_error(out, t)
      }
      """;

  private static final String MAX_POOL =
      """
      network MaxPool {
          input    x[1, 6, 6]
          conv     c[2]  kernel 3  tanh
          maxpool  p     kernel 2
          flatten  f
          dense    out[2]
          target   t[2]
          loss     squared_error(out, t)
      }
      """;

  static Model model(String name, String source) {
    CompileResult result = NnCompiler.compile(name + ".nn", source);
    assertThat(result.formatDiagnostics()).isEmpty();
    return result.model().orElseThrow();
  }

  @Test
  void aMaxPoolOrAConvReluIsAKinkAnAveragePoolOfTanhIsNot() {
    assertThat(GradientChecking.nonSmooth(model("LeNet5", LENET))).isTrue();
    assertThat(GradientChecking.nonSmooth(model("MaxPool", MAX_POOL))).isTrue();
    assertThat(GradientChecking.nonSmooth(model("SmoothConv", SMOOTH_CONV))).isFalse();
  }

  @Test
  void theDoubleTwinOfAConvNetworkKeepsItsConvolutions() {
    Model model = model("SmoothConv", SMOOTH_CONV);
    assertThat(GradientChecking.doubleTwin(model).spatial()).isEqualTo(model.spatial());
  }

  /**
   * LeNet-5's forward pass costs 0.8 MFLOP a row: its large tensors are checked on 20 entries by
   * differences (18 rows in the default cases); a dense network of the same size would keep 200.
   */
  @Test
  void anExpensiveForwardPassLowersTheEntriesPerTensor() {
    Model lenet = model("LeNet5", LENET);
    long flops = GradientChecking.forwardFlopsPerRow(lenet);
    // c1 6·28·28·25, c3 16·10·10·150, f5 400·120, f6 120·84, out 84·10 multiply-adds, ×2
    assertThat(flops).isEqualTo(2L * (117_600 + 240_000 + 48_000 + 10_080 + 840));
    NetworkSpec spec = CompiledModel.of(lenet).newNetwork(1).spec();
    long budget = GradientChecking.entryBudget(flops, 18);
    assertThat(GradientChecking.withinBudget(spec, GradientChecking.SAMPLED_ENTRIES, budget))
        .isEqualTo(GradientChecking.FEWEST_PER_TENSOR);
    assertThat(
            GradientChecking.withinBudget(
                spec, GradientChecking.SAMPLED_ENTRIES, GradientChecking.entryBudget(1000, 18)))
        .isEqualTo(GradientChecking.SAMPLED_ENTRIES);
  }

  /**
   * A constant tensor (a bias's zeros) moves by about a tenth of the parameters' rms; the rest
   * stays.
   */
  @Test
  void theSecondPointMovesConstantTensorsOffTheInitsExactValues() {
    Model model = model("SmoothConv", SMOOTH_CONV);
    NetworkSpec spec = CompiledModel.of(model).newNetwork(1).spec();
    double[] p = new double[spec.parameterCount()];
    for (int i = 0; i < p.length; i++) {
      p[i] = i % 2 == 0 ? 1.0 : -1.0;
    }
    TensorSpec bias = spec.tensors().get(1);
    assertThat(bias.name()).isEqualTo("c.b");
    java.util.Arrays.fill(p, bias.offset(), bias.offset() + bias.size(), 0.0);
    double[] moved = p.clone();

    GradientChecking.jitter(spec, moved, 1);

    double squares = 0;
    for (int i = 0; i < p.length; i++) {
      if (i >= bias.offset() && i < bias.offset() + bias.size()) {
        assertThat(moved[i]).isNotEqualTo(0.0);
        squares += moved[i] * moved[i];
      } else {
        assertThat(moved[i]).isEqualTo(p[i]);
      }
    }
    assertThat(Math.sqrt(squares / bias.size()))
        .isIn(com.google.common.collect.Range.open(0.01, 0.5));
  }
}
