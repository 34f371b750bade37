package dev.nnc.oracle;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.ir.Model;
import dev.nnc.reference.ReferenceNetwork;
import dev.nnc.runtime.Network;
import dev.nnc.testing.NetworkFactory;
import dev.nnc.testing.OracleFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reference interpreter on the two convolutional networks of {@code testdata/oracle-conv} (C1:
 * conv, relu, max pooling, conv, tanh, dense, softmax cross-entropy, L2 on kernels and W; C2:
 * strided conv, sigmoid, average pooling, dense sigmoid, binary cross-entropy), as the compiler
 * reads {@code C1.nn} and {@code C2.nn}: loss and gradients to 1e-10 relative, three gradient steps
 * to 1e-9 (PyTorch float64 autograd).
 */
class ConvReferenceOracleTest {
  static final NetworkFactory REFERENCE = ReferenceNetwork::new;

  /** {@code testdata/oracle-conv/<net>.nn}, compiled. */
  static Model model(String net) {
    Path file = OracleFiles.directory().resolveSibling("oracle-conv").resolve(net + ".nn");
    try {
      CompileResult result = NnCompiler.compile(file.toString(), Files.readString(file));
      assertThat(result.formatDiagnostics()).isEmpty();
      return result.model().orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"C1", "C2"})
  void lossAndGradientMatchTheOracle(String net) {
    OracleChecks.checkLossAndGradient(net, model(net), REFERENCE, 1e-10);
  }

  @ParameterizedTest
  @ValueSource(strings = {"C1", "C2"})
  void threeGradientStepsMatchTheOracle(String net) {
    OracleChecks.checkThreeSteps(net, model(net), REFERENCE, 1e-9);
  }

  /** The README's loss at the initial parameters, to the digits it prints. */
  @Test
  void lossesAtTheStartAreTheReadmesFigures() {
    Network c1 = OracleChecks.atInitialParameters("C1", model("C1"), REFERENCE);
    assertThat(c1.loss(OracleChecks.batch("C1", c1.spec()))).isWithin(1e-13).of(1.2985417189846664);
    Network c2 = OracleChecks.atInitialParameters("C2", model("C2"), REFERENCE);
    assertThat(c2.loss(OracleChecks.batch("C2", c2.spec()))).isWithin(1e-13).of(1.3762417323879903);
  }

  /** PyTorch's kernel layout (out_ch, in_ch, kh, kw) is the shape the oracle's K arrays have. */
  @Test
  void kernelsAreInPyTorchsLayout() {
    Network c1 = REFERENCE.create(model("C1"), 5);
    assertThat(c1.spec().tensor("c2.W").kernel()).containsExactly(6, 4, 3, 3).inOrder();
    assertThat(OracleFiles.array("C1_init", "K2").shape()).asList().containsExactly(6, 4, 3, 3);
  }
}
