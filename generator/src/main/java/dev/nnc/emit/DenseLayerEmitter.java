package dev.nnc.emit;

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
 * loops with {@code static final} bounds, the innermost loop always over the layer's outputs j so
 * that it reads {@code c[j] += a * b[j]} on plain arrays, which C2 vectorises.
 */
final class DenseLayerEmitter {
  private final EmitContext context;
  private final ActivationEmitter activations;

  DenseLayerEmitter(EmitContext context) {
    this.context = context;
    this.activations = new ActivationEmitter(context.numeric);
  }

  // Emits (looped layer hidden 784→30, sigmoid):
  //
  //   private void hiddenForward(int rows) {
  //     for (int r = 0; r < rows; r++) {
  //       double[] xRow = x[r];
  //       double[] zRow = hiddenZ[r];
  //       // z (N×30) = x (N×784) · W (784×30) + b (30), one row at a time
  //       System.arraycopy(hiddenB, 0, zRow, 0, HIDDEN_OUT);
  //       for (int i = 0; i < HIDDEN_IN; i++) {
  //         double xi = xRow[i];
  //         double[] wRow = hiddenW[i];
  //         for (int j = 0; j < HIDDEN_OUT; j++) {
  //           zRow[j] += xi * wRow[j];
  //         }
  //       }
  //       double[] aRow = hiddenA[r];
  //       for (int j = 0; j < HIDDEN_OUT; j++) {
  //         aRow[j] = 1.0 / (1.0 + Math.exp(-zRow[j]));
  //       }
  //     }
  //   }
  //
  // and for an unrolled layer (2→1) the body of the row loop is straight-line:
  //
  //       zRow[0] = outB[0] + xRow[0] * outW[0][0] + xRow[1] * outW[1][0];
  //       aRow[0] = 1.0 / (1.0 + Math.exp(-zRow[0]));
  MethodSpec forward(int l) {
    Dense layer = context.layer(l);
    LayerNames names = context.names(l);
    Numeric numeric = context.numeric;
    String in = context.layerInput(l);
    CodeBlock.Builder code = CodeBlock.builder();
    code.beginControlFlow("for (int r = 0; r < rows; r++)");
    code.addStatement("$T xRow = $N[r]", numeric.vector(), in);
    code.addStatement("$T zRow = $N[r]", numeric.vector(), names.preActivation());
    code.add(
        "// z ($L) = x ($L) · W ($L)$L, one row at a time\n",
        shapeN(layer.out()),
        shapeN(layer.in()),
        EmitContext.shape(layer.in(), layer.out()),
        layer.bias() ? " + b (" + layer.out() + ")" : "");
    if (context.unrolled(l)) {
      for (int j = 0; j < layer.out(); j++) {
        CodeBlock.Builder sum = CodeBlock.builder();
        if (layer.bias()) {
          sum.add("$N[$L]", names.bias(), j);
        }
        for (int i = 0; i < layer.in(); i++) {
          if (i > 0 || layer.bias()) {
            sum.add(" + ");
          }
          sum.add("xRow[$L] * $N[$L][$L]", i, names.weights(), i, j);
        }
        code.addStatement("zRow[$L] = $L", j, sum.build());
      }
    } else {
      if (layer.bias()) {
        code.addStatement(
            "$T.arraycopy($N, 0, zRow, 0, $N)", System.class, names.bias(), names.outConstant());
      } else {
        code.addStatement("$T.fill(zRow, $L)", Arrays.class, numeric.literal(0));
      }
      code.beginControlFlow("for (int i = 0; i < $N; i++)", names.inConstant())
          .addStatement("$T xi = xRow[i]", numeric.scalar())
          .addStatement("$T wRow = $N[i]", numeric.vector(), names.weights())
          .beginControlFlow("for (int j = 0; j < $N; j++)", names.outConstant())
          .addStatement("zRow[j] += xi * wRow[j]")
          .endControlFlow()
          .endControlFlow();
    }
    if (layer.activation() != Activation.IDENTITY) {
      code.addStatement("$T aRow = $N[r]", numeric.vector(), names.activation());
      code.add("// a ($L) = $L(z)\n", shapeN(layer.out()), layer.activation().keyword());
      code.add(
          activations.forwardRow(
              layer.activation(), names.outConstant(), layer.out(), context.unrolled(l)));
    }
    code.endControlFlow();
    return MethodSpec.methodBuilder(names.forward())
        .addModifiers(Modifier.PRIVATE)
        .addJavadoc(
            "Forward of {@code $L}$L: z = $L · W$L$L, for the first {@code rows} rows.\n",
            EmitContext.text(layer.name()),
            EmitContext.line(layer.span()),
            l == 0 ? EmitContext.text(context.model.input().name())
                : EmitContext.text(context.layer(l - 1).name()),
            layer.bias() ? " + b" : "",
            layer.activation() == Activation.IDENTITY
                ? " (identity: a is z)"
                : ", a = " + layer.activation().keyword() + "(z)")
        .addParameter(int.class, "rows")
        .addCode(code.build())
        .build();
  }

