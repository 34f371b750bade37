package dev.nnc.emit;

import static com.google.common.truth.Truth.assertThat;

import com.palantir.javapoet.JavaFile;
import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.ir.Model;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.check.GradientCheck;
import dev.nnc.runtime.check.GradientReport;
import dev.nnc.runtime.check.TensorCheck;
import dev.nnc.testing.Batches;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The runtime's gradient check catches a wrong backward pass in generated code and names the tensor
 * and its {@code .nn} line: the generated source is altered by one line (a flipped sign, a dropped
 * factor), compiled, and checked.
 */
class WrongBackwardTest {
  private static final String SOURCE =
      """
      network Probe {
          input   x[3]
          dense   hidden[5]  tanh
          dense   out[4]     sigmoid
          target  t[4]
          loss    squared_error(out, t) reduce half_sum
      }
      """;

  private static Model model() {
    CompileResult result = NnCompiler.compile("probe.nn", SOURCE);
    assertThat(result.formatDiagnostics()).isEmpty();
    return result.model().orElseThrow();
  }

  @Test
  void theUnalteredNetworkPasses() {
    GradientReport report = check(generatedSource(), "", "");
    assertThat(report.passed()).isTrue();
  }

  @Test
  void aBatchRowMissingFromTheWeightGradientIsCaughtAndNamed() {
    // out is 5×4 = 20 weights: looped; its dW kernel call leaves out the last of the batch rows
    // (the one-thread step's call, which adds each block's rows to dW)
    GradientReport report =
        check(
            generatedSource(),
            "private void outGradients(",
            "matmulColumnsAdd(dOutW, hiddenA, dOutZ, iFrom, iTo, from, to, OUT_OUT)");
    assertThat(report.passed()).isFalse();
    assertThat(report.failures().stream().map(f -> f.tensor().name())).containsExactly("out.W");
    assertThat(report.format()).contains("out.W (layer 'out', probe.nn:4)");
    assertThat(report.format()).contains("FAIL");
  }

  @Test
  void aDroppedActivationDerivativeIsCaughtInTheLayerBelow() {
    // hidden is 3×5 = 15 weights: unrolled; drop tanh′ from its δ
    String source = generatedSource();
    String line = "dzRow[2] = daRow[2] * (1.0 - aRow[2] * aRow[2]);";
    GradientReport report = check(source, "private void hiddenBackward(", line);
    assertThat(report.passed()).isFalse();
    assertThat(report.failures().stream().map(TensorCheck::tensor).map(t -> t.name()))
        .containsAtLeast("hidden.W", "hidden.b");
    assertThat(report.failures().stream().map(f -> f.tensor().name())).doesNotContain("out.W");
    assertThat(report.format()).contains("hidden.W (layer 'hidden', probe.nn:3)");
  }

  private static String generatedSource() {
    JavaFile file = new NetworkGenerator().generate(model(), "nnc.test.altered");
    return file.toString();
  }

  /**
   * Alters the first {@code line} after {@code method} (flips its {@code +=}, makes a kernel call
   * stop one batch row short, or drops the derivative factor of a δ line), compiles, and runs the
   * gradient check.
   */
  private static GradientReport check(String source, String method, String line) {
    String altered = source;
    if (!method.isEmpty()) {
      int start = source.indexOf(method);
      assertThat(start).isAtLeast(0);
      int at = source.indexOf(line, start);
      assertThat(at).isGreaterThan(start);
      String replacement =
          line.startsWith("matmulColumns")
              ? line.replace("from, to,", "from, to - 1,")
              : line.contains("+=")
                  ? line.replace("+=", "-=")
                  : line.substring(0, line.indexOf(" *")) + ";";
      altered = source.substring(0, at) + replacement + source.substring(at + line.length());
      assertThat(altered).isNotEqualTo(source);
    }
    CompiledClasses classes =
        InMemoryCompiler.compileSources(Map.of("nnc.test.altered.Probe", altered));
    try {
      Network network =
          (Network)
              classes.loadClass("nnc.test.altered.Probe").getConstructor(int.class).newInstance(4);
      network.initialize(2);
      Batch batch = Batches.random(network.spec(), 4, 9);
      return GradientCheck.check(network, batch);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
