package dev.nnc.onnx;

import dev.nnc.runtime.data.NpyArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link OnnxImporter} found in a graph: a chain of dense layers, written out as a {@code .nn}
 * file and an {@code .npz} of weights in nnc's layout ({@code layer.W} (in, out), {@code layer.b}).
 *
 * @param name the network's name (a Java class name)
 * @param sourceFile the ONNX file's name, for the header comment
 * @param opset the model's default-domain opset
 * @param doublePrecision float64 weights (else float32)
 * @param inputName the {@code .nn} input's name
 * @param inputDims the ONNX input's dimensions after the batch axis ({@code [1, 28, 28]})
 * @param layers the dense layers, first to last
 * @param softmaxOutput the graph ends in a Softmax over the last layer's outputs
 */
public record ImportedNetwork(
    String name,
    String sourceFile,
    long opset,
    boolean doublePrecision,
    String inputName,
    List<Long> inputDims,
    List<Layer> layers,
    boolean softmaxOutput,
    List<Spatial> spatial) {

  public ImportedNetwork {
    inputDims = List.copyOf(inputDims);
    layers = List.copyOf(layers);
    spatial = List.copyOf(spatial);
  }

  /** A network of dense layers only. */
  public ImportedNetwork(
      String name,
      String sourceFile,
      long opset,
      boolean doublePrecision,
      String inputName,
      List<Long> inputDims,
      List<Layer> layers,
      boolean softmaxOutput) {
    this(
        name,
        sourceFile,
        opset,
        doublePrecision,
        inputName,
        inputDims,
        layers,
        softmaxOutput,
        List.of());
  }

  /**
   * One convolution or pooling layer before the dense layers, on an image input (C, H, W).
   *
   * @param kind {@code conv}, {@code maxpool} or {@code avgpool}
   * @param filters a conv's output channels (0 for a pool)
   * @param inChannels a conv's input channels
   * @param kernel (kh, kw)
   * @param stride (sh, sw)
   * @param pad (ph, pw), symmetric; 0 for a pool
   * @param weights a conv's kernel (out_ch, in_ch, kh, kw), row-major, as PyTorch's; null for a
   *     pool
   * @param bias a conv's bias (filters,), or null
   * @param activation a conv's {@code identity}, {@code relu}, {@code sigmoid} or {@code tanh}
   * @param origin the ONNX nodes it came from, for a comment
   */
  public record Spatial(
      String kind,
      String name,
      int filters,
      int inChannels,
      int[] kernel,
      int[] stride,
      int[] pad,
      double[] weights,
      double[] bias,
      String activation,
      String origin) {

    String statement() {
      StringBuilder text = new StringBuilder(ImportedNetwork.pad(kind, 8)).append(' ');
      text.append(kind.equals("conv") ? name + "[" + filters + "]" : name);
      text.append(" kernel ").append(pair(kernel));
      if (kind.equals("conv")) {
        text.append(" stride ").append(pair(stride));
        if (pad[0] != 0 || pad[1] != 0) {
          text.append(" pad ").append(pair(pad));
        }
        if (!activation.equals("identity")) {
          text.append(' ').append(activation);
        }
        if (bias == null) {
          text.append(" nobias");
        }
      } else {
        text.append(" stride ").append(pair(stride));
      }
      return text.toString();
    }

    private static String pair(int[] values) {
      return values[0] == values[1] ? "" + values[0] : "(" + values[0] + ", " + values[1] + ")";
    }
  }

  /**
   * One dense layer: out = act(in · W + b).
   *
   * @param weights (in, out), row-major
   * @param bias (out,), or null for {@code nobias}
   * @param activation {@code identity}, {@code relu}, {@code sigmoid} or {@code tanh}
   * @param origin the ONNX nodes it came from, for a comment
   */
  public record Layer(
      String name,
      int in,
      int out,
      double[] weights,
      double[] bias,
      String activation,
      String origin) {}

  public int inputWidth() {
    long width = 1;
    for (long dim : inputDims) {
      width *= dim;
    }
    return (int) width;
  }

  public Layer outputLayer() {
    return layers.get(layers.size() - 1);
  }

  /** The target's (or label's) name: {@code y} unless a layer or the input took it. */
  String targetName() {
    for (String candidate : List.of("y", "target", "t")) {
      if (!candidate.equals(inputName)
          && layers.stream().noneMatch(layer -> layer.name().equals(candidate))
          && spatial.stream().noneMatch(layer -> layer.name().equals(candidate))) {
        return candidate;
      }
    }
    return "target_";
  }

  /** The weights as nnc train writes them: {@code layer.W} (in, out), {@code layer.b} (out,). */
  public Map<String, NpyArray> weights() {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    for (Spatial layer : spatial) {
      if (layer.kind().equals("conv")) {
        arrays.put(
            layer.name() + ".W",
            NpyArray.ofDoubles(
                layer.weights(),
                layer.filters(),
                layer.inChannels(),
                layer.kernel()[0],
                layer.kernel()[1]));
        if (layer.bias() != null) {
          arrays.put(layer.name() + ".b", NpyArray.ofDoubles(layer.bias(), layer.filters()));
        }
      }
    }
    for (Layer layer : layers) {
      arrays.put(layer.name() + ".W", NpyArray.ofDoubles(layer.weights(), layer.in(), layer.out()));
      if (layer.bias() != null) {
        arrays.put(layer.name() + ".b", NpyArray.ofDoubles(layer.bias(), layer.out()));
      }
    }
    return arrays;
  }

  /**
   * The {@code .nn} file: the network block, and a train block the user completes with data.
   *
   * @param weightsFile the name of the weights file written beside it
   */
  public String toNn(String nnFileName, String weightsFileName, String version) {
    String nnFile = Printable.of(nnFileName);
    String weightsFile = Printable.of(weightsFileName);
    StringBuilder nn = new StringBuilder();
    String target = targetName();
    Layer out = outputLayer();
    nn.append(
        String.format(
            Locale.ROOT,
            "// Imported by nnc %s from %s (ONNX opset %d, %s).%n",
            version,
            Printable.of(sourceFile),
            opset,
            doublePrecision ? "float64" : "float32"));
    nn.append("// The weights are in ").append(weightsFile).append(":\n");
    nn.append("//   nnc generate ")
        .append(nnFile)
        .append(" --inference --weights ")
        .append(weightsFile)
        .append(" -d src/main/java\n");
    nn.append("// Fine-tune: give the train block below its data, then\n");
    nn.append("//   nnc train ").append(nnFile).append(" --init ").append(weightsFile).append('\n');
    nn.append("network ").append(name).append(" {\n");
    nn.append("    precision ").append(doublePrecision ? "double" : "float").append('\n');
    String inputComment =
        inputDims.size() == 1
            ? "ONNX input (N, " + inputWidth() + ")"
            : "ONNX input (N, "
                + String.join(", ", inputDims.stream().map(String::valueOf).toList())
                + "), flattened row by row (C order, as torch.flatten)";
    int nameWidth = 8;
    for (Layer layer : layers) {
      nameWidth =
          Math.max(nameWidth, layer.name().length() + 2 + String.valueOf(layer.out()).length());
    }
    if (spatial.isEmpty()) {
      nn.append(
          line("input   " + pad(inputName + "[" + inputWidth() + "]", nameWidth), inputComment));
    } else {
      nn.append(
          line(
              "input   "
                  + inputName
                  + "["
                  + String.join(", ", inputDims.stream().map(String::valueOf).toList())
                  + "]",
              "ONNX input (N, "
                  + String.join(", ", inputDims.stream().map(String::valueOf).toList())
                  + ")"));
      for (Spatial layer : spatial) {
        nn.append(line(layer.statement(), layer.origin()));
      }
    }
    for (Layer layer : layers) {
      String statement =
          "dense   "
              + pad(layer.name() + "[" + layer.out() + "]", nameWidth)
              + " "
              + pad(layer.activation(), 8)
              + (layer.bias() == null ? " nobias" : "");
      nn.append(line(statement, layer.origin()));
    }
    if (softmaxOutput) {
      nn.append(line("label   " + target, "one class per row, 0 ≤ " + target + " < " + out.out()));
      nn.append(
          line(
              "loss    softmax_cross_entropy(" + out.name() + ", " + target + ")",
              "the graph's Softmax: " + out.name() + " gives the scores it normalises"));
    } else if (out.activation().equals("sigmoid")) {
      nn.append(line("target  " + target + "[" + out.out() + "]", "0/1 targets"));
      nn.append(
          line(
              "loss    binary_cross_entropy(" + out.name() + ", " + target + ")",
              "ONNX has no loss: choose the one to fine-tune with"));
    } else {
      nn.append(line("target  " + target + "[" + out.out() + "]", null));
      nn.append(
          line(
              "loss    squared_error(" + out.name() + ", " + target + ")",
              "ONNX has no loss: choose the one to fine-tune with"));
    }
    nn.append("}\n");
    nn.append("train {\n");
    nn.append("    optimizer adam(lr = 0.001)\n");
    nn.append("    batch     32 shuffle\n");
    nn.append("    epochs    10\n");
    nn.append("    seed      1\n");
    nn.append(
        "    // The rows to fine-tune on (npz, csv or idx; docs/language.md), for example:\n");
    nn.append("    // data npz(\"train.npz\", ")
        .append(inputName)
        .append(" = \"X\", ")
        .append(target)
        .append(" = \"Y\")\n");
    nn.append("}\n");
    return nn.toString();
  }

  private static String line(String statement, String comment) {
    if (comment == null || comment.isEmpty()) {
      return "    " + statement.stripTrailing() + "\n";
    }
    return "    " + pad(statement, 44) + "  // " + Printable.of(comment) + "\n";
  }

  private static String pad(String text, int width) {
    return text.length() >= width ? text : text + " ".repeat(width - text.length());
  }
}
