package dev.nnc.check;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.ir.Activation;
import dev.nnc.ir.Conv;
import dev.nnc.ir.Init;
import dev.nnc.ir.Model;
import dev.nnc.ir.Pool;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every shape the checker computes for convolution and pooling, against the formulas by hand. */
class ConvShapesTest {
  private static Model compile(String text) {
    CompileResult result = NnCompiler.compile("model.nn", text);
    assertThat(result.formatDiagnostics()).isEmpty();
    return result.model().orElseThrow();
  }

  @Test
  void leNet5() {
    Model model =
        compile(
            """
            network LeNet5 {
              input   x[1, 28, 28]
              conv    c1[6]  kernel 5 pad 2 relu
              maxpool s2     kernel 2
              conv    c3[16] kernel 5 relu
              maxpool s4     kernel 2
              flatten f
              dense   f5[120] relu
              dense   f6[84] relu
              dense   out[10]
              label   y
              loss    softmax_cross_entropy(out, y)
            }
            """);
    assertThat(model.input().imageShape()).containsExactly(1, 28, 28).inOrder();
    assertThat(model.input().width()).isEqualTo(784);
    Conv c1 = (Conv) model.spatial().get(0);
    // (28 + 2·2 − 5) / 1 + 1 = 28
    assertThat(List.of(c1.outChannels(), c1.outHeight(), c1.outWidth())).containsExactly(6, 28, 28);
    assertThat(c1.activation()).isEqualTo(Activation.RELU);
    assertThat(c1.weightInit()).isEqualTo(new Init.Xavier());
    Pool s2 = (Pool) model.spatial().get(1);
    assertThat(List.of(s2.outChannels(), s2.outHeight(), s2.outWidth())).containsExactly(6, 14, 14);
    assertThat(List.of(s2.strideHeight(), s2.strideWidth())).containsExactly(2, 2); // = kernel
    Conv c3 = (Conv) model.spatial().get(2);
    assertThat(List.of(c3.inChannels(), c3.outHeight(), c3.outWidth())).containsExactly(6, 10, 10);
    assertThat(c3.kernelSize()).isEqualTo(16 * 6 * 5 * 5);
    assertThat(model.spatial().get(3).outSize()).isEqualTo(16 * 5 * 5);
    assertThat(model.layers().get(0).in()).isEqualTo(400);
    assertThat(model.layers().get(0).inputName()).isEqualTo("s4");
  }

  @Test
  void rectangularStridedPaddedAndOverlapping() {
    Model model =
        compile(
            """
            network N {
              input x[3, 7, 6]
              conv c[2] kernel (3, 2) stride (2, 1) pad (1, 0) tanh nobias init he()
              avgpool p kernel 2 stride 1
              maxpool q kernel (1, 2)
              dense out[1]
              target t[1]
              loss squared_error(out, t)
            }
            """);
    Conv c = (Conv) model.spatial().get(0);
    // H: (7 + 2 − 3) / 2 + 1 = 4; W: (6 + 0 − 2) / 1 + 1 = 5
    assertThat(List.of(c.outHeight(), c.outWidth())).containsExactly(4, 5).inOrder();
    assertThat(c.bias()).isFalse();
    assertThat(c.weightInit()).isEqualTo(new Init.He());
    Pool p = (Pool) model.spatial().get(1);
    // overlapping 2×2 windows one apart: 3×4
    assertThat(List.of(p.outHeight(), p.outWidth())).containsExactly(3, 4).inOrder();
    Pool q = (Pool) model.spatial().get(2);
    // 1×2 windows, stride = kernel: 3×2
    assertThat(List.of(q.outHeight(), q.outWidth())).containsExactly(3, 2).inOrder();
    assertThat(model.layers().get(0).in()).isEqualTo(2 * 3 * 2);
  }

  @Test
  void stridesThatDoNotDivideDropTheLastPixels() {
    Model model =
        compile(
            """
            network N {
              input x[1, 9, 9]
              conv c[3] kernel 3 stride 2 sigmoid
              avgpool p kernel 2
              dense out[2] sigmoid
              target t[2]
              loss binary_cross_entropy(out, t)
            }
            """);
    // (9 − 3) / 2 + 1 = 4, then ⌊(4 − 2) / 2⌋ + 1 = 2: the oracle's C2
    assertThat(model.spatial().get(0).outHeight()).isEqualTo(4);
    assertThat(model.spatial().get(1).outSize()).isEqualTo(12);
  }
}
