package dev.nnc.check;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.diag.Diagnostic;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The diagnostics of convolution, pooling and image inputs (NN501-NN510) as the exact text a user
 * reads; {@link DiagnosticTableTest#everyCodeHasARow} counts these rows too.
 */
class ConvDiagnosticTableTest {

  static Stream<Arguments> rows() {
    return Stream.of(
        row(
            "NN501",
            "image input with two dimensions",
            """
            network N {
              input x[28, 28]
              dense out[10]
              label y
              loss softmax_cross_entropy(out, y)
            }
            """,
            """
            model.nn:2:15: error: input 'x' has 2 dimensions; give one (a width) or three (channels, height, width) [NN501]
              input x[28, 28]
                          ^~\
            """),
        row(
            "NN502",
            "conv on a flat input",
            """
            network N {
              input x[784]
              conv c[6] kernel 5 relu
              dense out[10]
              label y
              loss softmax_cross_entropy(out, y)
            }
            """,
            """
            model.nn:3:8: error: conv 'c' reads images, but input 'x' is flat; declare it as x[channels, height, width] [NN502]
              conv c[6] kernel 5 relu
                   ^\
            """),
        row(
            "NN503",
            "pooling after a dense layer",
            """
            network N {
              input x[1, 28, 28]
              dense h[100] relu
              maxpool p kernel 2
              dense out[10]
              label y
              loss softmax_cross_entropy(out, y)
            }
            """,
            """
            model.nn:4:11: error: maxpool 'p' comes after dense 'h'; convolution and pooling come before the dense layers [NN503]
              maxpool p kernel 2
                      ^\
            """),
        row(
            "NN504",
            "conv without a kernel",
            """
            network N {
              input x[1, 28, 28]
              conv c[6] stride 2 relu
              dense out[10]
              label y
              loss softmax_cross_entropy(out, y)
            }
            """,
            """
            model.nn:3:8: error: conv 'c' needs a kernel: kernel 3 or kernel (3, 5) [NN504]
              conv c[6] stride 2 relu
                   ^\
            """),
        row(
            "NN505",
            "stride zero",
            """
            network N {
              input x[1, 28, 28]
              conv c[6] kernel 5 stride 0 relu
              dense out[10]
              label y
              loss softmax_cross_entropy(out, y)
            }
            """,
            """
            model.nn:3:29: error: the stride of conv 'c' must be an integer from 1 to 1000000, got 0 [NN505]
              conv c[6] kernel 5 stride 0 relu
                                        ^\
            """),
        row(
            "NN506",
            "conv kernel larger than its input",
            """
            network N {
              input x[1, 8, 8]
              conv c[6] kernel 3 relu
              maxpool p kernel 2
              conv c2[8] kernel (5, 3)
              dense out[10]
              label y
              loss softmax_cross_entropy(out, y)
            }
            """,
            """
            model.nn:5:14: error: the 5×3 kernel of conv 'c2' does not fit its input, 6×3×3 [NN506]
              conv c2[8] kernel (5, 3)
                         ^~~~~~~~~~~~~\
            """),
        row(
            "NN506",
            "pool kernel larger than its input",
            """
            network N {
              input x[1, 28, 28]
              conv c[6] kernel 5 stride 3
              avgpool p kernel 9 stride 1
              dense out[10]
              label y
              loss softmax_cross_entropy(out, y)
            }
            """,
            """
            model.nn:4:13: error: the 9×9 kernel of avgpool 'p' does not fit its input, 6×8×8 [NN506]
              avgpool p kernel 9 stride 1
                        ^~~~~~~~\
            """),
        row(
            "NN507",
            "activation on a pool",
            """
            network N {
              input x[1, 28, 28]
              maxpool p kernel 2 relu
              dense out[10]
              label y
              loss softmax_cross_entropy(out, y)
            }
            """,
            """
            model.nn:3:22: error: maxpool 'p' does not take an activation ('relu') [NN507]
              maxpool p kernel 2 relu
                                 ^~~~\
            """),
        row(
            "NN507",
            "dropout on a conv",
            """
            network N {
              input x[1, 28, 28]
              conv c[6] kernel 5 relu dropout(0.5)
              dense out[10]
              label y
              loss softmax_cross_entropy(out, y)
            }
            """,
            """
            model.nn:3:27: error: conv 'c' does not take dropout (it applies to dense layers: put it on the first dense layer after) [NN507]
              conv c[6] kernel 5 relu dropout(0.5)
                                      ^~~~~~~~~~~~\
            """),
        row(
            "NN508",
            "kernel given twice",
            """
            network N {
              input x[1, 28, 28]
              conv c[6] kernel 5 stride 2 kernel 3
              dense out[10]
              label y
              loss softmax_cross_entropy(out, y)
            }
            """,
            """
            model.nn:3:31: error: 'kernel' is given twice for conv 'c' [NN508]
              conv c[6] kernel 5 stride 2 kernel 3
                                          ^~~~~~\
            """),
        row(
            "NN509",
            "flatten before a conv",
            """
            network N {
              input x[1, 28, 28]
              flatten f
              conv c[6] kernel 5
              dense out[10]
              label y
              loss softmax_cross_entropy(out, y)
            }
            """,
            """
            model.nn:3:11: error: flatten 'f' must come after the last convolution or pooling and before the first dense layer [NN509]
              flatten f
                      ^\
            """),
        row(
            "NN510",
            "powers on an image",
            """
            network N {
              input x[1, 4, 4] powers(1, 2)
              conv c[2] kernel 3
              dense out[1]
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:2:20: error: powers applies to flat inputs; input 'x' is an image (1×4×4) [NN510]
              input x[1, 4, 4] powers(1, 2)
                               ^~~~~~\
            """),
        row(
            "NN208",
            "a pool named like a conv",
            """
            network N {
              input x[1, 28, 28]
              conv c[6] kernel 5 relu
              maxpool c kernel 2
              dense out[10]
              label y
              loss softmax_cross_entropy(out, y)
            }
            """,
            """
            model.nn:4:11: error: name 'c' is already used by the conv layer on line 3 [NN208]
              maxpool c kernel 2
                      ^\
            """));
  }

  private static Arguments row(String code, String name, String input, String expected) {
    return Arguments.of(code, name, input, expected);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("rows")
  void reportsExactly(String code, String name, String input, String expected) {
    CompileResult result = NnCompiler.compile("model.nn", input);

    assertThat(result.formatDiagnostics()).isEqualTo(expected);
    assertThat(result.diagnostics().get(0).code().code()).isEqualTo(code);
    assertThat(result.ok()).isFalse();
    assertThat(result.diagnostics().stream().filter(Diagnostic::isError).count()).isEqualTo(1);
  }
}
