package dev.nnc.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.nnc.ir.Activation;
import dev.nnc.ir.Loss;
import dev.nnc.ir.Model;
import dev.nnc.ir.Reduction;
import dev.nnc.ir.Target;
import javax.lang.model.element.Modifier;

/**
 * The loss of a batch: {@code dataLoss} (the value only) and {@code lossAndDelta} (the value, and
 * the gradient it sends into the output layer). Where fusing the loss with the output activation is
 * exact and stable it is fused: softmax cross-entropy is computed max-subtracted and its gradient
 * is (softmax − onehot)·scale; binary cross-entropy on a sigmoid is computed from z in softplus
 * form and writes δ = (a − t)·scale straight into the output layer's ∂loss/∂z. Squared error writes
 * da = 2(a − t)·scale, which the output layer takes through its activation's derivative.
 *
 * <p>Loss sums are double whatever the precision: one scalar per batch, and the reported loss stays
 * accurate.
 */
final class LossEmitter {
  static final ClassName BATCH = ClassName.get("dev.nnc.runtime", "Batch");

  /** Softmax cross-entropy's exp of each row in a float network, kept for the δ. */
  static final String SOFTMAX_EXP = "softmaxExp";

  /** Whether the class needs the {@link #SOFTMAX_EXP} rows: a float network's softmax loss. */
  static boolean softmaxExpRows(Model model, Numeric numeric) {
    return model.loss().kind() == Loss.Kind.SOFTMAX_CROSS_ENTROPY && numeric != Numeric.DOUBLE;
  }

  /**
   * Binary cross-entropy's softplus(z) of each output, in double, from {@code Kernels.softplus}.
   */
  static final String SOFTPLUS_ROWS = "softplusRows";

  /**
   * Whether the class needs the {@link #SOFTPLUS_ROWS}: binary cross-entropy on a sigmoid output,
   * computed from z in softplus form.
   */
  static boolean softplusRows(EmitContext context) {
    return context.lossWritesPreActivationDelta();
  }

  private final EmitContext context;

  LossEmitter(EmitContext context) {
    this.context = context;
  }

  /** The exact factor of a reduction, as Java: {@code 1.0 / rows} for batch_mean, … */
  static CodeBlock scale(Reduction reduction) {
    return switch (reduction) {
      case SUM -> CodeBlock.of("1.0");
      case HALF_SUM -> CodeBlock.of("0.5");
      case MEAN -> CodeBlock.of("1.0 / ((double) rows * OUTPUT)");
      case BATCH_MEAN -> CodeBlock.of("1.0 / rows");
      case HALF_BATCH_MEAN -> CodeBlock.of("1.0 / (2.0 * rows)");
    };
  }

  /** {@code (1/n) Σ}, … for comments. */
  static String scaleText(Reduction reduction) {
    return switch (reduction) {
      case SUM -> "Σ";
      case HALF_SUM -> "½ Σ";
      case MEAN -> "(1/(n·k)) Σ";
      case BATCH_MEAN -> "(1/n) Σ";
      case HALF_BATCH_MEAN -> "(1/2n) Σ";
    };
  }

  /** The loss in words, e.g. {@code softmax_cross_entropy(out, y) reduce batch_mean}. */
  static String describe(Model model) {
    Loss loss = model.loss();
    String target = EmitContext.text(model.target().name());
    return loss.kind().name().toLowerCase(java.util.Locale.ROOT)
        + "("
        + EmitContext.text(model.outputLayer().name())
        + ", "
        + (loss.onehot() ? "onehot(" + target + ")" : target)
        + ") reduce "
        + loss.reduction().keyword()
        + (loss.weighted() ? " class_weights" + weightsText(loss) : "");
  }

  /** {@code (1.0, 4.0)}. */
  static String weightsText(Loss loss) {
    return loss.classWeights().stream()
        .map(String::valueOf)
        .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
  }

