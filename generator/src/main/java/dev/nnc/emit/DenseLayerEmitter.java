package dev.nnc.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.nnc.ir.Activation;
import dev.nnc.ir.Dense;
import java.util.Arrays;
import javax.lang.model.element.Modifier;

/**
 * A dense layer's {@code …Forward} and {@code …Backward} methods. Both walk the batch row by row
 * and do all of the layer's work on that row while it is in cache. Tiny layers (at most {@link
 * EmitContext#UNROLL_LIMIT} weights) are straight-line code with constant indices; larger ones are
 * loops with {@code static final} bounds whose matrix products are the runtime's kernels ({@code
 * Kernels.INSTANCE.matmulRows / matmulColumns}: plain Java that C2 vectorises, or the Vector API).
 */
final class DenseLayerEmitter {
  private final EmitContext context;
  private final ActivationEmitter activations;

  DenseLayerEmitter(EmitContext context) {
    this.context = context;
    this.activations = new ActivationEmitter(context.numeric);
  }

  // Emits private void hiddenForward(int from, int to) { … } with the body of loopedForward
  // (the runtime's matmul kernels) or, for a layer of at most UNROLL_LIMIT weights, of
  // unrolledForward:
  //
  //     for (int r = from; r < to; r++) {
  //       double[] xRow = x[r];
  //       double[] zRow = outZ[r];
  //       zRow[0] = outB[0] + xRow[0] * outW[0][0] + xRow[1] * outW[1][0];
  //       double[] aRow = outA[r];
  //       aRow[0] = 1.0 / (1.0 + NncMath.exp(-zRow[0]));
  //     }
  MethodSpec forward(int l) {
    Dense layer = context.layer(l);
    LayerNames names = context.names(l);
    CodeBlock code = context.unrolled(l) ? unrolledForward(l) : loopedForward(l);
    if (layer.dropsOut()) {
      code = code.toBuilder().add(dropoutForward(l)).build();
    }
    return MethodSpec.methodBuilder(names.forward())
        .addModifiers(Modifier.PRIVATE)
        .addJavadoc(
            "Forward of {@code $L}$L: z = $L · W$L$L, for rows {@code from} to {@code to − 1}.\n",
            EmitContext.text(layer.name()),
            EmitContext.line(layer.span()),
            context.layerInputName(l),
            layer.bias() ? " + b" : "",
            layer.activation() == Activation.IDENTITY
                ? " (identity: a is z)"
                : ", a = " + layer.activation().keyword() + "(z)")
        .addParameter(int.class, "from")
        .addParameter(int.class, "to")
        .addCode(code)
        .build();
  }

  // Emits (hidden, dropout(0.5), double):
  //
  //     // dropout(0.5): in training, d (N×30) = a ⊙ m with m[r][j] = 0 (probability 0.5) or
  //     // 1/(1 − 0.5), from Dropout.keep of (seed, step, layer 0, row); otherwise d = a
  //     if (dropping) {
  //       for (int r = from; r < to; r++) {
  //         long key = Dropout.rowKey(dropoutSeed, dropoutStep, 0, dropoutRowOffset + r);
  //         double[] aRow = hiddenA[r];
  //         double[] mRow = hiddenM[r];
  //         double[] dRow = hiddenD[r];
  //         for (int j = 0; j < HIDDEN_OUT; j++) {
  //           double m = Dropout.keep(key, j, HIDDEN_KEEP_THRESHOLD) ? HIDDEN_KEEP_SCALE : 0.0;
  //           mRow[j] = m;
  //           dRow[j] = aRow[j] * m;
  //         }
  //       }
  //     } else {
  //       for (int r = from; r < to; r++) {
  //         System.arraycopy(hiddenA[r], 0, hiddenD[r], 0, HIDDEN_OUT);
  //       }
  //     }
  private CodeBlock dropoutForward(int l) {
    Dense layer = context.layer(l);
    LayerNames names = context.names(l);
    Numeric numeric = context.numeric;
    String width = names.outConstant();
    return CodeBlock.builder()
        .add(
            "// dropout($L): in training, d ($L) = a ⊙ m with m[r][j] = 0 (probability $L) or\n"
                + "// 1/(1 − $L), from Dropout.keep of (seed, step, layer $L, row); otherwise d ="
                + " a\n",
            layer.dropout(),
            shapeN(layer.out()),
            layer.dropout(),
            layer.dropout(),
            l)
        .beginControlFlow("if (dropping)")
        .beginControlFlow("for (int r = from; r < to; r++)")
        .addStatement(
            "long key = $T.rowKey(dropoutSeed, dropoutStep, $L, dropoutRowOffset + r)", DROPOUT, l)
        .addStatement("$T aRow = $N[r]", numeric.vector(), names.activation())
        .addStatement("$T mRow = $N[r]", numeric.vector(), names.mask())
        .addStatement("$T dRow = $N[r]", numeric.vector(), names.dropped())
        .beginControlFlow("for (int j = 0; j < $N; j++)", width)
        .addStatement(
            "$T m = $T.keep(key, j, $N) ? $N : $L",
            numeric.scalar(),
            DROPOUT,
            names.keepThreshold(),
            names.keepScale(),
            numeric.literal(0))
        .addStatement("mRow[j] = m")
        .addStatement("dRow[j] = aRow[j] * m")
        .endControlFlow()
        .endControlFlow()
        .nextControlFlow("else")
        .beginControlFlow("for (int r = from; r < to; r++)")
        .addStatement(
            "$T.arraycopy($N[r], 0, $N[r], 0, $N)",
            System.class,
            names.activation(),
            names.dropped(),
            width)
        .endControlFlow()
        .endControlFlow()
        .build();
  }

