package dev.nnc.emit;

import com.palantir.javapoet.ClassName;
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
 * trainer convolves each row by im2col and the runtime's matrix kernels: cols (C·kh·kw × H'·W'),
 * row (c·kh + i)·kw + j holding in[c][y·sh + i − ph][x·sw + j − pw] for every output position, then
 * z (F × H'·W') = b + K (F × C·kh·kw) · cols through {@code Kernels.matmulRows}. The buffers are
 * one row's worth, per thread ({@link #scratchFields}); entries in the zero padding are never
 * written, so they stay 0. The inference-only class, which has no runtime, keeps the direct
 * convolution ({@link #convolveRow}): for each kernel value, an axpy along the output columns of
 * every output row inside the image. Each z element adds its terms in (c, i, j) order after the
 * bias, as the reference interpreter does (fused multiply-adds in the trainer).
 *
 * <p>Backward: dx (the input's gradient) is the convolution of δ with the kernel flipped, here
 * col2im(Kᵀ·δ) ({@code Kernels.matmulColumns} reads K transposed); dK is the correlation of the
 * input with δ, {@code dK[o][c][i][j] = Σ_r Σ_y Σ_x δ[r][o][y][x] · in[r][c][y·sh + i − ph][x·sw +
 * j − pw]}, added row by row as δ[r] (F × H'·W') · colsT[r] (H'·W' × C·kh·kw), so each element is
 * one chain over the rows and positions and the weights phase splits over filters with the same
 * bits on any thread count; db[o] = Σ δ[o]. Max pooling remembers the first maximum of each window
 * (PyTorch's rule: a later equal value does not replace it) and sends the whole gradient there;
 * average pooling sends 1/(kh·kw) of it to every value of the window; overlapping windows add up.
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
        if (!identity && !context.reluIntoPool(s)) {
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
    if (layer instanceof Conv conv) {
      code.add(naiveForwardComment(conv))
          .addStatement("$T scratch = $N.get()", scratchType(numeric), names.scratch())
          .addStatement("$T cols = scratch[$L]", numeric.matrix(), COLS)
          .addStatement("$T planes = scratch[$L]", numeric.matrix(), PLANES);
    }
    code.beginControlFlow("for (int r = from; r < to; r++)")
        .addStatement("$T xRow = $N[r]", numeric.vector(), context.spatialInput(s));
    String doc;
    if (layer instanceof Conv conv) {
      code.addStatement("$T zRow = $N[r]", numeric.vector(), names.preActivation());
      code.add(im2colForward(conv, names));
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
   * One row of the layer's forward as JDK-only statements for the inference class, from {@code
   * xRow} into {@code zRow} (locals of the caller): a convolution by {@link #convolveRow} with the
   * fields {@code kernel} and {@code bias} (null without one), its activation in place; a pool by
   * {@link #poolRow}, the place of each maximum not kept.
   */
  static CodeBlock inferenceRow(Spatial layer, Numeric numeric, String kernel, String bias) {
    if (layer instanceof Conv conv) {
      CodeBlock.Builder code = CodeBlock.builder();
      code.add(convolveRow(conv, numeric, "xRow", "zRow", kernel, bias));
      if (conv.activation() != Activation.IDENTITY) {
        code.addStatement("$T aRow = zRow", numeric.vector());
        code.add(
            new ActivationEmitter(numeric, ClassName.get(StrictMath.class))
                .forwardRow(
                    conv.activation(), Integer.toString(conv.outSize()), conv.outSize(), false));
      }
      return code.build();
    }
    return poolRow((Pool) layer, numeric, "xRow", "zRow", null);
  }

  /**
   * One row of a direct convolution, {@code out = conv(in, K) + b}: JDK-only code on the row arrays
   * {@code in} and {@code out} (locals of the caller) and the kernel and bias fields, for the
   * inference class (the trainer uses im2col and the runtime's kernels). Each output element is the
   * bias, then a fused multiply-add per term in (c, i, j) order: what the trainer's kernels
   * compute, so the inference class predicts the trainer's bits (the padding's terms, which the
   * trainer adds as K·0, are skipped here).
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
        .addStatement(
            "$N[zBase + xo] = $T.fma(kv, $N[xBase + $L], $N[zBase + xo])",
            out,
            Math.class,
            in,
            column(conv, "xo"),
            out)
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
    return context.spatial(s) instanceof Conv conv
        && conv.activation() != Activation.IDENTITY
        && !context.reluIntoPool(s);
  }

  // Emits, for conv c3 (6×14×14 → 16×10×10, tanh), the rows part of its backward:
  //
  //   private void c3Backward(int from, int to) {
  //     for (int r = from; r < to; r++) {
  //       double[] dzRow = dC3Z[r];
  //       double[] daRow = dC3A[r];
  //       double[] aRow = c3A[r];
  //       // δ = da ⊙ (1 − a²)
  //       …
  //       double[] dxRow = dS2A[r];
  //       Arrays.fill(dxRow, 0.0);
  //       // dx = δ convolved with the flipped kernel, as a scatter: each forward term K·x sends
  // δ·K
  //       …
  //     }
  //   }
  //
  // A relu conv before a max pool (LeNet's c1 and c3) gets its δ from the pool's backward
  // (EmitContext.reluIntoPool): no δ step here, and no method at all without a dx.
  MethodSpec backward(int s) {
    Spatial layer = context.spatial(s);
    SpatialNames names = context.spatialNames(s);
    Numeric numeric = context.numeric;
    String dx = context.spatialInputDelta(s);
    CodeBlock.Builder code = CodeBlock.builder();
    if (layer instanceof Conv && dx != null) {
      code.add(naiveBackwardComment((Conv) layer))
          .addStatement("$T scratch = $N.get()", scratchType(numeric), names.scratch())
          .addStatement("$T planes = scratch[$L]", numeric.matrix(), PLANES)
          .addStatement("$T dcols = scratch[$L]", numeric.matrix(), DCOLS);
    }
    code.beginControlFlow("for (int r = from; r < to; r++)");
    String doc;
    if (layer instanceof Conv conv) {
      code.addStatement("$T dzRow = $N[r]", numeric.vector(), names.preActivationDelta());
      if (context.reluIntoPool(s)) {
        code.add(
            "// δ = da ⊙ [z > 0] was written by the max pool's backward (relu′ applied there)\n");
      } else if (conv.activation() != Activation.IDENTITY) {
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
        code.add(im2colBackward(conv, names, dx));
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
      if (pool.max() && context.reluIntoPool(s - 1)) {
        code.addStatement("int[] argRow = $N[r]", names.argmax())
            .addStatement(
                "$T zRow = $N[r]", numeric.vector(), context.spatialNames(s - 1).preActivation())
            .add(
                "// all of each window's gradient to its first maximum, where $L's relu′ lets it"
                    + " through:\n// this is $L's δ = da ⊙ [z > 0], with no pass over the"
                    + " rest\n",
                EmitContext.text(context.spatial(s - 1).name()),
                EmitContext.text(context.spatial(s - 1).name()))
            .beginControlFlow("for (int p = 0; p < $N; p++)", names.outConstant())
            .addStatement("int at = argRow[p]")
            .beginControlFlow("if (zRow[at] > $L)", numeric.literal(0))
            .addStatement("dxRow[at] += dRow[p]")
            .endControlFlow()
            .endControlFlow();
      } else if (pool.max()) {
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

  // Emits, for conv c1 (1×28×28 → 6×28×28, kernel 5, pad 2):
  //
  //   private void c1Gradients(int from, int to, int oFrom, int oTo) {
  //     if (oFrom >= oTo) return;
  //     double[][][] scratch = c1Scratch.get();
  //     double[][] planes = scratch[1];
  //     double[][] colsT = scratch[3];
  //     for (int o = oFrom; o < oTo; o++) Arrays.fill(dC1W[o], 0.0);
  //     for (int r = from; r < to; r++) {
  //       … colsT (784×25) = im2col(x[r]) with a row per output position …
  //       … planes[o] = δ[r][o] (784) for o in oFrom..oTo …
  //       Kernels.INSTANCE.matmulRows(dC1W, planes, colsT, oFrom, oTo, 0, 784, C1_PATCH);
  //     }
  //     … db[o] = Σ_r Σ_p δ[r][o][p] …
  //   }
  MethodSpec gradients(int s) {
    Conv conv = (Conv) context.spatial(s);
    SpatialNames names = context.spatialNames(s);
    Numeric numeric = context.numeric;
    int plane = conv.outHeight() * conv.outWidth();
    CodeBlock.Builder code = CodeBlock.builder();
    code.beginControlFlow("if (oFrom >= oTo)")
        .addStatement("return")
        .endControlFlow()
        .add(
            "// naive reference: dK[o][c][i][j] = Σ_r Σ_y Σ_x δ[r][o][y][x] · x[r][c][y·$L + i − $L][x·$L"
                + " + j − $L]\n"
                + "// (the correlation of the input with δ); here per row r, with colsT ($L×$L) the"
                + " im2col of x[r]\n"
                + "// with a row per output position: dK ($L×$L) += δ[r] ($L×$L) · colsT ($L×$L)"
                + " (Kernels.matmulRows),\n"
                + "// each element one chain of fused multiply-adds over r, then y·x: the same bits"
                + " on any thread count\n",
            conv.strideHeight(),
            conv.padHeight(),
            conv.strideWidth(),
            conv.padWidth(),
            plane,
            conv.patchSize(),
            conv.outChannels(),
            conv.patchSize(),
            conv.outChannels(),
            plane,
            plane,
            conv.patchSize())
        .addStatement("$T scratch = $N.get()", scratchType(numeric), names.scratch())
        .addStatement("$T planes = scratch[$L]", numeric.matrix(), PLANES)
        .addStatement("$T colsT = scratch[$L]", numeric.matrix(), COLS_T)
        .beginControlFlow("for (int o = oFrom; o < oTo; o++)")
        .addStatement(
            "$T.fill($N[o], $L)", Arrays.class, names.weightGradient(), numeric.literal(0))
        .endControlFlow()
        .beginControlFlow("for (int r = from; r < to; r++)")
        .addStatement("$T xRow = $N[r]", numeric.vector(), context.spatialInput(s))
        .addStatement("$T dzRow = $N[r]", numeric.vector(), names.preActivationDelta())
        .add(
            "// colsT[y·$L + x][(c·$L + i)·$L + j] = x[c][y·$L + i − $L][x·$L + j − $L]; the padding"
                + " entries stay 0\n",
            conv.outWidth(),
            conv.kernelHeight(),
            conv.kernelWidth(),
            conv.strideHeight(),
            conv.padHeight(),
            conv.strideWidth(),
            conv.padWidth())
        .add(rowPatches(conv))
        .beginControlFlow("for (int o = oFrom; o < oTo; o++)")
        .addStatement("$T.arraycopy(dzRow, o * $L, planes[o], 0, $L)", System.class, plane, plane)
        .endControlFlow()
        .addStatement(
            "$T.INSTANCE.matmulRows($N, planes, colsT, oFrom, oTo, 0, $L, $N)",
            KernelEmitter.KERNELS,
            names.weightGradient(),
            plane,
            names.patchConstant())
        .endControlFlow();
    if (conv.bias()) {
      code.add("// db[o] = Σ_r Σ_p δ[r][o][p]\n")
          .beginControlFlow("for (int o = oFrom; o < oTo; o++)")
          .addStatement("$T db = $L", numeric.scalar(), numeric.literal(0))
          .beginControlFlow("for (int r = from; r < to; r++)")
          .addStatement("$T dzRow = $N[r]", numeric.vector(), names.preActivationDelta())
          .beginControlFlow("for (int p = o * $L; p < o * $L + $L; p++)", plane, plane, plane)
          .addStatement("db += dzRow[p]")
          .endControlFlow()
          .endControlFlow()
          .addStatement("$N[o] = db", names.biasGradient())
          .endControlFlow();
    }
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

  /** Which buffer of a conv's per-thread scratch is which. */
  static final int COLS = 0;

  static final int PLANES = 1;
  static final int DCOLS = 2;
  static final int COLS_T = 3;

  /** {@code double[][][]}: a conv's per-thread scratch. */
  private static com.palantir.javapoet.TypeName scratchType(Numeric numeric) {
    return com.palantir.javapoet.ArrayTypeName.of(numeric.matrix());
  }

  // Emits, for conv c1 (1×28×28 → 6×28×28, kernel 5, pad 2), one field per conv:
  //
  //   private final ThreadLocal<double[][][]> c1Scratch = ThreadLocal.withInitial(() ->
  //       new double[][][] {new double[25][784], new double[6][784], null, new double[784][25]});
  List<FieldSpec> scratchFields() {
    Numeric numeric = context.numeric;
    List<FieldSpec> fields = new ArrayList<>();
    for (int s = 0; s < context.spatialCount(); s++) {
      if (!(context.spatial(s) instanceof Conv conv)) {
        continue;
      }
      SpatialNames names = context.spatialNames(s);
      int plane = conv.outHeight() * conv.outWidth();
      int patch = conv.patchSize();
      boolean dx = context.spatialInputDelta(s) != null;
      CodeBlock dcols =
          dx
              ? CodeBlock.of("new $T[$L][$L]", numeric.scalar(), patch, plane)
              : CodeBlock.of("null");
      fields.add(
          FieldSpec.builder(
                  com.palantir.javapoet.ParameterizedTypeName.get(
                      com.palantir.javapoet.ClassName.get(ThreadLocal.class), scratchType(numeric)),
                  names.scratch(),
                  Modifier.PRIVATE,
                  Modifier.FINAL)
              .addJavadoc(
                  "The im2col buffers of {@code $L}, one set per thread that runs a part of a step"
                      + " (made on its first\nstep, then reused: a step allocates nothing):"
                      + " [$L] cols ($L×$L), the input's patches, a row per kernel\nvalue; [$L]"
                      + " planes ($L×$L), z or δ of one row as a row per filter; [$L] dcols"
                      + " ($L×$L), the\ngradient of cols$L; [$L] colsT ($L×$L), the patches with a"
                      + " row per output position. The entries\nthat fall in the zero padding are"
                      + " never written, so they stay 0.\n",
                  EmitContext.text(conv.name()),
                  COLS,
                  patch,
                  plane,
                  PLANES,
                  conv.outChannels(),
                  plane,
                  DCOLS,
                  patch,
                  plane,
                  dx ? "" : " (null: the first layer has no dx)",
                  COLS_T,
                  plane,
                  patch)
              .initializer(
                  "$T.withInitial(() -> new $T[][][] {new $T[$L][$L], new $T[$L][$L], $L, new"
                      + " $T[$L][$L]})",
                  ThreadLocal.class,
                  numeric.scalar(),
                  numeric.scalar(),
                  patch,
                  plane,
                  numeric.scalar(),
                  conv.outChannels(),
                  plane,
                  dcols,
                  numeric.scalar(),
                  plane,
                  patch)
              .build());
    }
    return fields;
  }

  // Emits, for conv c1: the rows' im2col, then z as one matrix product per row:
  //
  //   // cols (25×784): cols[(c·5 + i)·5 + j][y·28 + x] = x[c][y·1 + i − 2][x·1 + j − 2] …
  //   for c, i, j, y: System.arraycopy(xRow, xBase + xLo, cols[q], pBase + xLo, xHi - xLo);
  //   // z (6×784) = b + K (6×25) · cols (25×784)
  //   for (int o = 0; o < 6; o++) Arrays.fill(planes[o], c1B[o]);
  //   Kernels.INSTANCE.matmulRows(planes, c1W, cols, 0, 6, 0, C1_PATCH, 784);
  //   for (int o = 0; o < 6; o++) System.arraycopy(planes[o], 0, zRow, o * 784, 784);
  private CodeBlock im2colForward(Conv conv, SpatialNames names) {
    Numeric numeric = context.numeric;
    int plane = conv.outHeight() * conv.outWidth();
    CodeBlock.Builder code = CodeBlock.builder();
    code.add(
        "// cols ($L×$L) = im2col(x ($L)): cols[(c·$L + i)·$L + j][y·$L + x] = x[c][y·$L + i −"
            + " $L][x·$L + j − $L];\n// the entries in the padding were never written: they"
            + " stay 0\n",
        conv.patchSize(),
        plane,
        shape(conv.inChannels(), conv.inHeight(), conv.inWidth()),
        conv.kernelHeight(),
        conv.kernelWidth(),
        conv.outWidth(),
        conv.strideHeight(),
        conv.padHeight(),
        conv.strideWidth(),
        conv.padWidth());
    code.add(patchLoops(conv));
    if (conv.strideWidth() == 1) {
      code.addStatement(
          "$T.arraycopy(xRow, xBase + xLo, cols[q], pBase + xLo, xHi - xLo)", System.class);
    } else {
      code.addStatement("$T col = cols[q]", numeric.vector())
          .beginControlFlow("for (int xo = xLo; xo < xHi; xo++)")
          .addStatement("col[pBase + xo] = xRow[xBase + $L]", column(conv, "xo"))
          .endControlFlow();
    }
    code.add(endPatchLoops());
    code.add(
        "// z ($L×$L) = $L ($L×$L) · cols ($L×$L), a row of planes per filter"
            + " (Kernels.matmulRows)\n",
        conv.outChannels(),
        plane,
        conv.bias() ? "b + K" : "K",
        conv.outChannels(),
        conv.patchSize(),
        conv.patchSize(),
        plane);
    code.beginControlFlow("for (int o = 0; o < $L; o++)", conv.outChannels());
    if (conv.bias()) {
      code.addStatement("$T.fill(planes[o], $N[o])", Arrays.class, names.bias());
    } else {
      code.addStatement("$T.fill(planes[o], $L)", Arrays.class, numeric.literal(0));
    }
    code.endControlFlow()
        .addStatement(
            "$T.INSTANCE.matmulRows(planes, $N, cols, 0, $L, 0, $N, $L)",
            KernelEmitter.KERNELS,
            names.weights(),
            conv.outChannels(),
            names.patchConstant(),
            plane)
        .beginControlFlow("for (int o = 0; o < $L; o++)", conv.outChannels())
        .addStatement("$T.arraycopy(planes[o], 0, zRow, o * $L, $L)", System.class, plane, plane)
        .endControlFlow();
    return code.build();
  }

  // Emits, for conv c3 (6×14×14 → 16×10×10): dx of a row as a product and a col2im:
  //
  //   for (int o = 0; o < 16; o++) System.arraycopy(dzRow, o * 100, planes[o], 0, 100);
  //   // dcols (150×100) = Kᵀ (150×16) · δ (16×100)
  //   Kernels.INSTANCE.matmulColumns(dcols, c3W, planes, 0, C3_PATCH, 0, 16, 100);
  //   Arrays.fill(dxRow, 0.0);
  //   for c, i, j, y, x: dxRow[xBase + x] += dcols[q][pBase + x];
  private CodeBlock im2colBackward(Conv conv, SpatialNames names, String dx) {
    Numeric numeric = context.numeric;
    int plane = conv.outHeight() * conv.outWidth();
    CodeBlock.Builder code = CodeBlock.builder();
    code.beginControlFlow("for (int o = 0; o < $L; o++)", conv.outChannels())
        .addStatement("$T.arraycopy(dzRow, o * $L, planes[o], 0, $L)", System.class, plane, plane)
        .endControlFlow()
        .add(
            "// dcols ($L×$L) = Kᵀ ($L×$L) · δ ($L×$L) (Kernels.matmulColumns: K is read"
                + " transposed, not copied)\n",
            conv.patchSize(),
            plane,
            conv.patchSize(),
            conv.outChannels(),
            conv.outChannels(),
            plane)
        .addStatement(
            "$T.INSTANCE.matmulColumns(dcols, $N, planes, 0, $N, 0, $L, $L)",
            KernelEmitter.KERNELS,
            names.weights(),
            names.patchConstant(),
            conv.outChannels(),
            plane)
        .addStatement("$T dxRow = $N[r]", numeric.vector(), dx)
        .addStatement("$T.fill(dxRow, $L)", Arrays.class, numeric.literal(0))
        .add(
            "// dx ($L) = col2im(dcols): each patch entry adds back to the input value it was"
                + " copied from\n",
            shape(conv.inChannels(), conv.inHeight(), conv.inWidth()))
        .add(patchLoops(conv))
        .addStatement("$T col = dcols[q]", numeric.vector())
        .beginControlFlow("for (int xo = xLo; xo < xHi; xo++)")
        .addStatement("dxRow[xBase + $L] += col[pBase + xo]", column(conv, "xo"))
        .endControlFlow()
        .add(endPatchLoops());
    return code.build();
  }

  /**
   * for c, i (yLo..yHi: the output rows whose input row is inside the image), j (xLo..xHi, the
   * output columns likewise; q = (c·kh + i)·kw + j, the patch entry), for each valid output row y:
   * pBase (y·W', the start of output row y) and xBase (where output column 0 of row y would read
   * input channel c). The caller adds the innermost work and closes with {@link #endPatchLoops}.
   */
  private static CodeBlock patchLoops(Conv conv) {
    int kh = conv.kernelHeight();
    int kw = conv.kernelWidth();
    return CodeBlock.builder()
        .beginControlFlow("for (int c = 0; c < $L; c++)", conv.inChannels())
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
        .addStatement("int q = (c * $L + i) * $L + j", kh, kw)
        .addStatement(
            "int xLo = $T.max(0, $T.floorDiv($L - j + $L, $L))",
            Math.class,
            Math.class,
            conv.padWidth(),
            conv.strideWidth() - 1,
            conv.strideWidth())
        .addStatement(
            "int xHi = $T.max(xLo, $T.min($L, $T.floorDiv($L - j, $L) + 1))",
            Math.class,
            Math.class,
            conv.outWidth(),
            Math.class,
            conv.inWidth() - 1 + conv.padWidth(),
            conv.strideWidth())
        .beginControlFlow("for (int y = yLo; y < yHi; y++)")
        .addStatement("int pBase = y * $L", conv.outWidth())
        .addStatement(
            "int xBase = (c * $L + y * $L + i - $L) * $L + j - $L",
            conv.inHeight(),
            conv.strideHeight(),
            conv.padHeight(),
            conv.inWidth(),
            conv.padWidth())
        .build();
  }

  /**
   * colsT, the patches of a row with a row per output position: for each output position, the kh
   * stretches of kw input values its window covers, copied in (c, i, j) order; entries in the
   * padding are skipped (they stay 0).
   */
  private CodeBlock rowPatches(Conv conv) {
    int kh = conv.kernelHeight();
    int kw = conv.kernelWidth();
    return CodeBlock.builder()
        .beginControlFlow("for (int y = 0; y < $L; y++)", conv.outHeight())
        .beginControlFlow("for (int xo = 0; xo < $L; xo++)", conv.outWidth())
        .addStatement("$T row = colsT[y * $L + xo]", context.numeric.vector(), conv.outWidth())
        .addStatement("int left = xo * $L - $L", conv.strideWidth(), conv.padWidth())
        .add(
            "// the kernel columns j whose input column left + j is inside 0..$L\n",
            conv.inWidth() - 1)
        .addStatement("int jLo = $T.max(0, -left)", Math.class)
        .addStatement("int jHi = $T.min($L, $L - left)", Math.class, kw, conv.inWidth())
        .beginControlFlow("for (int c = 0; c < $L; c++)", conv.inChannels())
        .beginControlFlow("for (int i = 0; i < $L; i++)", kh)
        .addStatement("int iy = y * $L + i - $L", conv.strideHeight(), conv.padHeight())
        .beginControlFlow("if (iy >= 0 && iy < $L)", conv.inHeight())
        .addStatement("int start = (c * $L + iy) * $L + left", conv.inHeight(), conv.inWidth())
        .addStatement("int q = (c * $L + i) * $L", kh, kw)
        .beginControlFlow("for (int j = jLo; j < jHi; j++)")
        .addStatement("row[q + j] = xRow[start + j]")
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .build();
  }

  private static CodeBlock endPatchLoops() {
    return CodeBlock.builder()
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .build();
  }

  /** The naive loops a conv's forward computes, as a comment (the reference interpreter's). */
  private static CodeBlock naiveForwardComment(Conv conv) {
    return CodeBlock.of(
        "// naive reference (the reference interpreter's loops, and the inference class's direct"
            + " convolution):\n"
            + "//   for o < $L, y < $L, x < $L: z[o][y][x] = $L Σ_{c<$L, i<$L, j<$L} K[o][c][i][j] ·"
            + " in[c][y·$L + i − $L][x·$L + j − $L]\n"
            + "//   (0 outside the image). Here each row is im2col'd and z is one matrix product"
            + " through the runtime's kernels.\n",
        conv.outChannels(),
        conv.outHeight(),
        conv.outWidth(),
        conv.bias() ? "b[o] +" : "",
        conv.inChannels(),
        conv.kernelHeight(),
        conv.kernelWidth(),
        conv.strideHeight(),
        conv.padHeight(),
        conv.strideWidth(),
        conv.padWidth());
  }

  /** The naive loops of a conv's dx, as a comment. */
  private static CodeBlock naiveBackwardComment(Conv conv) {
    return CodeBlock.of(
        "// naive reference: dx[c][y·$L + i − $L][x·$L + j − $L] += δ[o][y][x] · K[o][c][i][j] for"
            + " every o, y, x, c, i, j\n"
            + "// inside the image: the convolution of δ with the kernel flipped. Here"
            + " dcols = Kᵀ·δ, then col2im.\n",
        conv.strideHeight(),
        conv.padHeight(),
        conv.strideWidth(),
        conv.padWidth());
  }

  /** {@code 6×28×28}. */
  static String shape(int channels, int height, int width) {
    return channels + "×" + height + "×" + width;
  }
}