  // Emits (class_weights(1, 4, 2)):
  //
  //   /** class_weights: the factor of the loss of each class's rows (Keras' class_weight). */
  //   private static final double[] CLASS_WEIGHTS = {1.0, 4.0, 2.0};
  static com.palantir.javapoet.FieldSpec classWeightsField(Loss loss) {
    return com.palantir.javapoet.FieldSpec.builder(
            double[].class, "CLASS_WEIGHTS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc(
            "class_weights: the factor of the loss (and gradient) of each class's rows, by label.\n")
        .initializer(
            "{$L}",
            loss.classWeights().stream()
                .map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(", ")))
        .build();
  }

  // Emits (softmax cross-entropy, batch_mean, output layer scores, identity):
  //
  //   private double lossAndDelta(Batch batch, int rows) {
  //     double scale = 1.0 / rows;
  //     double sum = 0.0;
  //     for (int r = 0; r < rows; r++) {
  //       double[] aRow = scoresZ[r];
  //       double[] daRow = dScoresZ[r];
  //       int label = batch.labels[r];
  //       double max = aRow[0];
  //       for (int j = 1; j < OUTPUT; j++) {
  //         max = Math.max(max, aRow[j]);
  //       }
  //       double sumExp = 0.0;
  //       for (int j = 0; j < OUTPUT; j++) {
  //         double e = NncMath.exp(aRow[j] - max);
  //         daRow[j] = e;
  //         sumExp += e;
  //       }
  //       sum += NncMath.log(sumExp) - (aRow[label] - max);
  //       for (int j = 0; j < OUTPUT; j++) {
  //         daRow[j] = scale * (daRow[j] / sumExp - (j == label ? 1.0 : 0.0));
  //       }
  //
  // (float: the scores are first widened into a double row of their own, e = softmaxExp[r];
  // e[j] = aRow[j], the max and the exp read e, and e[j] = NncMath.exp(e[j] - max) is kept there
  // for the δ, e[j] / sumExp: a float daRow cannot hold the double exp).
  //     }
  //     return sum * scale;
  //   }
  //
  // dataLoss is the same without daRow. Squared error: diff = aRow[j] − t; sum += diff * diff;
  // daRow[j] = scale * 2.0 * diff. Binary cross-entropy on a sigmoid: softplus(z) of the rows
  // first,
  // Kernels.INSTANCE.softplus(outZ, softplusRows, from, to, OUTPUT) (softplusRows[r][j] =
  // Math.max(z, 0.0) + NncMath.log1p(NncMath.exp(-Math.abs(z))), exp and log1p lane by lane on the
  // Vector API path), then per row sum += sp[j] − t * z; dzRow[j] = scale * (aRow[j] − t).
  MethodSpec method(boolean withDelta) {
    Model model = context.model;
    Loss loss = model.loss();
    LayerNames output = context.outputNames();
    Numeric numeric = context.numeric;
    boolean fusedSigmoid = context.lossWritesPreActivationDelta();

    CodeBlock.Builder code = CodeBlock.builder();
    code.addStatement("double scale = $L", scale(loss.reduction()));
    code.addStatement("double sum = 0.0");
    if (fusedSigmoid) {
      code.add(
          "// softplus(z) = log(1 + e^z) = max(z, 0) + log1p(e^−|z|) of every output, in double (the"
              + " same\n// bits on both kernel paths; lane by lane on the Vector API one), then the"
              + " sum in row order\n");
      code.addStatement(
          "$T.INSTANCE.softplus($N, $N, $L, $L, OUTPUT)",
          KernelEmitter.KERNELS,
          output.preActivation(),
          SOFTPLUS_ROWS,
          withDelta ? "from" : "0",
          withDelta ? "to" : "rows");
    }
    code.beginControlFlow(
        withDelta ? "for (int r = from; r < to; r++)" : "for (int r = 0; r < rows; r++)");
    code.addStatement("$T aRow = $N[r]", numeric.vector(), output.activation());
    if (fusedSigmoid) {
      code.addStatement("$T zRow = $N[r]", numeric.vector(), output.preActivation());
      code.addStatement("double[] spRow = $N[r]", SOFTPLUS_ROWS);
      if (withDelta) {
        code.addStatement("$T dzRow = $N[r]", numeric.vector(), output.preActivationDelta());
      }
    } else if (withDelta) {
      code.addStatement("$T daRow = $N[r]", numeric.vector(), output.activationDelta());
    }
    boolean labels = model.target().kind() == Target.Kind.LABELS;
    boolean weighted = loss.weighted();
    // with class_weights, the row's terms and its gradient are multiplied by its class's weight
    CodeBlock deltaScale = CodeBlock.of(weighted ? "rowScale" : "scale");
    if (labels) {
      code.addStatement("int label = batch.labels[r]");
      if (weighted) {
        code.addStatement("double w = CLASS_WEIGHTS[label]");
        if (withDelta) {
          code.addStatement("double rowScale = scale * w");
        }
      }
    } else {
      code.addStatement("int base = r * OUTPUT");
    }
    // onehot(label), or for a 0/1 label against one sigmoid output the label itself
    CodeBlock target =
        !labels
            ? CodeBlock.of("batch.targets[base + j]")
            : loss.onehot() || loss.kind() == Loss.Kind.SOFTMAX_CROSS_ENTROPY
                ? CodeBlock.of("(j == label ? 1.0 : 0.0)")
                : CodeBlock.of("(label == 1 ? 1.0 : 0.0)");

    switch (loss.kind()) {
      case SQUARED_ERROR -> {
        code.beginControlFlow("for (int j = 0; j < OUTPUT; j++)");
        code.addStatement("double diff = aRow[j] - $L", target);
        code.addStatement(weighted ? "sum += w * (diff * diff)" : "sum += diff * diff");
        if (withDelta) {
          code.addStatement(
              "daRow[j] = $L", numeric.fromDouble(CodeBlock.of("$L * 2.0 * diff", deltaScale)));
        }
        code.endControlFlow();
      }
      case SOFTMAX_CROSS_ENTROPY -> {
        code.add(
            "// −log softmax(s)[y] = log Σ_j exp(s[j] − max) − (s[y] − max): exp cannot overflow\n");
        // a float network widens its scores once into the row's double scratch (exact, so the same
        // bits), and the max and the exp read them there: with the float → double conversion inside
        // the exp's loop, the float loss and δ of S2's 200 rows took 42 µs against 17 µs so (and 17
        // for the same code on double scores; bench/README.md, "Eighth round (issue 14)")
        boolean widen = numeric != Numeric.DOUBLE;
        String score = widen ? "e[j]" : "aRow[j]";
        if (widen) {
          code.addStatement("double[] e = $N[r]", SOFTMAX_EXP);
          code.beginControlFlow("for (int j = 0; j < OUTPUT; j++)")
              .addStatement("e[j] = aRow[j]")
              .endControlFlow();
        }
        code.addStatement(widen ? "double max = e[0]" : "double max = aRow[0]");
        code.beginControlFlow("for (int j = 1; j < OUTPUT; j++)")
            .addStatement("max = $T.max(max, $L)", Math.class, score)
            .endControlFlow();
        code.addStatement("double sumExp = 0.0");
        // each exp once, kept for the δ (the same bits as computing it twice): double keeps it in
        // daRow until the δ overwrites it; a float daRow cannot hold the double exp, so float keeps
        // it in a double row of its own (per batch row: blocks on other threads never share one).
        // S2 f32: 54 → 24-31 µs per step for the loss and δ of 200 rows. Scalar, not Kernels.exp:
        // through the Vector API exp (a 10-wide row is two vectors) it took 36 µs once compiled,
        // about 1 ms (boxed vectors) in 2 of 3 short runs, and ZeroAllocationTest's vector run then
        // found S3's sigmoid step allocating (VectorMath.map holds both, behind a flag)
        boolean keepExp = withDelta;
        boolean expRow = keepExp && numeric != Numeric.DOUBLE;
        code.beginControlFlow("for (int j = 0; j < OUTPUT; j++)");
        if (keepExp) {
          code.addStatement(
                  "double e$L = $T.exp($L - max)",
                  expRow ? "j" : "",
                  ActivationEmitter.NNC_MATH,
                  score)
              .addStatement(expRow ? "e[j] = ej" : "daRow[j] = e")
              .addStatement(expRow ? "sumExp += ej" : "sumExp += e");
        } else {
          code.addStatement("sumExp += $T.exp($L - max)", ActivationEmitter.NNC_MATH, score);
        }
        code.endControlFlow();
        code.addStatement(
            weighted
                ? "sum += w * ($T.log(sumExp) - (aRow[label] - max))"
                : "sum += $T.log(sumExp) - (aRow[label] - max)",
            ActivationEmitter.NNC_MATH);
        if (withDelta) {
          code.add("// ∂/∂s = softmax(s) − onehot(y), times the reduction's scale\n");
          CodeBlock exp =
              keepExp
                  ? CodeBlock.of(expRow ? "e[j]" : "daRow[j]")
                  : CodeBlock.of("$T.exp(aRow[j] - max)", ActivationEmitter.NNC_MATH);
          code.beginControlFlow("for (int j = 0; j < OUTPUT; j++)")
              .addStatement(
                  "daRow[j] = $L",
                  numeric.fromDouble(
                      CodeBlock.of("$L * ($L / sumExp - $L)", deltaScale, exp, target)))
              .endControlFlow();
        }
      }
      case BINARY_CROSS_ENTROPY -> {
        code.beginControlFlow("for (int j = 0; j < OUTPUT; j++)");
        code.addStatement("double t = $L", target);
        if (fusedSigmoid) {
          code.add(
              "// −t log σ(z) − (1 − t) log(1 − σ(z)) = softplus(z) − t·z, exact even where σ rounds to 0 or 1\n");
          code.addStatement(
              weighted ? "sum += w * (spRow[j] - t * zRow[j])" : "sum += spRow[j] - t * zRow[j]");
          if (withDelta) {
            code.add("// ∂/∂z = σ(z) − t: the sigmoid's derivative cancels, so this is δ itself\n");
            code.addStatement(
                "dzRow[j] = $L",
                numeric.fromDouble(CodeBlock.of("$L * (aRow[j] - t)", deltaScale)));
          }
        } else {
          code.addStatement("double a = aRow[j]");
          code.addStatement(
              weighted
                  ? "sum += w * (-t * $T.log(a) - (1.0 - t) * $T.log(1.0 - a))"
                  : "sum += -t * $T.log(a) - (1.0 - t) * $T.log(1.0 - a)",
              ActivationEmitter.NNC_MATH,
              ActivationEmitter.NNC_MATH);
          if (withDelta) {
            code.addStatement(
                "daRow[j] = $L",
                numeric.fromDouble(CodeBlock.of("$L * (a - t) / (a * (1.0 - a))", deltaScale)));
          }
        }
        code.endControlFlow();
      }
    }
    code.endControlFlow();
    code.addStatement("return sum * scale");

    String outputName = EmitContext.text(model.outputLayer().name());
    MethodSpec.Builder method =
        MethodSpec.methodBuilder(withDelta ? "lossAndDelta" : "dataLoss")
            .addModifiers(Modifier.PRIVATE)
            .returns(double.class)
            .addParameter(BATCH, "batch")
            .addParameter(int.class, "rows")
            .addCode(code.build());
    if (withDelta) {
      // rows sets the reduction's scale; [from, to) are the rows this call covers (half a batch
      // when the step is split)
      method.addParameter(int.class, "from").addParameter(int.class, "to");
      method.addJavadoc(
          "Covers rows {@code from} to {@code to − 1}; the scale is that of all {@code rows}.\n");
    }
    method.addJavadoc(
        "$L$L = $L over the first {@code rows} rows, penalty not included.\n",
        describe(model),
        EmitContext.line(loss.span()),
        scaleText(loss.reduction()));
    if (loss.weighted()) {
      method.addJavadoc(
          "Each row's terms (and its gradient) are multiplied by {@code CLASS_WEIGHTS[label]}.\n");
    }
    if (withDelta) {
      if (fusedSigmoid) {
        method.addJavadoc(
            "Also writes δ = ∂loss/∂z of {@code $L} (N×$L): (a − t) · scale.\n",
            outputName,
            model.outputLayer().out());
      } else {
        method.addJavadoc(
            "Also writes ∂loss/∂a of {@code $L} (N×$L)$L.\n",
            outputName,
            model.outputLayer().out(),
            switch (loss.kind()) {
              case SQUARED_ERROR -> ": 2(a − t) · scale";
              case SOFTMAX_CROSS_ENTROPY -> ": (softmax(a) − onehot(y)) · scale";
              case BINARY_CROSS_ENTROPY -> ": (a − t) / (a(1 − a)) · scale";
            });
        if (model.outputLayer().activation() == Activation.IDENTITY) {
          method.addJavadoc("The layer is identity, so that is also its δ.\n");
        }
      }
    }
    return method.build();
  }
}