  // Emits, first in the backward of a layer with dropout: da, written by the next layer as
  // ∂loss/∂d, becomes ∂loss/∂a = ∂loss/∂d ⊙ m (nothing to do when the step did not drop).
  private CodeBlock dropoutBackward(int l) {
    LayerNames names = context.names(l);
    Numeric numeric = context.numeric;
    return CodeBlock.builder()
        .add(
            "// dropout: ∂loss/∂a ($L) = ∂loss/∂d ⊙ m, the mask of the forward pass\n",
            shapeN(context.layer(l).out()))
        .beginControlFlow("if (dropping)")
        .beginControlFlow("for (int r = from; r < to; r++)")
        .addStatement("$T daRow = $N[r]", numeric.vector(), names.activationDelta())
        .addStatement("$T mRow = $N[r]", numeric.vector(), names.mask())
        .beginControlFlow("for (int j = 0; j < $N; j++)", names.outConstant())
        .addStatement("daRow[j] *= mRow[j]")
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .build();
  }

  static final com.palantir.javapoet.ClassName DROPOUT =
      com.palantir.javapoet.ClassName.get(dev.nnc.runtime.Dropout.class);

  /** The row loop of an unrolled layer: straight-line code with constant indices. */
  private CodeBlock unrolledForward(int l) {
    Dense layer = context.layer(l);
    LayerNames names = context.names(l);
    Numeric numeric = context.numeric;
    CodeBlock.Builder code = CodeBlock.builder();
    code.beginControlFlow("for (int r = from; r < to; r++)");
    code.addStatement("$T xRow = $N[r]", numeric.vector(), context.layerInput(l));
    code.addStatement("$T zRow = $N[r]", numeric.vector(), names.preActivation());
    code.add(
        "// z ($L) = x ($L) · W ($L)$L, one row at a time\n",
        shapeN(layer.out()),
        shapeN(layer.in()),
        EmitContext.shape(layer.in(), layer.out()),
        layer.bias() ? " + b (" + layer.out() + ")" : "");
    code.add(unrolledSums(layer, names.weights(), layer.bias() ? names.bias() : null));
    if (layer.activation() != Activation.IDENTITY) {
      code.addStatement("$T aRow = $N[r]", numeric.vector(), names.activation());
      code.add("// a ($L) = $L(z)\n", shapeN(layer.out()), layer.activation().keyword());
      code.add(activations.forwardRow(layer.activation(), names.outConstant(), layer.out(), true));
    }
    return code.endControlFlow().build();
  }

  /**
   * {@code zRow[j] = b[j] + xRow[0] * W[0][j] + …} for every j: an unrolled layer's row, left to
   * right with no fused multiply-add (Java never fuses), in the trainer and the inference class.
   */
  private static CodeBlock unrolledSums(Dense layer, String weights, String bias) {
    CodeBlock.Builder code = CodeBlock.builder();
    for (int j = 0; j < layer.out(); j++) {
      CodeBlock.Builder sum = CodeBlock.builder();
      if (bias != null) {
        sum.add("$N[$L]", bias, j);
      }
      for (int i = 0; i < layer.in(); i++) {
        if (i > 0 || bias != null) {
          sum.add(" + ");
        }
        sum.add("xRow[$L] * $N[$L][$L]", i, weights, i, j);
      }
      code.addStatement("zRow[$L] = $L", j, sum.build());
    }
    return code.build();
  }

