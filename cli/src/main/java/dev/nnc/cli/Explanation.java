package dev.nnc.cli;

import dev.nnc.ir.Activation;
import dev.nnc.ir.Conv;
import dev.nnc.ir.Dense;
import dev.nnc.ir.Loss;
import dev.nnc.ir.Model;
import dev.nnc.ir.Penalty;
import dev.nnc.ir.Pool;
import dev.nnc.ir.Reduction;
import dev.nnc.ir.Spatial;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The forward and backward equations of a checked model, with the shape of every factor: what
 * {@code nnc explain} prints. The same equations, in the same order and with the same shapes, as
 * the comments of the generated class (its layers' backward javadoc), with the names of this
 * network put in: the generated class says {@code dW (30×10) += xᵀ (30×N) · δ (N×10)} inside the
 * method of layer {@code out}; here that line reads {@code dW_out (30×10) += hiddenᵀ (30×N) · δ_out
 * (N×10)}.
 *
 * <p>Order: the forward pass layer by layer, the loss and the penalty; then the backward pass: the
 * loss's δ first, each layer from the last to the first, the penalty's terms, and why the
 * transposes appear.
 */
final class Explanation {
  private Explanation() {}

  /** The whole explanation, lines ending in {@code \n}. */
  static String of(Model model) {
    StringBuilder text = new StringBuilder();
    String file = model.sourceFile();
    text.append("network ")
        .append(model.name())
        .append(" (")
        .append(file)
        .append("): ")
        .append(chain(model))
        .append('\n');
    text.append(
        "N = rows in a batch. Shapes are (rows×columns); W is stored (in×out), so a layer"
            + " computes z = x · W + b\n");
    text.append(
        "on whole batches. A layer's name stands for its output a (after the activation).\n");

    if (model.convolutional()) {
      text.append(
          "Images are (N×C×H×W), each row (C, H, W) flattened row-major; a kernel K is (out_ch×in_ch×kh×kw),\n"
              + "PyTorch's layout, and conv(x, K)[o][y][x] = Σ_c Σ_i Σ_j K[o][c][i][j] · x[c][y·s + i −"
              + " p][x·s + j − p]\n(zero outside the image).\n");
    }
    text.append("\nforward\n");
    List<String[]> rows = new ArrayList<>();
    for (Spatial layer : model.spatial()) {
      rows.addAll(spatialForward(layer));
    }
    if (model.convolutional()) {
      Dense first = model.layers().get(0);
      rows.add(
          new String[] {
            "",
            "("
                + first.name()
                + " reads "
                + first.inputName()
                + " flattened: "
                + first.in()
                + " columns)"
          });
    }
    for (Dense layer : model.layers()) {
      String z = "z_" + layer.name();
      String product =
          z
              + " (N×"
              + layer.out()
              + ") = "
              + layer.inputName()
              + " (N×"
              + layer.in()
              + ") · W_"
              + layer.name()
              + " ("
              + layer.in()
              + "×"
              + layer.out()
              + ")"
              + (layer.bias() ? " + b_" + layer.name() + " (" + layer.out() + ")" : "");
      rows.add(new String[] {layerLabel(layer.name(), layer.span().line()), product});
      rows.add(
          new String[] {
            "", layer.name() + " (N×" + layer.out() + ") = " + activationText(layer.activation(), z)
          });
      if (layer.dropsOut()) {
        rows.add(
            new String[] {
              "",
              "in training the next layer reads "
                  + layer.name()
                  + " ⊙ m_"
                  + layer.name()
                  + ": each m 0 (probability "
                  + layer.dropout()
                  + ") or 1/(1 − "
                  + layer.dropout()
                  + "), drawn per step (dropout; nothing at inference)"
            });
      }
    }
    Loss loss = model.loss();
    rows.add(
        new String[] {
          layerLabel("loss", loss.span().line()),
          lossDescription(model)
              + " = "
              + scaleText(loss.reduction())
              + " "
              + (loss.weighted() ? "w[" + model.target().name() + "] · " : "")
              + perElement(model)
        });
    model
        .penalty()
        .ifPresent(
            penalty ->
                rows.add(
                    new String[] {
                      layerLabel("penalty", penalty.span().line()),
                      "+ "
                          + penaltyFactor(penalty)
                          + " · ("
                          + sumOfSquares(model, penalty.l1())
                          + ")   ("
                          + (penalty.overTwoM() ? "m = the training-set size; " : "")
                          + "biases are never penalised)"
                    }));
    appendAligned(text, rows);

    text.append(
        "\nbackward: the forward pass read upside down. δ_L = ∂loss/∂z_L; dW_L, db_L and dL are"
            + " ∂loss/∂W_L, ∂loss/∂b_L, ∂loss/∂L.\n");
    text.append("The gradients are zeroed once per batch, then every term adds (+=).\n");
    rows.clear();
    Dense output = model.outputLayer();
    rows.add(new String[] {layerLabel("loss", loss.span().line()), lossDelta(model)});
    rows.add(
        new String[] {
          "",
          "scale = "
              + scaleValue(loss.reduction(), output.out())
              + (loss.weighted()
                  ? "; each row's scale times w[" + model.target().name() + "], its class weight"
                  : "")
        });
    int last = model.layers().size() - 1;
    for (int l = last; l >= 0; l--) {
      Dense layer = model.layers().get(l);
      String n = layer.name();
      String x = layer.inputName();
      String in = Integer.toString(layer.in());
      String out = Integer.toString(layer.out());
      String label = layerLabel(n, layer.span().line());
      boolean fused = l == last && fusedSigmoid(model);
      String delta;
      if (fused) {
        delta = "δ_" + n + " (N×" + out + ") written by the loss";
      } else if (layer.activation() == Activation.IDENTITY) {
        delta = "δ_" + n + " (N×" + out + ") = d" + n + " (identity)";
      } else {
        delta = "δ_" + n + " (N×" + out + ") = " + derivativeText(layer.activation(), n);
      }
      if (layer.dropsOut()) {
        rows.add(
            new String[] {
              label, "d" + n + " (N×" + out + ") ⊙= m_" + n + "   (dropout: the step's mask)"
            });
        label = "";
      }
      rows.add(new String[] {label, delta});
      rows.add(
          new String[] {
            "",
            "dW_"
                + n
                + " ("
                + in
                + "×"
                + out
                + ") += "
                + x
                + "ᵀ ("
                + in
                + "×N) · δ_"
                + n
                + " (N×"
                + out
                + ")"
          });
      if (layer.bias()) {
        rows.add(new String[] {"", "db_" + n + " (" + out + ") += Σ_r δ_" + n + "[r]"});
      }
      if (l > 0) {
        rows.add(
            new String[] {
              "",
              "d" + x + " (N×" + in + ") = δ_" + n + " (N×" + out + ") · W_" + n + "ᵀ (" + out + "×"
                  + in + ")"
            });
      } else if (model.convolutional()) {
        rows.add(
            new String[] {
              "",
              "d"
                  + x
                  + " (N×"
                  + in
                  + ") = δ_"
                  + n
                  + " (N×"
                  + out
                  + ") · W_"
                  + n
                  + "ᵀ ("
                  + out
                  + "×"
                  + in
                  + "), unflattened to "
                  + x
                  + "'s (C×H×W)"
            });
      } else {
        rows.add(
            new String[] {
              "", "(" + x + " is the input: it needs no gradient, so there is no d" + x + ")"
            });
      }
    }
    for (int s = model.spatial().size() - 1; s >= 0; s--) {
      rows.addAll(spatialBackward(model.spatial().get(s), s == 0));
    }
    model
        .penalty()
        .ifPresent(
            penalty -> {
              boolean first = true;
              for (Spatial layer : model.spatial()) {
                if (layer instanceof Conv conv) {
                  rows.add(
                      new String[] {
                        first ? layerLabel("penalty", penalty.span().line()) : "",
                        "dK_"
                            + conv.name()
                            + " ("
                            + kernelShape(conv)
                            + ") += "
                            + penaltyGradient(penalty, "K_" + conv.name())
                      });
                  first = false;
                }
              }
              for (Dense layer : model.layers()) {
                String n = layer.name();
                rows.add(
                    new String[] {
                      first ? layerLabel("penalty", penalty.span().line()) : "",
                      "dW_"
                          + n
                          + " ("
                          + layer.in()
                          + "×"
                          + layer.out()
                          + ") += "
                          + penaltyGradient(
                              penalty, "W_" + n + " (" + layer.in() + "×" + layer.out() + ")")
                    });
                first = false;
              }
            });
    appendAligned(text, rows);

    text.append(
        "\nwhy the transposes: z[r][j] = Σ_i x[r][i]·W[i][j] + b[j], so W[i][j] meets x[r][i]"
            + " and δ[r][j] in every row r,\n");
    text.append(
        "and ∂loss/∂W[i][j] = Σ_r x[r][i]·δ[r][j]: row i of xᵀ times column j of δ, summed"
            + " over the batch.\n");
    text.append(
        "Likewise x[r][i] reaches every z[r][j] through W[i][j], so ∂loss/∂x[r][i] ="
            + " Σ_j δ[r][j]·W[i][j]:\n");
    text.append("row r of δ times column i of Wᵀ. (Here x is a layer's input: ");
    List<String> pairs = new ArrayList<>();
    for (Dense layer : model.layers()) {
      pairs.add(layer.inputName() + " for " + layer.name());
    }
    text.append(String.join(", ", pairs)).append(".)\n");
    return text.toString();
  }

  private static String chw(int channels, int height, int width) {
    return channels + "×" + height + "×" + width;
  }

  private static String kernelShape(Conv conv) {
    return conv.outChannels()
        + "×"
        + conv.inChannels()
        + "×"
        + conv.kernelHeight()
        + "×"
        + conv.kernelWidth();
  }

  private static String outShape(Spatial layer) {
    return "N×" + chw(layer.outChannels(), layer.outHeight(), layer.outWidth());
  }

  private static String inShape(Spatial layer) {
    return "N×" + chw(layer.inChannels(), layer.inHeight(), layer.inWidth());
  }

  /** z = conv(x, K) + b and a = act(z); or a pool's window rule. */
  private static List<String[]> spatialForward(Spatial layer) {
    List<String[]> rows = new ArrayList<>();
    String label = layerLabel(layer.name(), layer.span().line());
    String window =
        layer.kernelHeight()
            + "×"
            + layer.kernelWidth()
            + ", stride "
            + layer.strideHeight()
            + "×"
            + layer.strideWidth();
    if (layer instanceof Conv conv) {
      String z = "z_" + conv.name();
      rows.add(
          new String[] {
            label,
            z
                + " ("
                + outShape(conv)
                + ") = conv("
                + conv.inputName()
                + " ("
                + inShape(conv)
                + "), K_"
                + conv.name()
                + " ("
                + kernelShape(conv)
                + "), stride "
                + conv.strideHeight()
                + "×"
                + conv.strideWidth()
                + ", pad "
                + conv.padHeight()
                + "×"
                + conv.padWidth()
                + ")"
                + (conv.bias() ? " + b_" + conv.name() + " (" + conv.outChannels() + ")" : "")
          });
      rows.add(
          new String[] {
            "", conv.name() + " (" + outShape(conv) + ") = " + activationText(conv.activation(), z)
          });
    } else {
      Pool pool = (Pool) layer;
      rows.add(
          new String[] {
            label,
            pool.name()
                + " ("
                + outShape(pool)
                + ") = "
                + (pool.max() ? "max" : "mean")
                + " of each "
                + window
                + " window of "
                + pool.inputName()
                + " ("
                + inShape(pool)
                + ")"
          });
    }
    return rows;
  }

  /** δ, dK (a correlation), db and dx (a convolution with the flipped kernel); or a pool's rule. */
  private static List<String[]> spatialBackward(Spatial layer, boolean first) {
    List<String[]> rows = new ArrayList<>();
    String n = layer.name();
    String x = layer.inputName();
    String label = layerLabel(n, layer.span().line());
    if (layer instanceof Conv conv) {
      String delta =
          conv.activation() == Activation.IDENTITY
              ? "δ_" + n + " (" + outShape(conv) + ") = d" + n + " (identity)"
              : "δ_" + n + " (" + outShape(conv) + ") = " + derivativeText(conv.activation(), n);
      rows.add(new String[] {label, delta});
      rows.add(
          new String[] {
            "",
            "dK_"
                + n
                + " ("
                + kernelShape(conv)
                + ") += correlation of "
                + x
                + " ("
                + inShape(conv)
                + ") with δ_"
                + n
                + ": Σ_r Σ_y Σ_x δ[r][o][y][x] · "
                + x
                + "[r][c][y·s + i − p][x·s + j − p]"
          });
      if (conv.bias()) {
        rows.add(
            new String[] {
              "", "db_" + n + " (" + conv.outChannels() + ") += Σ_r Σ_y Σ_x δ_" + n + "[r][o][y][x]"
            });
      }
      if (first) {
        rows.add(
            new String[] {
              "", "(" + x + " is the input: it needs no gradient, so there is no d" + x + ")"
            });
      } else {
        rows.add(
            new String[] {
              "",
              "d"
                  + x
                  + " ("
                  + inShape(conv)
                  + ") = δ_"
                  + n
                  + " ("
                  + outShape(conv)
                  + ") convolved with K_"
                  + n
                  + " flipped (kh and kw reversed, in and out channels"
                  + " swapped), stride and pad undone"
            });
      }
    } else if (!first) {
      Pool pool = (Pool) layer;
      rows.add(
          new String[] {
            label,
            "d"
                + x
                + " ("
                + inShape(pool)
                + ") = "
                + (pool.max()
                    ? "each window's d" + n + " to the window's first maximum (PyTorch's rule)"
                    : "each window's d"
                        + n
                        + " / "
                        + (pool.kernelHeight() * pool.kernelWidth())
                        + " to each of its values")
                + (pool.strideHeight() < pool.kernelHeight()
                        || pool.strideWidth() < pool.kernelWidth()
                    ? ", added where windows overlap"
                    : "")
          });
    }
    return rows;
  }

  /** {@code x (784) → hidden (30, sigmoid) → out (10, sigmoid)}, as the generated class header. */
  static String chain(Model model) {
    StringBuilder text =
        new StringBuilder(
            model.input().name()
                + " ("
                + (model.input().image()
                    ? chw(
                        model.input().imageShape().get(0),
                        model.input().imageShape().get(1),
                        model.input().imageShape().get(2))
                    : Integer.toString(model.input().width()))
                + ")");
    for (Spatial layer : model.spatial()) {
      text.append(" → ")
          .append(layer.name())
          .append(" (")
          .append(chw(layer.outChannels(), layer.outHeight(), layer.outWidth()));
      if (layer instanceof Conv conv && conv.activation() != Activation.IDENTITY) {
        text.append(", ").append(conv.activation().keyword());
      } else if (layer instanceof Pool pool) {
        text.append(", ").append(pool.keyword());
      }
      text.append(')');
    }
    for (Dense layer : model.layers()) {
      text.append(" → ").append(layer.name()).append(" (").append(layer.out());
      if (layer.activation() != Activation.IDENTITY) {
        text.append(", ").append(layer.activation().keyword());
      }
      text.append(')');
    }
    return text.toString();
  }

  private static String layerLabel(String name, int line) {
    return name + " (line " + line + ")";
  }

  private static void appendAligned(StringBuilder text, List<String[]> rows) {
    int width = 0;
    for (String[] row : rows) {
      width = Math.max(width, row[0].length());
    }
    for (String[] row : rows) {
      text.append("  ")
          .append(row[0])
          .append(" ".repeat(width - row[0].length()))
          .append("  ")
          .append(row[1])
          .append('\n');
    }
  }

  private static String activationText(Activation activation, String z) {
    return switch (activation) {
      case IDENTITY -> z + "   (identity)";
      case SIGMOID -> "sigmoid(" + z + ") = 1 / (1 + exp(−" + z + "))";
      case RELU -> "relu(" + z + ") = max(0, " + z + ")";
      case TANH -> "tanh(" + z + ")";
      case SOFTMAX -> "softmax(" + z + ") per row";
    };
  }

  /** The generated comment's δ text with the layer's names: da → d{name}, a → {name}. */
  private static String derivativeText(Activation activation, String a) {
    String da = "d" + a;
    return switch (activation) {
      case IDENTITY -> da;
      case SIGMOID ->
          da
              + " ⊙ "
              + a
              + " ⊙ (1 − "
              + a
              + ")   (σ′(z) = σ(z)(1 − σ(z)), written with"
              + " the output a)";
      case RELU -> da + " ⊙ [z_" + a + " > 0]   (relu′(z) = 0 for z ≤ 0)";
      case TANH -> da + " ⊙ (1 − " + a + "²)   (tanh′(z) = 1 − tanh²(z))";
      case SOFTMAX ->
          a
              + " ⊙ ("
              + da
              + " − ("
              + da
              + " · "
              + a
              + "))   (the row Jacobian diag(a) −"
              + " a aᵀ, applied to da, per row)";
    };
  }

  private static boolean fusedSigmoid(Model model) {
    return model.loss().kind() == Loss.Kind.BINARY_CROSS_ENTROPY
        && model.outputLayer().activation() == Activation.SIGMOID;
  }

  private static String target(Model model) {
    String name = model.target().name();
    return model.loss().onehot() ? "onehot(" + name + ")" : name;
  }

  /** {@code softmax_cross_entropy(scores, y) reduce batch_mean}, as in the generated comments. */
  private static String lossDescription(Model model) {
    Loss loss = model.loss();
    return loss.kind().name().toLowerCase(Locale.ROOT)
        + "("
        + model.outputLayer().name()
        + ", "
        + target(model)
        + ") reduce "
        + loss.reduction().keyword()
        + (loss.weighted() ? " class_weights" + weights(loss) : "");
  }

  private static String weights(Loss loss) {
    return loss.classWeights().stream()
        .map(String::valueOf)
        .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
  }

  private static String perElement(Model model) {
    String a = model.outputLayer().name();
    String t = target(model);
    return switch (model.loss().kind()) {
      case SQUARED_ERROR -> "(" + a + " − " + t + ")²";
      case SOFTMAX_CROSS_ENTROPY ->
          "−log softmax(" + a + ")[" + model.target().name() + "]   (one" + " term per row)";
      case BINARY_CROSS_ENTROPY -> "−" + t + " log " + a + " − (1 − " + t + ") log(1 − " + a + ")";
    };
  }

  private static String scaleText(Reduction reduction) {
    return switch (reduction) {
      case SUM -> "Σ";
      case HALF_SUM -> "½ Σ";
      case MEAN -> "(1/(N·k)) Σ";
      case BATCH_MEAN -> "(1/N) Σ";
      case HALF_BATCH_MEAN -> "(1/2N) Σ";
    };
  }

  private static String scaleValue(Reduction reduction, int outputs) {
    return switch (reduction) {
      case SUM -> "1   (reduce sum)";
      case HALF_SUM -> "½   (reduce half_sum)";
      case MEAN -> "1/(N·" + outputs + ")   (reduce mean: over every element)";
      case BATCH_MEAN -> "1/N   (reduce batch_mean)";
      case HALF_BATCH_MEAN -> "1/(2N)   (reduce half_batch_mean)";
    };
  }

  /** The gradient the loss sends into the output layer, as the generated loss javadoc says it. */
  private static String lossDelta(Model model) {
    Dense output = model.outputLayer();
    String a = output.name();
    String t = target(model);
    String shape = " (N×" + output.out() + ")";
    if (fusedSigmoid(model)) {
      return "δ_"
          + a
          + shape
          + " = ("
          + a
          + " − "
          + t
          + ") · scale   (∂/∂z = σ(z) − t: the sigmoid's"
          + " derivative cancels, so this is δ itself)";
    }
    String da = "d" + a + shape + " = ";
    String text =
        switch (model.loss().kind()) {
          case SQUARED_ERROR -> da + "2(" + a + " − " + t + ") · scale";
          case SOFTMAX_CROSS_ENTROPY ->
              da + "(softmax(" + a + ") − onehot(" + model.target().name() + ")) · scale";
          case BINARY_CROSS_ENTROPY ->
              da + "(" + a + " − " + t + ") / (" + a + "(1 − " + a + ")) · scale";
        };
    if (output.activation() == Activation.IDENTITY) {
      text += "   (the layer is identity, so that is also δ_" + a + ")";
    }
    return text;
  }

  /** {@code 2 · reg · W} for L2, {@code λ · sign(W)} for L1. */
  private static String penaltyGradient(Penalty penalty, String weights) {
    return penalty.l1()
        ? penaltyFactor(penalty) + " · sign(" + weights + ")"
        : "2 · " + penaltyFactor(penalty) + " · " + weights;
  }

  private static String penaltyFactor(Penalty penalty) {
    String coefficient = number(penalty.coefficient());
    return penalty.overTwoM() ? coefficient + "/(2m)" : coefficient;
  }

  private static String sumOfSquares(Model model, boolean l1) {
    List<String> terms = new ArrayList<>();
    for (Spatial layer : model.spatial()) {
      if (layer instanceof Conv conv) {
        terms.add(l1 ? "Σ|K_" + conv.name() + "|" : "ΣK_" + conv.name() + "²");
      }
    }
    for (Dense layer : model.layers()) {
      terms.add(l1 ? "Σ|W_" + layer.name() + "|" : "ΣW_" + layer.name() + "²");
    }
    return String.join(" + ", terms);
  }

  private static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }
}