  // Emits (looped layer out 30→10, sigmoid, not the first layer):
  //
  //   private void outBackward(int rows) {
  //     for (int r = 0; r < rows; r++) {
  //       double[] xRow = hiddenA[r];
  //       double[] dzRow = dOutZ[r];
  //       double[] daRow = dOutA[r];
  //       double[] aRow = outA[r];
  //       // δ (N×10) = da ⊙ a ⊙ (1 − a)
  //       for (int j = 0; j < OUT_OUT; j++) {
  //         dzRow[j] = daRow[j] * aRow[j] * (1.0 - aRow[j]);
  //       }
  //       // dW (30×10) += xᵀ (30×N) · δ (N×10): dW[i][j] += x[r][i]·δ[r][j], summed over the rows r
  //       for (int i = 0; i < OUT_IN; i++) {
  //         double xi = xRow[i];
  //         double[] dwRow = dOutW[i];
  //         for (int j = 0; j < OUT_OUT; j++) {
  //           dwRow[j] += xi * dzRow[j];
  //         }
  //       }
  //       // db (10) += δ, summed over the rows
  //       for (int j = 0; j < OUT_OUT; j++) {
  //         dOutB[j] += dzRow[j];
  //       }
  //       // dx (N×30) = δ (N×10) · Wᵀ (10×30): dx[r][i] = Σ_j δ[r][j]·W[i][j], the da of hidden
  //       double[] dxRow = dHiddenA[r];
  //       for (int i = 0; i < OUT_IN; i++) {
  //         double[] wRow = outW[i];
  //         double sum = 0.0;
  //         for (int j = 0; j < OUT_OUT; j++) {
  //           sum += dzRow[j] * wRow[j];
  //         }
  //         dxRow[i] = sum;
  //       }
  //     }
  //   }
  //
  // Unrolled layers get the same steps as straight-line statements
  // (dOutW[1][0] += xRow[1] * dzRow[0]; dxRow[1] = dzRow[0] * outW[1][0] + …).
  MethodSpec backward(int l) {
    Dense layer = context.layer(l);
    LayerNames names = context.names(l);
    Numeric numeric = context.numeric;
    boolean unrolled = context.unrolled(l);
    String inShape = shapeN(layer.in());
    String outShape = shapeN(layer.out());
    String weightShape = EmitContext.shape(layer.in(), layer.out());
    boolean activationBackward =
        layer.activation() != Activation.IDENTITY
            && !(context.isOutput(l) && context.lossWritesPreActivationDelta());

    CodeBlock.Builder code = CodeBlock.builder();
    code.beginControlFlow("for (int r = 0; r < rows; r++)");
    code.addStatement("$T xRow = $N[r]", numeric.vector(), context.layerInput(l));
    code.addStatement("$T dzRow = $N[r]", numeric.vector(), names.preActivationDelta());
    if (activationBackward) {
      code.addStatement("$T daRow = $N[r]", numeric.vector(), names.activationDelta());
      if (layer.activation() == Activation.RELU) {
        code.addStatement("$T zRow = $N[r]", numeric.vector(), names.preActivation());
      } else {
        code.addStatement("$T aRow = $N[r]", numeric.vector(), names.activation());
      }
      code.add("// δ ($L) = $L\n", outShape, ActivationEmitter.derivativeText(layer.activation()));
      code.add(activations.backwardRow(layer.activation(), names.outConstant(), layer.out(), unrolled));
    }

    code.add(
        "// dW ($L) += xᵀ ($L) · δ ($L): dW[i][j] += x[r][i]·δ[r][j], summed over the rows r\n",
        weightShape, transposedN(layer.in()), outShape);
    if (unrolled) {
      for (int i = 0; i < layer.in(); i++) {
        for (int j = 0; j < layer.out(); j++) {
          code.addStatement("$N[$L][$L] += xRow[$L] * dzRow[$L]", names.weightGradient(), i, j, i, j);
        }
      }
    } else {
      code.beginControlFlow("for (int i = 0; i < $N; i++)", names.inConstant())
          .addStatement("$T xi = xRow[i]", numeric.scalar())
          .addStatement("$T dwRow = $N[i]", numeric.vector(), names.weightGradient())
          .beginControlFlow("for (int j = 0; j < $N; j++)", names.outConstant())
          .addStatement("dwRow[j] += xi * dzRow[j]")
          .endControlFlow()
          .endControlFlow();
    }

    if (layer.bias()) {
      code.add("// db ($L) += δ, summed over the rows\n", layer.out());
      if (unrolled) {
        for (int j = 0; j < layer.out(); j++) {
          code.addStatement("$N[$L] += dzRow[$L]", names.biasGradient(), j, j);
        }
      } else {
        code.beginControlFlow("for (int j = 0; j < $N; j++)", names.outConstant())
            .addStatement("$N[j] += dzRow[j]", names.biasGradient())
            .endControlFlow();
      }
    }

    String inputDelta = context.layerInputDelta(l);
    if (inputDelta != null) {
      code.add(
          "// dx ($L) = δ ($L) · Wᵀ ($L): dx[r][i] = Σ_j δ[r][j]·W[i][j], the da of $L\n",
          inShape,
          outShape,
          EmitContext.shape(layer.out(), layer.in()),
          EmitContext.text(context.layer(l - 1).name()));
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
    code.endControlFlow();

    return MethodSpec.methodBuilder(names.backward())
        .addModifiers(Modifier.PRIVATE)
        .addJavadoc(backwardJavadoc(l, activationBackward))
        .addParameter(int.class, "rows")
        .addCode(code.build())
        .build();
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
    CodeBlock.Builder doc = CodeBlock.builder();
    doc.add(
        "Backward of {@code $L}$L: the forward pass read upside down, for the first {@code"
            + " rows} rows.\nδ = ∂loss/∂z; the parameter gradients only add (they were zeroed once,"
            + " before the backward pass).\n\n<pre>\n",
        n,
        EmitContext.line(layer.span()));
    if (activationBackward) {
      doc.add("δ  (N×$L) = $L\n", out, ActivationEmitter.derivativeText(layer.activation()));
    } else if (context.isOutput(l)) {
      doc.add("δ  (N×$L) written by the loss\n", out);
    } else {
      doc.add("δ  (N×$L) = da (identity)\n", out);
    }
    doc.add("dW ($L×$L) += xᵀ ($L×N) · δ (N×$L)\n", in, out, in, out);
    if (layer.bias()) {
      doc.add("db ($L) += Σ_r δ[r]\n", out);
    }
    if (l > 0) {
      doc.add("dx (N×$L) = δ (N×$L) · Wᵀ ($L×$L)\n", in, out, out, in);
    }
    doc.add("</pre>\n\n");
    doc.add(
        "Why the transposes: z[r][j] = Σ_i x[r][i]·W[i][j]$L, so W[i][j] meets x[r][i] and δ[r][j]"
            + " in every row r,\nand ∂loss/∂W[i][j] = Σ_r x[r][i]·δ[r][j]: row i of xᵀ times column"
            + " j of δ.",
        layer.bias() ? " + b[j]" : "");
    if (l > 0) {
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