  // Emits, for the inference class (looped layer hidden 784→30, sigmoid, double; xRow, zRow
  // locals of the caller):
  //
  //   // z (30) = x (784) · W (784×30) + b (30): z starts as b, then z_j = fma(x_i, W_ij, z_j) for
  //   // i ascending, as the trainer's Kernels.matmulRows computes every element
  //   System.arraycopy(b0, 0, zRow, 0, 30);
  //   for (int i = 0; i < 784; i++) {
  //     double xi = xRow[i];
  //     double[] w = w0[i];
  //     for (int j = 0; j < 30; j++) {
  //       zRow[j] = Math.fma(xi, w[j], zRow[j]);
  //     }
  //   }
  //   double[] aRow = zRow;
  //   for (int j = 0; j < 30; j++) {
  //     aRow[j] = 1.0 / (1.0 + StrictMath.exp(-zRow[j]));
  //   }
  //
  // and for a layer of at most UNROLL_LIMIT weights the trainer's own straight-line row
  // (unrolledSums, then the activation unrolled).
  /**
   * One row of the layer's forward, {@code a = act(x · W + b)}, as JDK-only statements for the
   * inference class: {@code xRow} and {@code zRow} are locals of the caller, {@code weights} and
   * {@code bias} (null without one) its fields, and the activation is written into {@code zRow} in
   * place. The arithmetic is the trainer's term for term (the same straight-line code for an
   * unrolled layer; for a looped one the fused multiply-adds, in the order, of the runtime's matrix
   * kernels), so the inference class predicts the trainer's bits.
   */
  static CodeBlock inferenceRow(Dense layer, Numeric numeric, String weights, String bias) {
    CodeBlock.Builder code = CodeBlock.builder();
    boolean unrolled = EmitContext.unrolled(layer);
    if (unrolled) {
      code.add(
          "// z ($L) = x ($L) · W ($L)$L, straight-line as in the trainer\n",
          layer.out(),
          layer.in(),
          EmitContext.shape(layer.in(), layer.out()),
          bias != null ? " + b (" + layer.out() + ")" : "");
      code.add(unrolledSums(layer, weights, bias));
    } else {
      code.add(
          "// z ($L) = x ($L) · W ($L)$L: z starts as $L, then z_j = fma(x_i, W_ij, z_j) for\n"
              + "// i ascending, as the trainer's Kernels.matmulRows computes every element\n",
          layer.out(),
          layer.in(),
          EmitContext.shape(layer.in(), layer.out()),
          bias != null ? " + b (" + layer.out() + ")" : "",
          bias != null ? "b" : "0");
      if (bias != null) {
        code.addStatement("$T.arraycopy($N, 0, zRow, 0, $L)", System.class, bias, layer.out());
      } else {
        code.addStatement("$T.fill(zRow, $L)", Arrays.class, numeric.literal(0));
      }
      code.beginControlFlow("for (int i = 0; i < $L; i++)", layer.in())
          .addStatement("$T xi = xRow[i]", numeric.scalar())
          .addStatement("$T w = $N[i]", numeric.vector(), weights)
          .beginControlFlow("for (int j = 0; j < $L; j++)", layer.out())
          .addStatement("zRow[j] = $T.fma(xi, w[j], zRow[j])", Math.class)
          .endControlFlow()
          .endControlFlow();
    }
    if (layer.activation() != Activation.IDENTITY) {
      code.addStatement("$T aRow = zRow", numeric.vector());
      code.add(
          new ActivationEmitter(numeric, ClassName.get(StrictMath.class))
              .forwardRow(
                  layer.activation(), Integer.toString(layer.out()), layer.out(), unrolled));
    }
    return code.build();
  }

