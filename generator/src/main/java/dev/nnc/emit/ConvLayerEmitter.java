package dev.nnc.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.nnc.ir.Activation;
import dev.nnc.ir.Conv;
import dev.nnc.ir.Pool;
import dev.nnc.ir.Spatial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The conv and pool layers of a network: their constants, fields and buffers, and each one's {@code
 * …Forward}, {@code …Backward} and (conv) {@code …Gradients} methods, in the same three phases as a
 * dense layer's (rows, then the weights), so the data-parallel step splits them alike.
 *
 * <p>A row is an image (C, H, W) flattened row-major, value (c, y, x) at (c·H + y)·W + x. The
 * convolution is direct: for each kernel value K[o][c][i][j], an axpy along the output columns x of
 * every output row y, {@code z[o][y][x] += K·in[c][y·sh + i − ph][x·sw + j − pw]}, with the ranges
 * of y and x that stay inside the image computed once per (i, j), so padding costs nothing and no
 * im2col copy is made. Each z element adds its terms in (c, i, j) order after the bias, as the
 * reference interpreter does. The same row code ({@link #convolveRow}) serves the trainer and the
 * inference-only class.
 *
 * <p>Backward: dx (the input's gradient) is the convolution of δ with the kernel flipped, written
 * here in scatter form (every term K·in of the forward sends δ·K back to its in); dK is the
 * correlation of the input with δ, {@code dK[o][c][i][j] = Σ_r Σ_y Σ_x δ[r][o][y][x] ·
 * in[r][c][y·sh + i − ph][x·sw + j − pw]}, written whole per filter o (the weights phase splits
 * over filters); db[o] = Σ δ[o]. Max pooling remembers the first maximum of each window (PyTorch's
 * rule: a later equal value does not replace it) and sends the whole gradient there; average
 * pooling sends 1/(kh·kw) of it to every value of the window; overlapping windows add up.
 */
final class ConvLayerEmitter {
  private final EmitContext context;
  private final ActivationEmitter activations;

  ConvLayerEmitter(EmitContext context) {
    this.context = context;
    this.activations = new ActivationEmitter(context.numeric);
  }

  /** {@code C1_IN}, {@code C1_OUT}, and for a conv {@code C1_FILTERS} and {@code C1_PATCH}. */
  List<FieldSpec> constants() {
    List<FieldSpec> fields = new ArrayList<>();
    for (int s = 0; s < context.spatialCount(); s++) {
      Spatial layer = context.spatial(s);
      SpatialNames names = context.spatialNames(s);
      String name = EmitContext.text(layer.name());
      fields.add(
          constant(
              names.inConstant(),
              layer.inSize(),
              "Values per row {@code "
                  + name
                  + "}"
                  + EmitContext.line(layer.span())
                  + " reads: "
                  + shape(layer.inChannels(), layer.inHeight(), layer.inWidth())
                  + "."));
      fields.add(
          constant(
              names.outConstant(),
              layer.outSize(),
              "Values per row {@code "
                  + name
                  + "} writes: "
                  + shape(layer.outChannels(), layer.outHeight(), layer.outWidth())
                  + "."));
      if (layer instanceof Conv conv) {
        fields.add(
            constant(
                names.filtersConstant(), conv.outChannels(), "Filters of {@code " + name + "}."));
        fields.add(
            constant(
                names.patchConstant(),
                conv.patchSize(),
                "Kernel values per filter of {@code "
                    + name
                    + "}: "
                    + conv.inChannels()
                    + "×"
                    + conv.kernelHeight()
                    + "×"
                    + conv.kernelWidth()
                    + "."));
      }
    }
    return fields;
  }

  private static FieldSpec constant(String name, int value, String javadoc) {
    return FieldSpec.builder(int.class, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("$L\n", javadoc)
        .initializer("$L", value)
        .build();
  }

  /** The kernels, biases and their gradients. */
  List<FieldSpec> parameterFields() {
    Numeric numeric = context.numeric;
    List<FieldSpec> fields = new ArrayList<>();
    for (int s = 0; s < context.spatialCount(); s++) {
      if (!(context.spatial(s) instanceof Conv conv)) {
        continue;
      }
      SpatialNames names = context.spatialNames(s);
      String name = EmitContext.text(conv.name());
      String shape =
          conv.outChannels()
              + "×"
              + conv.inChannels()
              + "×"
              + conv.kernelHeight()
              + "×"
              + conv.kernelWidth();
      for (boolean gradient : new boolean[] {false, true}) {
        fields.add(
            FieldSpec.builder(
                    numeric.matrix(),
                    gradient ? names.weightGradient() : names.weights(),
                    Modifier.PRIVATE,
                    Modifier.FINAL)
                .addJavadoc(
                    "$L$L.W} ($L, PyTorch's layout), as rows (filters × in_ch·kh·kw).\n",
                    gradient ? "∂loss/∂{@code " : "{@code ",
                    name,
                    shape)
                .initializer(
                    "new $T[$N][$N]",
                    numeric.scalar(),
                    names.filtersConstant(),
                    names.patchConstant())
                .build());
        if (conv.bias()) {
          fields.add(
              FieldSpec.builder(
                      numeric.vector(),
                      gradient ? names.biasGradient() : names.bias(),
                      Modifier.PRIVATE,
                      Modifier.FINAL)
                  .addJavadoc(
                      "$L$L.b} ($L).\n",
                      gradient ? "∂loss/∂{@code " : "{@code ",
                      name,
                      conv.outChannels())
                  .initializer("new $T[$N]", numeric.scalar(), names.filtersConstant())
                  .build());
        }
      }
    }
    return fields;
  }

  /**
   * A per-row buffer [maxRows][width] of a spatial layer.
   *
   * @param indices whether it holds int indices (max pooling's argmax) rather than values
   */
  record Buffer(
      String name, String description, int width, String widthConstant, boolean indices) {}

  List<Buffer> buffers() {
    List<Buffer> buffers = new ArrayList<>();
    for (int s = 0; s < context.spatialCount(); s++) {
      Spatial layer = context.spatial(s);
      SpatialNames names = context.spatialNames(s);
      String name = "{@code " + EmitContext.text(layer.name()) + "}";
      String out = names.outConstant();
      int width = layer.outSize();
      String shape = shape(layer.outChannels(), layer.outHeight(), layer.outWidth());
      if (layer instanceof Conv conv) {
        boolean identity = names.activation().equals(names.preActivation());
        buffers.add(
            new Buffer(
                names.preActivation(),
                "z of " + name + " (" + shape + ")" + (identity ? ", also its output a" : ""),
                width,
                out,
                false));
        if (!identity) {
          buffers.add(
              new Buffer(
                  names.activation(),
                  "a = " + conv.activation().keyword() + "(z) of " + name + " (" + shape + ")",
                  width,
                  out,
                  false));
        }
        buffers.add(
            new Buffer(names.preActivationDelta(), "δ = ∂loss/∂z of " + name, width, out, false));
        if (!identity) {
          buffers.add(
              new Buffer(names.activationDelta(), "∂loss/∂a of " + name, width, out, false));
        }
      } else {
        Pool pool = (Pool) layer;
        buffers.add(
            new Buffer(
                names.activation(),
                pool.keyword() + " output of " + name + " (" + shape + ")",
                width,
                out,
                false));
        buffers.add(
            new Buffer(names.activationDelta(), "∂loss/∂output of " + name, width, out, false));
        if (pool.max()) {
          buffers.add(
              new Buffer(
                  names.argmax(),
                  "where in its input row each window of " + name + " has its first maximum",
                  width,
                  out,
                  true));
        }
      }
    }
    return buffers;
  }

  // Emits, for conv c1 (1×28×28 → 6×28×28, kernel 5, pad 2, relu):
  //
  //   private void c1Forward(int from, int to) {
  //     for (int r = from; r < to; r++) {
  //       double[] xRow = x[r];
  //       double[] zRow = c1Z[r];
  //       … convolveRow …
  //       double[] aRow = c1A[r];
  //       // a (N×4704) = relu(z)
  //       …
  //     }
  //   }
  //
  // and for a pool, the window loops with the first maximum's index kept in p1Arg.
  MethodSpec forward(int s) {
    Spatial layer = context.spatial(s);
    SpatialNames names = context.spatialNames(s);
    Numeric numeric = context.numeric;
    CodeBlock.Builder code = CodeBlock.builder();
    code.beginControlFlow("for (int r = from; r < to; r++)")
        .addStatement("$T xRow = $N[r]", numeric.vector(), context.spatialInput(s));
    String doc;
    if (layer instanceof Conv conv) {
      code.addStatement("$T zRow = $N[r]", numeric.vector(), names.preActivation());
      code.add(convolveRow(conv, numeric, "xRow", "zRow", names.weights(), names.bias()));
      if (conv.activation() != Activation.IDENTITY) {
        code.addStatement("$T aRow = $N[r]", numeric.vector(), names.activation());
        code.add("// a = $L(z)\n", conv.activation().keyword());
        code.add(
            activations.forwardRow(conv.activation(), names.outConstant(), conv.outSize(), false));
      }
      doc =
          "z = conv(in, K)"
              + (conv.bias() ? " + b" : "")
              + (conv.activation() == Activation.IDENTITY
                  ? " (identity: a is z)"
                  : ", a = " + conv.activation().keyword() + "(z)");
    } else {
      Pool pool = (Pool) layer;
      code.addStatement("$T aRow = $N[r]", numeric.vector(), names.activation());
      if (pool.max()) {
        code.addStatement("int[] argRow = $N[r]", names.argmax());
      }
      code.add(poolRow(pool, numeric, "xRow", "aRow", pool.max() ? "argRow" : null));
      doc =
          pool.max()
              ? "the first maximum of each window (its place kept for the backward)"
              : "the mean of each window";
    }
    code.endControlFlow();
    return MethodSpec.methodBuilder(names.forward())
        .addModifiers(Modifier.PRIVATE)
        .addJavadoc(
            "Forward of {@code $L}$L, $L: $L, for rows {@code from} to {@code to − 1}.\n",
            EmitContext.text(layer.name()),
            EmitContext.line(layer.span()),
            shape(layer.inChannels(), layer.inHeight(), layer.inWidth())
                + " → "
                + shape(layer.outChannels(), layer.outHeight(), layer.outWidth()),
            doc)
        .addParameter(int.class, "from")
        .addParameter(int.class, "to")
        .addCode(code.build())
        .build();
  }

  /**
   * One row of a direct convolution, {@code out = conv(in, K) + b}: JDK-only code on the row arrays
   * {@code in} and {@code out} (locals of the caller) and the kernel and bias fields; the trainer's
   * forward and the inference class's both run it. Each output element is the bias plus its terms
   * in (c, i, j) order.
   */
  static CodeBlock convolveRow(
      Conv conv, Numeric numeric, String in, String out, String kernel, String bias) {
    int plane = conv.outHeight() * conv.outWidth();
    CodeBlock.Builder code = CodeBlock.builder();
    code.add(
        "// z ($L) = conv(x ($L), K ($L×$L×$L×$L), stride $L×$L, pad $L×$L)$L: for each kernel"
            + " value,\n// an axpy along the output columns of every output row inside the image\n",
        shape(conv.outChannels(), conv.outHeight(), conv.outWidth()),
        shape(conv.inChannels(), conv.inHeight(), conv.inWidth()),
        conv.outChannels(),
        conv.inChannels(),
        conv.kernelHeight(),
        conv.kernelWidth(),
        conv.strideHeight(),
        conv.strideWidth(),
        conv.padHeight(),
        conv.padWidth(),
        conv.bias() ? " + b" : "");
    code.beginControlFlow("for (int o = 0; o < $L; o++)", conv.outChannels())
        .addStatement("$T k = $N[o]", numeric.vector(), kernel)
        .addStatement("int zo = o * $L", plane);
    if (bias != null) {
      code.addStatement("$T.fill($N, zo, zo + $L, $N[o])", Arrays.class, out, plane, bias);
    } else {
      code.addStatement(
          "$T.fill($N, zo, zo + $L, $L)", Arrays.class, out, plane, numeric.literal(0));
    }
    code.add(kernelLoops(conv, numeric, "zo"))
        .addStatement("$N[zBase + xo] += kv * $N[xBase + $L]", out, in, column(conv, "xo"))
        .add(endKernelLoops())
        .endControlFlow();
    return code.build();
  }

  /**
   * for c, i, j (kv = k[c][i][j]), the valid output columns xLo..xHi, for each valid output row y:
   * zBase (row y of filter o's plane at {@code planeStart}) and xBase (input row y·sh + i − ph of
   * channel c, shifted by j − pw); the caller adds the innermost loop over xo and closes with
   * {@link #endKernelLoops}.
   */
  private static CodeBlock kernelLoops(Conv conv, Numeric numeric, String planeStart) {
    int kh = conv.kernelHeight();
    int kw = conv.kernelWidth();
    CodeBlock.Builder code = CodeBlock.builder();
    code.beginControlFlow("for (int c = 0; c < $L; c++)", conv.inChannels())
        .beginControlFlow("for (int i = 0; i < $L; i++)", kh)
        .add(
            "// output rows y whose input row y·$L + i − $L is inside 0..$L\n",
            conv.strideHeight(),
            conv.padHeight(),
            conv.inHeight() - 1)
        .addStatement(
            "int yLo = $T.max(0, $T.floorDiv($L - i + $L, $L))",
            Math.class,
            Math.class,
            conv.padHeight(),
            conv.strideHeight() - 1,
            conv.strideHeight())
        .addStatement(
            "int yHi = $T.min($L, $T.floorDiv($L - i, $L) + 1)",
            Math.class,
            conv.outHeight(),
            Math.class,
            conv.inHeight() - 1 + conv.padHeight(),
            conv.strideHeight())
        .beginControlFlow("for (int j = 0; j < $L; j++)", kw)
        .addStatement("$T kv = k[(c * $L + i) * $L + j]", numeric.scalar(), kh, kw)
        .addStatement(
            "int xLo = $T.max(0, $T.floorDiv($L - j + $L, $L))",
            Math.class,
            Math.class,
            conv.padWidth(),
            conv.strideWidth() - 1,
            conv.strideWidth())
        .addStatement(
            "int xHi = $T.min($L, $T.floorDiv($L - j, $L) + 1)",
            Math.class,
            conv.outWidth(),
            Math.class,
            conv.inWidth() - 1 + conv.padWidth(),
            conv.strideWidth())
        .beginControlFlow("for (int y = yLo; y < yHi; y++)")
        .addStatement("int zBase = $L + y * $L", planeStart, conv.outWidth())
        .addStatement(
            "int xBase = (c * $L + y * $L + i - $L) * $L + j - $L",
            conv.inHeight(),
            conv.strideHeight(),
            conv.padHeight(),
            conv.inWidth(),
            conv.padWidth())
        .beginControlFlow("for (int xo = xLo; xo < xHi; xo++)");
    return code.build();
  }

  private static CodeBlock endKernelLoops() {
    return CodeBlock.builder()
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .build();
  }

  /** The input column of output column {@code xo}: xo, or xo · sw. */
  private static String column(Conv conv, String xo) {
    return conv.strideWidth() == 1 ? xo : xo + " * " + conv.strideWidth();
  }

  /**
   * One row of pooling, JDK-only: {@code out} from {@code in}; for max pooling the index of each
   * window's first maximum goes to {@code arg} (null: not kept, as in the inference class).
   */
  static CodeBlock poolRow(Pool pool, Numeric numeric, String in, String out, String arg) {
    int kh = pool.kernelHeight();
    int kw = pool.kernelWidth();
    CodeBlock.Builder code = CodeBlock.builder();
    code.add(
        "// $L ($L) of each $L×$L window, $L×$L apart, of x ($L)\n",
        pool.max() ? "the first maximum" : "the mean",
        shape(pool.outChannels(), pool.outHeight(), pool.outWidth()),
        kh,
        kw,
        pool.strideHeight(),
        pool.strideWidth(),
        shape(pool.inChannels(), pool.inHeight(), pool.inWidth()));
    code.beginControlFlow("for (int c = 0; c < $L; c++)", pool.inChannels())
        .beginControlFlow("for (int y = 0; y < $L; y++)", pool.outHeight())
        .beginControlFlow("for (int xo = 0; xo < $L; xo++)", pool.outWidth())
        .addStatement(
            "int corner = (c * $L + y * $L) * $L + xo * $L",
            pool.inHeight(),
            pool.strideHeight(),
            pool.inWidth(),
            pool.strideWidth());
    String outIndex = "(c * " + pool.outHeight() + " + y) * " + pool.outWidth() + " + xo";
    if (pool.max()) {
      code.addStatement("int best = corner")
          .beginControlFlow("for (int i = 0; i < $L; i++)", kh)
          .beginControlFlow("for (int j = 0; j < $L; j++)", kw)
          .addStatement("int at = corner + i * $L + j", pool.inWidth())
          .add("// strictly greater: a tie keeps the first maximum, as PyTorch does\n")
          .beginControlFlow("if ($N[at] > $N[best])", in, in)
          .addStatement("best = at")
          .endControlFlow()
          .endControlFlow()
          .endControlFlow()
          .addStatement("$N[$L] = $N[best]", out, outIndex, in);
      if (arg != null) {
        code.addStatement("$N[$L] = best", arg, outIndex);
      }
    } else {
      code.addStatement("$T sum = $L", numeric.scalar(), numeric.literal(0))
          .beginControlFlow("for (int i = 0; i < $L; i++)", kh)
          .beginControlFlow("for (int j = 0; j < $L; j++)", kw)
          .addStatement("sum += $N[corner + i * $L + j]", in, pool.inWidth())
          .endControlFlow()
          .endControlFlow()
          .addStatement("$N[$L] = sum / $L", out, outIndex, numeric.literal(kh * kw));
    }
    return code.endControlFlow().endControlFlow().endControlFlow().build();
  }

  /** Whether spatial layer s has a backward to run (a first layer with nothing to undo has not). */
  boolean hasBackward(int s) {
    if (context.spatialInputDelta(s) != null) {
      return true;
    }
    return context.spatial(s) instanceof Conv conv && conv.activation() != Activation.IDENTITY;
  }

  // Emits, for conv c3 (6×14×14 → 16×10×10, relu), the rows part of its backward:
  //
  //   private void c3Backward(int from, int to) {
  //     for (int r = from; r < to; r++) {
  //       double[] dzRow = dC3Z[r];
  //       double[] daRow = dC3A[r];
  //       double[] zRow = c3Z[r];
  //       // δ = da ⊙ (z > 0)
  //       …
  //       double[] dxRow = dS2A[r];
  //       Arrays.fill(dxRow, 0.0);
  //       // dx = δ convolved with the flipped kernel, as a scatter: each forward term K·x sends
  // δ·K
  //       …
  //     }
  //   }
  MethodSpec backward(int s) {
    Spatial layer = context.spatial(s);
    SpatialNames names = context.spatialNames(s);
    Numeric numeric = context.numeric;
    String dx = context.spatialInputDelta(s);
    CodeBlock.Builder code = CodeBlock.builder();
    code.beginControlFlow("for (int r = from; r < to; r++)");
    String doc;
    if (layer instanceof Conv conv) {
      code.addStatement("$T dzRow = $N[r]", numeric.vector(), names.preActivationDelta());
      if (conv.activation() != Activation.IDENTITY) {
        code.addStatement("$T daRow = $N[r]", numeric.vector(), names.activationDelta());
        if (conv.activation() == Activation.RELU) {
          code.addStatement("$T zRow = $N[r]", numeric.vector(), names.preActivation());
        } else {
          code.addStatement("$T aRow = $N[r]", numeric.vector(), names.activation());
        }
        code.add("// δ = $L\n", ActivationEmitter.derivativeText(conv.activation()));
        code.add(
            activations.backwardRow(conv.activation(), names.outConstant(), conv.outSize(), false));
      }
      if (dx != null) {
        int plane = conv.outHeight() * conv.outWidth();
        code.addStatement("$T dxRow = $N[r]", numeric.vector(), dx)
            .addStatement("$T.fill(dxRow, $L)", Arrays.class, numeric.literal(0))
            .add(
                "// dx ($L) = δ ($L) convolved with the kernel flipped, as a scatter: every term"
                    + " K·x of\n// the forward sends δ·K back to its x\n",
                shape(conv.inChannels(), conv.inHeight(), conv.inWidth()),
                shape(conv.outChannels(), conv.outHeight(), conv.outWidth()))
            .beginControlFlow("for (int o = 0; o < $L; o++)", conv.outChannels())
            .addStatement("$T k = $N[o]", numeric.vector(), names.weights())
            .addStatement("int zo = o * $L", plane)
            .add(kernelLoops(conv, numeric, "zo"))
            .addStatement("dxRow[xBase + $L] += kv * dzRow[zBase + xo]", column(conv, "xo"))
            .add(endKernelLoops())
            .endControlFlow();
      }
      doc =
          "δ = ∂loss/∂z"
              + (dx != null ? ", and dx: the convolution of δ with the kernel flipped" : "")
              + "; dK and db sum over every row, so {@link #"
              + names.gradients()
              + "} writes them once all the rows are done";
    } else {
      Pool pool = (Pool) layer;
      code.addStatement("$T dRow = $N[r]", numeric.vector(), names.activationDelta())
          .addStatement("$T dxRow = $N[r]", numeric.vector(), dx)
          .addStatement("$T.fill(dxRow, $L)", Arrays.class, numeric.literal(0));
      if (pool.max()) {
        code.addStatement("int[] argRow = $N[r]", names.argmax())
            .add("// all of each window's gradient to its first maximum\n")
            .beginControlFlow("for (int p = 0; p < $N; p++)", names.outConstant())
            .addStatement("dxRow[argRow[p]] += dRow[p]")
            .endControlFlow();
      } else {
        code.add("// 1/(kh·kw) of each window's gradient to each of its values\n")
            .beginControlFlow("for (int c = 0; c < $L; c++)", pool.inChannels())
            .beginControlFlow("for (int y = 0; y < $L; y++)", pool.outHeight())
            .beginControlFlow("for (int xo = 0; xo < $L; xo++)", pool.outWidth())
            .addStatement(
                "$T share = dRow[(c * $L + y) * $L + xo] / $L",
                numeric.scalar(),
                pool.outHeight(),
                pool.outWidth(),
                numeric.literal(pool.kernelHeight() * pool.kernelWidth()))
            .addStatement(
                "int corner = (c * $L + y * $L) * $L + xo * $L",
                pool.inHeight(),
                pool.strideHeight(),
                pool.inWidth(),
                pool.strideWidth())
            .beginControlFlow("for (int i = 0; i < $L; i++)", pool.kernelHeight())
            .beginControlFlow("for (int j = 0; j < $L; j++)", pool.kernelWidth())
            .addStatement("dxRow[corner + i * $L + j] += share", pool.inWidth())
            .endControlFlow()
            .endControlFlow()
            .endControlFlow()
            .endControlFlow()
            .endControlFlow();
      }
      doc =
          pool.max()
              ? "dx, the gradient routed to the first maximum of each window (PyTorch's rule)"
              : "dx, the gradient shared evenly over each window";
    }
    code.endControlFlow();
    return MethodSpec.methodBuilder(names.backward())
        .addModifiers(Modifier.PRIVATE)
        .addJavadoc(
            "Backward of {@code $L}$L for rows {@code from} to {@code to − 1}: $L.\n",
            EmitContext.text(layer.name()),
            EmitContext.line(layer.span()),
            doc)
        .addParameter(int.class, "from")
        .addParameter(int.class, "to")
        .addCode(code.build())
        .build();
  }

  // Emits, for conv c1:
  //
  //   private void c1Gradients(int from, int to, int oFrom, int oTo) {
  //     for (int o = oFrom; o < oTo; o++) {
  //       double[] dk = dC1W[o];
  //       Arrays.fill(dk, 0.0);
  //       double db = 0.0;
  //       for (int r = from; r < to; r++) {
  //         double[] xRow = x[r];
  //         double[] dzRow = dC1Z[r];
  //         … for c, i, j, y: sum += δ·x along the valid output columns; dk[c][i][j] += sum …
  //         for (int p = 0; p < 784; p++) db += dzRow[o * 784 + p];
  //       }
  //       dC1B[o] = db;
  //     }
  //   }
  MethodSpec gradients(int s) {
    Conv conv = (Conv) context.spatial(s);
    SpatialNames names = context.spatialNames(s);
    Numeric numeric = context.numeric;
    int plane = conv.outHeight() * conv.outWidth();
    CodeBlock.Builder code = CodeBlock.builder();
    code.add(
        "// dK ($L×$L×$L×$L) = the correlation of x with δ, summed over the rows; filters"
            + " oFrom..oTo\n",
        conv.outChannels(),
        conv.inChannels(),
        conv.kernelHeight(),
        conv.kernelWidth());
    code.beginControlFlow("for (int o = oFrom; o < oTo; o++)")
        .addStatement("$T dk = $N[o]", numeric.vector(), names.weightGradient())
        .addStatement("$T.fill(dk, $L)", Arrays.class, numeric.literal(0))
        .addStatement("$T db = $L", numeric.scalar(), numeric.literal(0))
        .addStatement("int zo = o * $L", plane)
        .addStatement("$T k = dk", numeric.vector())
        .beginControlFlow("for (int r = from; r < to; r++)")
        .addStatement("$T xRow = $N[r]", numeric.vector(), context.spatialInput(s))
        .addStatement("$T dzRow = $N[r]", numeric.vector(), names.preActivationDelta())
        .add(kernelLoopsForGradient(conv, numeric))
        .beginControlFlow("for (int p = zo; p < zo + $L; p++)", plane)
        .addStatement("db += dzRow[p]")
        .endControlFlow()
        .endControlFlow();
    if (conv.bias()) {
      code.addStatement("$N[o] = db", names.biasGradient());
    }
    code.endControlFlow();
    return MethodSpec.methodBuilder(names.gradients())
        .addModifiers(Modifier.PRIVATE)
        .addJavadoc(
            "dK$L of {@code $L}$L from the δ of rows {@code from} to {@code to − 1}: filters"
                + " {@code oFrom} to {@code oTo − 1}, written whole.\n",
            conv.bias() ? " and db" : "",
            EmitContext.text(conv.name()),
            EmitContext.line(conv.span()))
        .addParameter(int.class, "from")
        .addParameter(int.class, "to")
        .addParameter(int.class, "oFrom")
        .addParameter(int.class, "oTo")
        .addCode(code.build())
        .build();
  }

  /** The kernel loops with a per-(c, i, j) sum over the valid (y, x) added into dk. */
  private static CodeBlock kernelLoopsForGradient(Conv conv, Numeric numeric) {
    int kh = conv.kernelHeight();
    int kw = conv.kernelWidth();
    CodeBlock.Builder code = CodeBlock.builder();
    code.beginControlFlow("for (int c = 0; c < $L; c++)", conv.inChannels())
        .beginControlFlow("for (int i = 0; i < $L; i++)", kh)
        .addStatement(
            "int yLo = $T.max(0, $T.floorDiv($L - i + $L, $L))",
            Math.class,
            Math.class,
            conv.padHeight(),
            conv.strideHeight() - 1,
            conv.strideHeight())
        .addStatement(
            "int yHi = $T.min($L, $T.floorDiv($L - i, $L) + 1)",
            Math.class,
            conv.outHeight(),
            Math.class,
            conv.inHeight() - 1 + conv.padHeight(),
            conv.strideHeight())
        .beginControlFlow("for (int j = 0; j < $L; j++)", kw)
        .addStatement(
            "int xLo = $T.max(0, $T.floorDiv($L - j + $L, $L))",
            Math.class,
            Math.class,
            conv.padWidth(),
            conv.strideWidth() - 1,
            conv.strideWidth())
        .addStatement(
            "int xHi = $T.min($L, $T.floorDiv($L - j, $L) + 1)",
            Math.class,
            conv.outWidth(),
            Math.class,
            conv.inWidth() - 1 + conv.padWidth(),
            conv.strideWidth())
        .addStatement("$T sum = $L", numeric.scalar(), numeric.literal(0))
        .beginControlFlow("for (int y = yLo; y < yHi; y++)")
        .addStatement("int zBase = zo + y * $L", conv.outWidth())
        .addStatement(
            "int xBase = (c * $L + y * $L + i - $L) * $L + j - $L",
            conv.inHeight(),
            conv.strideHeight(),
            conv.padHeight(),
            conv.inWidth(),
            conv.padWidth())
        .beginControlFlow("for (int xo = xLo; xo < xHi; xo++)")
        .addStatement("sum += dzRow[zBase + xo] * xRow[xBase + $L]", column(conv, "xo"))
        .endControlFlow()
        .endControlFlow()
        .addStatement("k[(c * $L + i) * $L + j] += sum", kh, kw)
        .endControlFlow()
        .endControlFlow()
        .endControlFlow();
    return code.build();
  }

  /** {@code 6×28×28}. */
  static String shape(int channels, int height, int width) {
    return channels + "×" + height + "×" + width;
  }
}
