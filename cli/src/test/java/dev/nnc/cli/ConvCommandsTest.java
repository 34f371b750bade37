package dev.nnc.cli;

import static com.google.common.truth.Truth.assertThat;
import static dev.nnc.cli.MainTest.nnc;

import dev.nnc.cli.MainTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nnc check} and {@code nnc explain} on LeNet-5 ({@code samples/lenet/lenet5.nn}). */
class ConvCommandsTest {
  @Test
  void checkPrintsEveryOutputAsChannelsHeightWidth() {
    Run run = nnc("check", "../samples/lenet/lenet5.nn");
    assertThat(run.code()).isEqualTo(0);
    assertThat(run.out())
        .contains(
            """
            x              input       (N, 1, 28, 28)                          0
            c1             conv 5×5    (N, 6, 28, 28)    relu                156
            s2             maxpool 2×2 (N, 6, 14, 14)                          0
            c3             conv 5×5    (N, 16, 10, 10)   relu              2,416
            s4             maxpool 2×2 (N, 16, 5, 5)                           0
            f5             dense       (N, 120)          relu             48,120
            """);
    // PyTorch's LeNet-5 has 61,706 parameters too; kernels in its (out, in, kh, kw) layout
    assertThat(run.out()).contains("total parameters: 61,706 in 10 tensors (c1.W 6×1×5×5, c1.b 6");
  }

  @Test
  void explainGivesTheConvolutionsForwardAndBackwardWithShapes() {
    Run run = nnc("explain", "../samples/lenet/lenet5.nn");
    assertThat(run.code()).isEqualTo(0);
    String out = run.out();
    assertThat(out)
        .contains(
            "z_c1 (N×6×28×28) = conv(x (N×1×28×28), K_c1 (6×1×5×5), stride 1×1, pad 2×2) + b_c1"
                + " (6)");
    assertThat(out)
        .contains("s2 (N×6×14×14) = max of each 2×2, stride 2×2 window of c1 (N×6×28×28)");
    assertThat(out)
        .contains("ds4 (N×400) = δ_f5 (N×120) · W_f5ᵀ (120×400), unflattened to s4's (C×H×W)");
    assertThat(out)
        .contains(
            "dc3 (N×16×10×10) = each window's ds4 to the window's first maximum (PyTorch's rule)");
    assertThat(out).contains("dK_c3 (16×6×5×5) += correlation of s2 (N×6×14×14) with δ_c3");
    assertThat(out).contains("ds2 (N×6×14×14) = δ_c3 (N×16×10×10) convolved with K_c3 flipped");
    assertThat(out).contains("(x is the input: it needs no gradient, so there is no dx)");
    String backward = out.substring(out.indexOf("backward:"));
    assertThat(backward.indexOf("c3 (line")).isLessThan(backward.indexOf("c1 (line"));
  }

  /**
   * {@code nnc train} then {@code nnc export} of a small float conv network: the ONNX file has its
   * conv and pool layers (before issue 16's export work, the exporter wrote the dense layers only,
   * so the graph could not run).
   */
  @Test
  void exportWritesTheConvAndPoolLayers(@TempDir Path temp) throws Exception {
    Path nn = temp.resolve("tiny.nn");
    Files.writeString(
        nn,
        """
        network Tiny {
            precision float
            input   x[1, 4, 4]
            conv    c[2]  kernel 3  pad 1  relu
            maxpool p     kernel 2
            dense   out[2]
            label   y
            loss    softmax_cross_entropy(out, y)
        }
        train {
            optimizer sgd(lr = 0.1)
            batch     full
            epochs    3
            seed      1
            data inline {
                x = [[1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1],
                     [0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0]]
                y = [0, 1]
            }
        }
        """);
    Path runs = temp.resolve("run");
    assertThat(nnc("train", nn.toString(), "--out", runs.toString()).code()).isEqualTo(0);
    Path onnx = temp.resolve("tiny.onnx");
    Run export =
        nnc(
            "export",
            nn.toString(),
            "--weights",
            runs.resolve("Tiny.npz").toString(),
            "-o",
            onnx.toString());
    assertThat(export.code()).isEqualTo(0);
    ai.onnx.proto.OnnxMl.ModelProto model =
        ai.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(onnx));
    assertThat(model.getGraph().getNodeList().stream().map(n -> n.getOpType()).toList())
        .containsAtLeast("Reshape", "Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Softmax")
        .inOrder();
  }
}