  // Emits (looped layer hidden 1000→100, relu, double):
  //
  //     // z (N×100) = x (N×1000) · W (1000×100) + b (100): z starts as b, then every row of z is
  //     // updated from the rows of W (Kernels.matmulRowsPanel, whose Vector API tiles read W
  //     // from its panel, one stream per group of vectors; plain Java reads W)
  //     for (int r = from; r < to; r++) {
  //       System.arraycopy(hiddenB, 0, hiddenZ[r], 0, HIDDEN_OUT);
  //     }
  //     Kernels.INSTANCE.matmulRowsPanel(hiddenZ, x, hiddenW, hiddenWP, from, to, 0, HIDDEN_IN,
  //         HIDDEN_OUT);
  //     for (int r = from; r < to; r++) {
  //       double[] zRow = hiddenZ[r];
  //       double[] aRow = hiddenA[r];
  //       // a (N×100) = relu(z)
  //       …
  //     }
  //
  // A sigmoid layer calls the kernels instead, the block's rows in one call (the Vector API
  // computes NncMath.exp lane by lane, with the same bits):
  //
  //     Kernels.INSTANCE.sigmoid(hiddenZ, hiddenA, from, to, HIDDEN_OUT);
  private CodeBlock loopedForward(int l) {
    Dense layer = context.layer(l);
    LayerNames names = context.names(l);
    Numeric numeric = context.numeric;
    String x = context.layerInput(l);
    String w = names.weights();
    String z = names.preActivation();
    String width = names.outConstant();
    CodeBlock.Builder code = CodeBlock.builder();
    String panel = context.panel(l);
    code.add(
        "// z ($L) = x ($L) · W ($L)$L: z starts as $L, then every row of z is\n"
            + (panel != null
                ? "// updated from the rows of W (Kernels.matmulRowsPanel, whose Vector API tiles read W\n"
                    + "// from its panel, one stream per group of vectors; plain Java reads W)\n"
                : "// updated from the rows of W (Kernels.matmulRows, which takes W in slices that stay in\n"
                    + "// cache while all the batch rows use them)\n"),
        shapeN(layer.out()),
        shapeN(layer.in()),
        EmitContext.shape(layer.in(), layer.out()),
        layer.bias() ? " + b (" + layer.out() + ")" : "",
        layer.bias() ? "b" : "0");
    code.beginControlFlow("for (int r = from; r < to; r++)");
    if (layer.bias()) {
      code.addStatement("$T.arraycopy($N, 0, $N[r], 0, $N)", System.class, names.bias(), z, width);
    } else {
      code.addStatement("$T.fill($N[r], $L)", Arrays.class, z, numeric.literal(0));
    }
    code.endControlFlow();
    if (panel != null) {
      code.addStatement(
          "$T.INSTANCE.matmulRowsPanel($N, $N, $N, $N, from, to, 0, $N, $N)",
          KernelEmitter.KERNELS,
          z,
          x,
          w,
          panel,
          names.inConstant(),
          width);
    } else {
      // minibatches of fewer than PANEL_MIN_BATCH rows: no panel (EmitContext.panelsPay)
      code.addStatement(
          "$T.INSTANCE.matmulRows($N, $N, $N, from, to, 0, $N, $N)",
          KernelEmitter.KERNELS,
          z,
          x,
          w,
          names.inConstant(),
          width);
    }
    if (layer.activation() == Activation.SIGMOID) {
      // the kernels' sigmoid: NncMath.exp lane by lane with the Vector API, the same bits (in
      // float: exp in double, rounded once to float, as the scalar formula)
      // the block's rows in one call (the kernel gathers them into chunks of doubles; a call per
      // row of S3's 25 float numbers cost as much again as the sigmoid itself)
      code.add(
          numeric == Numeric.DOUBLE
              ? "// a ($L) = sigmoid(z) = 1.0 / (1.0 + NncMath.exp(-z)), rows from..to in one call"
                  + " (Kernels.sigmoid)\n"
              : "// a ($L) = sigmoid(z) = 1.0f / (1.0f + (float) NncMath.exp(-z)), rows from..to in"
                  + " one call (Kernels.sigmoid)\n",
          shapeN(layer.out()));
      code.addStatement(
          "$T.INSTANCE.sigmoid($N, $N, from, to, $N)",
          KernelEmitter.KERNELS,
          z,
          names.activation(),
          width);
    } else if (layer.activation() != Activation.IDENTITY) {
      code.beginControlFlow("for (int r = from; r < to; r++)")
          .addStatement("$T zRow = $N[r]", numeric.vector(), z)
          .addStatement("$T aRow = $N[r]", numeric.vector(), names.activation());
      code.add("// a ($L) = $L(z)\n", shapeN(layer.out()), layer.activation().keyword());
      code.add(activations.forwardRow(layer.activation(), width, layer.out(), false));
      code.endControlFlow();
    }
    return code.build();
  }

  // Emits (unrolled layer out 4→1, sigmoid, not the first layer): the rows part of the backward
  // pass, δ and dx, which each row computes alone (so two threads can take a half of the batch
  // each); dW and db, which sum over every row, are left to outGradients.
  //
  //   private void outBackward(int from, int to) {
  //     for (int r = from; r < to; r++) {
  //       double[] dzRow = dOutZ[r];
  //       double[] daRow = dOutA[r];
  //       double[] aRow = outA[r];
  //       // δ (N×1) = da ⊙ a ⊙ (1 − a)
  //       dzRow[0] = daRow[0] * aRow[0] * (1.0 - aRow[0]);
  //       // dx (N×4) = δ (N×1) · Wᵀ (1×4): dx[r][i] = Σ_j δ[r][j]·W[i][j], the da of hidden
  //       double[] dxRow = dHiddenA[r];
  //       dxRow[0] = dzRow[0] * outW[0][0];
  //       …
  //     }
  //   }
  MethodSpec backward(int l) {
    Dense layer = context.layer(l);
    LayerNames names = context.names(l);
    Numeric numeric = context.numeric;
    boolean unrolled = context.unrolled(l);
    boolean activationBackward =
        layer.activation() != Activation.IDENTITY
            && !(context.isOutput(l) && context.lossWritesPreActivationDelta());

    CodeBlock code =
        unrolled ? unrolledBackward(l, activationBackward) : loopedBackward(l, activationBackward);
    if (layer.dropsOut()) {
      code = dropoutBackward(l).toBuilder().add(code).build();
    }

    return MethodSpec.methodBuilder(names.backward())
        .addModifiers(Modifier.PRIVATE)
        .addJavadoc(backwardJavadoc(l, activationBackward))
        .addParameter(int.class, "from")
        .addParameter(int.class, "to")
        .addCode(code)
        .build();
  }

  // Emits (looped layer hidden 784→30, with a bias):
  //
  //   /** dW and db of hidden (line 4), from every row's δ: rows iFrom to iTo − 1 of dW, and db
  //    *  with the first rows. */
  //   private void hiddenGradients(int from, int to, int iFrom, int iTo, boolean add) {
  //     // dW (784×30) = xᵀ (784×N) · δ (N×30): rows iFrom..iTo of dW, each element over all the
  //     // batch rows (Kernels.matmulColumns, which takes them in blocks whose δ stays in cache)
  //     if (add) {   (the one-thread step's later blocks: the chains continued)
  //       Kernels.INSTANCE.matmulColumnsAdd(dHiddenW, x, dHiddenZ, iFrom, iTo, from, to,
  // HIDDEN_OUT);
  //     } else {
  //       Kernels.INSTANCE.matmulColumns(dHiddenW, x, dHiddenZ, iFrom, iTo, from, to, HIDDEN_OUT);
  //     }
  //     if (iFrom == 0 && iTo > 0) {
  //       // db (30) += δ, summed over the rows
  //       for (int r = from; r < to; r++) { … dHiddenB[j] += dzRow[j]; }
  //     }
  //   }
  //
  // and for an unrolled layer, gradients(int from, int to): the row loop of dW[i][j] +=
  // x[r][i]·δ[r][j]
  // and db[j] += δ[r][j] as straight-line statements.
  MethodSpec gradients(int l) {
    Dense layer = context.layer(l);
    LayerNames names = context.names(l);
    Numeric numeric = context.numeric;
    boolean unrolled = context.unrolled(l);
    String x = context.layerInput(l);
    String dz = names.preActivationDelta();
    String weightShape = EmitContext.shape(layer.in(), layer.out());
    MethodSpec.Builder method =
        MethodSpec.methodBuilder(names.gradients())
            .addModifiers(Modifier.PRIVATE)
            .addParameter(int.class, "from")
            .addParameter(int.class, "to");
    CodeBlock.Builder code = CodeBlock.builder();
    CodeBlock.Builder bias = CodeBlock.builder();
    if (layer.bias()) {
      bias.add("// db ($L) += δ, summed over the rows\n", layer.out())
          .beginControlFlow("for (int r = from; r < to; r++)")
          .addStatement("$T dzRow = $N[r]", numeric.vector(), dz);
      if (unrolled) {
        for (int j = 0; j < layer.out(); j++) {
          bias.addStatement("$N[$L] += dzRow[$L]", names.biasGradient(), j, j);
        }
      } else {
        bias.beginControlFlow("for (int j = 0; j < $N; j++)", names.outConstant())
            .addStatement("$N[j] += dzRow[j]", names.biasGradient())
            .endControlFlow();
      }
      bias.endControlFlow();
    }
    if (unrolled) {
      method.addJavadoc(
          "dW$L of {@code $L}$L from the δ of rows {@code from} to {@code to − 1}, added to the"
              + " zeroed\ngradients.\n",
          layer.bias() ? " and db" : "",
          EmitContext.text(layer.name()),
          EmitContext.line(layer.span()));
      code.add(
          "// dW ($L) += xᵀ ($L) · δ ($L): dW[i][j] += x[r][i]·δ[r][j], summed over the rows r\n",
          weightShape,
          transposedN(layer.in()),
          shapeN(layer.out()));
      code.beginControlFlow("for (int r = from; r < to; r++)")
          .addStatement("$T xRow = $N[r]", numeric.vector(), x)
          .addStatement("$T dzRow = $N[r]", numeric.vector(), dz);
      for (int i = 0; i < layer.in(); i++) {
        for (int j = 0; j < layer.out(); j++) {
          code.addStatement(
              "$N[$L][$L] += xRow[$L] * dzRow[$L]", names.weightGradient(), i, j, i, j);
        }
      }
      code.endControlFlow();
      code.add(bias.build());
    } else {
      method
          .addJavadoc(
              "dW$L of {@code $L}$L from the δ of rows {@code from} to {@code to − 1}: rows {@code"
                  + " iFrom} to\n{@code iTo − 1} of dW, written whole$L.\n",
              layer.bias() ? " and db" : "",
              EmitContext.text(layer.name()),
              EmitContext.line(layer.span()),
              layer.bias() ? ", and db (added to) with the slice that holds row 0" : "")
          .addJavadoc(
              "With {@code add}, dW's chains are continued from what it holds (the rows before"
                  + " {@code from}),\nnot started from zero: the one-thread step adds block after"
                  + " block.\n")
          .addParameter(int.class, "iFrom")
          .addParameter(int.class, "iTo")
          .addParameter(boolean.class, "add");
      code.add(
          "// dW ($L) = xᵀ ($L) · δ ($L): rows iFrom..iTo of dW, each element over all the\n"
              + "// batch rows (Kernels.matmulColumns, which takes them in blocks whose δ stays in"
              + " cache)\n",
          weightShape,
          transposedN(layer.in()),
          shapeN(layer.out()));
      code.beginControlFlow("if (add)")
          .addStatement(
              "$T.INSTANCE.matmulColumnsAdd($N, $N, $N, iFrom, iTo, from, to, $N)",
              KernelEmitter.KERNELS,
              names.weightGradient(),
              x,
              dz,
              names.outConstant())
          .nextControlFlow("else")
          .addStatement(
              "$T.INSTANCE.matmulColumns($N, $N, $N, iFrom, iTo, from, to, $N)",
              KernelEmitter.KERNELS,
              names.weightGradient(),
              x,
              dz,
              names.outConstant())
          .endControlFlow();
      if (layer.bias()) {
        // only the slice that holds row 0: with more slices than rows, several start at 0
        code.beginControlFlow("if (iFrom == 0 && iTo > 0)").add(bias.build()).endControlFlow();
      }
    }
    return method.addCode(code.build()).build();
  }

  /** Row by row, straight-line statements with constant indices (a layer of at most 16 weights). */
  private CodeBlock unrolledBackward(int l, boolean activationBackward) {
    Dense layer = context.layer(l);
    LayerNames names = context.names(l);
    Numeric numeric = context.numeric;
    boolean unrolled = true;
    String inShape = shapeN(layer.in());
    String outShape = shapeN(layer.out());
    CodeBlock.Builder code = CodeBlock.builder();
    code.beginControlFlow("for (int r = from; r < to; r++)");
    code.addStatement("$T dzRow = $N[r]", numeric.vector(), names.preActivationDelta());
    if (activationBackward) {
      code.addStatement("$T daRow = $N[r]", numeric.vector(), names.activationDelta());
      if (layer.activation() == Activation.RELU) {
        code.addStatement("$T zRow = $N[r]", numeric.vector(), names.preActivation());
      } else {
        code.addStatement("$T aRow = $N[r]", numeric.vector(), names.activation());
      }
      code.add("// δ ($L) = $L\n", outShape, ActivationEmitter.derivativeText(layer.activation()));
      code.add(
          activations.backwardRow(layer.activation(), names.outConstant(), layer.out(), unrolled));
    }

    String inputDelta = context.layerInputDelta(l);
    if (inputDelta != null) {
      code.add(
          "// dx ($L) = δ ($L) · Wᵀ ($L): dx[r][i] = Σ_j δ[r][j]·W[i][j], the da of $L\n",
          inShape,
          outShape,
          EmitContext.shape(layer.out(), layer.in()),
          context.layerInputName(l));
      code.addStatement("$T dxRow = $N[r]", numeric.vector(), inputDelta);
      if (unrolled) {
        for (int i = 0; i < layer.in(); i++) {
          CodeBlock.Builder sum = CodeBlock.builder();
          for (int j = 0; j < layer.out(); j++) {
            sum.add(j == 0 ? "" : " + ").add("dzRow[$L] * $N[$L][$L]", j, names.weights(), i, j);
          }
          code.addStatement("dxRow[$L] = $L", i, sum.build());
        }
      } else {
        code.beginControlFlow("for (int i = 0; i < $N; i++)", names.inConstant())
            .addStatement("$T wRow = $N[i]", numeric.vector(), names.weights())
            .addStatement("$T sum = $L", numeric.scalar(), numeric.literal(0))
            .beginControlFlow("for (int j = 0; j < $N; j++)", names.outConstant())
            .addStatement("sum += dzRow[j] * wRow[j]")
            .endControlFlow()
            .addStatement("dxRow[i] = sum")
            .endControlFlow();
      }
    }
    return code.endControlFlow().build();
  }

  // Emits (looped layer out 100→10, identity, not the first layer, double):
  //
  //     // dx (N×100) = δ (N×10) · Wᵀ (10×100), the da of hidden: with the copy of Wᵀ made by
  //     // transposeWeights, each row of dx is an axpy along the 100 inputs over the rows of Wᵀ
  //     for (int r = from; r < to; r++) {
  //       Arrays.fill(dHiddenA[r], 0.0);
  //     }
  //     Kernels.INSTANCE.matmulRows(dHiddenA, dOutZ, outWT, from, to, 0, OUT_OUT, OUT_IN);
  //
  // preceded, when the layer has an activation to undo, by a row loop writing δ from da.
  private CodeBlock loopedBackward(int l, boolean activationBackward) {
    Dense layer = context.layer(l);
    LayerNames names = context.names(l);
    Numeric numeric = context.numeric;
    String dz = names.preActivationDelta();
    String in = names.inConstant();
    String out = names.outConstant();
    CodeBlock.Builder code = CodeBlock.builder();
    if (activationBackward) {
      code.beginControlFlow("for (int r = from; r < to; r++)")
          .addStatement("$T dzRow = $N[r]", numeric.vector(), dz)
          .addStatement("$T daRow = $N[r]", numeric.vector(), names.activationDelta());
      if (layer.activation() == Activation.RELU) {
        code.addStatement("$T zRow = $N[r]", numeric.vector(), names.preActivation());
      } else {
        code.addStatement("$T aRow = $N[r]", numeric.vector(), names.activation());
      }
      code.add(
          "// δ ($L) = $L\n",
          shapeN(layer.out()),
          ActivationEmitter.derivativeText(layer.activation()));
      code.add(activations.backwardRow(layer.activation(), out, layer.out(), false));
      code.endControlFlow();
    }

    String inputDelta = context.layerInputDelta(l);
    if (inputDelta != null) {
      String wt = names.transposedWeights();
      code.add(
          "// dx ($L) = δ ($L) · Wᵀ ($L), the da of $L: with the copy of Wᵀ made by\n"
              + "// transposeWeights, each row of dx is an axpy along the $L inputs over the rows"
              + " of Wᵀ\n",
          shapeN(layer.in()),
          shapeN(layer.out()),
          EmitContext.shape(layer.out(), layer.in()),
          context.layerInputName(l),
          layer.in());
      code.beginControlFlow("for (int r = from; r < to; r++)")
          .addStatement("$T.fill($N[r], $L)", Arrays.class, inputDelta, numeric.literal(0))
          .endControlFlow()
          .addStatement(
              "$T.INSTANCE.matmulRows($N, $N, $N, from, to, 0, $N, $N)",
              KernelEmitter.KERNELS,
              inputDelta,
              dz,
              wt,
              out,
              in);
    }
    return code.build();
  }

  // Emits (when some layer keeps a copy of Wᵀ):
  //
  //   private void transposeWeights() {
  //     // Wᵀ of out (10×100)
  //     for (int i = 0; i < OUT_IN; i++) {
  //       double[] wRow = outW[i];
  //       for (int j = 0; j < OUT_OUT; j++) {
  //         outWT[j][i] = wRow[j];
  //       }
  //     }
  //   }
  java.util.Optional<MethodSpec> transposeWeights() {
    CodeBlock.Builder code = CodeBlock.builder();
    for (int l = 0; l < context.layerCount(); l++) {
      LayerNames names = context.names(l);
      if (names.transposedWeights() == null) {
        continue;
      }
      Dense layer = context.layer(l);
      code.add(
          "// Wᵀ of $L ($L)\n",
          EmitContext.text(layer.name()),
          EmitContext.shape(layer.out(), layer.in()));
      code.beginControlFlow("for (int i = 0; i < $N; i++)", names.inConstant())
          .addStatement("$T wRow = $N[i]", context.numeric.vector(), names.weights())
          .beginControlFlow("for (int j = 0; j < $N; j++)", names.outConstant())
          .addStatement("$N[j][i] = wRow[j]", names.transposedWeights())
          .endControlFlow()
          .endControlFlow();
    }
    if (code.isEmpty()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        MethodSpec.methodBuilder("transposeWeights")
            .addModifiers(Modifier.PRIVATE)
            .addJavadoc(
                "Copies W into Wᵀ for the layers whose dx is an axpy over Wᵀ; once per step, before"
                    + " the backward passes\n(which may run on two threads) read it.\n")
            .addCode(code.build())
            .build());
  }

  // Emits the javadoc that says why the backward pass is what it is, e.g.
  //
  //   Backward of {@code out} (line 5): the forward pass read upside down. δ = ∂loss/∂z.
  //   <pre>
  //   δ  (N×10)    = da ⊙ a ⊙ (1 − a)
  //   dW (30×10)  += xᵀ (30×N) · δ (N×10)
  //   db (10)     += Σ_r δ[r]
  //   dx (N×30)    = δ (N×10) · Wᵀ (10×30)
  //   </pre>
  //   Why transposes: z[r][j] = Σ_i x[r][i]·W[i][j] + b[j], so W[i][j] meets x[r][i] and δ[r][j]
  //   in every row r: ∂loss/∂W[i][j] = Σ_r x[r][i]·δ[r][j], row i of xᵀ times column j of δ. …
  private CodeBlock backwardJavadoc(int l, boolean activationBackward) {
    Dense layer = context.layer(l);
    String n = EmitContext.text(layer.name());
    String in = Integer.toString(layer.in());
    String out = Integer.toString(layer.out());
    boolean looped = !context.unrolled(l);
    CodeBlock.Builder doc = CodeBlock.builder();
    doc.add(
        "Backward of {@code $L}$L: the forward pass read upside down, for rows {@code from} to"
            + " {@code to − 1}.\nδ = ∂loss/∂z. This method writes δ$L, which each row computes"
            + " alone; dW$L sum over every\nrow, so {@link #$L} writes them once all the rows are"
            + " done.\n\n<pre>\n",
        n,
        EmitContext.line(layer.span()),
        context.layerInputDelta(l) != null ? " and dx" : "",
        layer.bias() ? " and db" : "",
        context.names(l).gradients());
    if (layer.dropsOut()) {
      doc.add(
          "da (N×$L) = dd ⊙ m   (dropout: dd = ∂loss/∂d, d = a ⊙ m the output read next)\n", out);
    }
    if (activationBackward) {
      doc.add("δ  (N×$L) = $L\n", out, ActivationEmitter.derivativeText(layer.activation()));
    } else if (context.isOutput(l)) {
      doc.add("δ  (N×$L) written by the loss\n", out);
    } else {
      doc.add("δ  (N×$L) = da (identity)\n", out);
    }
    doc.add("dW ($L×$L) $L xᵀ ($L×N) · δ (N×$L)\n", in, out, looped ? " =" : "+=", in, out);
    if (layer.bias()) {
      doc.add("db ($L) += Σ_r δ[r]\n", out);
    }
    if (context.layerInputDelta(l) != null) {
      doc.add("dx (N×$L) = δ (N×$L) · Wᵀ ($L×$L)\n", in, out, out, in);
    }
    doc.add("</pre>\n\n");
    doc.add(
        "Why the transposes: z[r][j] = Σ_i x[r][i]·W[i][j]$L, so W[i][j] meets x[r][i] and δ[r][j]"
            + " in every row r,\nand ∂loss/∂W[i][j] = Σ_r x[r][i]·δ[r][j]: row i of xᵀ times column"
            + " j of δ.",
        layer.bias() ? " + b[j]" : "");
    if (context.layerInputDelta(l) != null) {
      doc.add(
          "\nLikewise x[r][i] reaches every z[r][j] through W[i][j], so ∂loss/∂x[r][i] ="
              + " Σ_j δ[r][j]·W[i][j]:\nrow r of δ times column i of Wᵀ.");
    } else {
      doc.add("\nThe input needs no gradient, so there is no dx.");
    }
    doc.add("\n");
    return doc.build();
  }

  private static String shapeN(int width) {
    return "N×" + width;
  }

  private static String transposedN(int width) {
    return width + "×N";
  }
}
