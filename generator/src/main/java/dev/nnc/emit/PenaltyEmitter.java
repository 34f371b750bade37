package dev.nnc.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.nnc.ir.Penalty;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The penalty on every weight matrix (biases are never penalised): L2, {@code reg · ΣW²} with
 * gradient {@code 2·reg·W}, or {@code λ/(2m) · ΣW²} with gradient {@code λ/m · W}, m being the
 * training-set size given by {@code setPenaltyExampleCount} (the batch's rows until then); L1,
 * {@code λ · Σ|W|} with gradient {@code λ · sign(W)} ({@code Math.signum}: 0 at W = 0).
 */
final class PenaltyEmitter {
  private final EmitContext context;
  private final Penalty penalty;

  PenaltyEmitter(EmitContext context, Penalty penalty) {
    this.context = context;
    this.penalty = penalty;
  }

  List<MethodSpec> methods() {
    return List.of(
        scaleMethod(), penalty.l1() ? absolutesMethod() : squaresMethod(), gradientMethod());
  }

  /** The call that gives the penalised sum: ΣW² ({@code penaltySquares()}) or Σ|W|. */
  static String sumCall(Penalty penalty) {
    return penalty.l1() ? "penaltyAbsolutes()" : "penaltySquares()";
  }

  /** The factor {@code addPenaltyGradient} takes: 2 · scale for L2, scale for L1. */
  static String gradientFactor(Penalty penalty) {
    return penalty.l1() ? "penaltyScale" : "2.0 * penaltyScale";
  }

  // Emits, for penalty l1(λ):
  //
  //   private double penaltyAbsolutes() {
  //     double absolutes = 0.0;
  //     for (double[] wRow : hiddenW) {
  //       for (int j = 0; j < HIDDEN_OUT; j++) {
  //         absolutes += Math.abs(wRow[j]);
  //       }
  //     }
  //     …one loop per layer…
  //     return absolutes;
  //   }
  private MethodSpec absolutesMethod() {
    Numeric numeric = context.numeric;
    CodeBlock.Builder code = CodeBlock.builder();
    code.addStatement("double absolutes = 0.0");
    for (EmitContext.WeightMatrix matrix : context.weightMatrices()) {
      code.beginControlFlow("for ($T wRow : $N)", numeric.vector(), matrix.weights())
          .beginControlFlow("for (int j = 0; j < $N; j++)", matrix.colsConstant())
          .addStatement("absolutes += Math.abs(wRow[j])")
          .endControlFlow()
          .endControlFlow();
    }
    code.addStatement("return absolutes");
    return MethodSpec.methodBuilder("penaltyAbsolutes")
        .addModifiers(Modifier.PRIVATE)
        .returns(double.class)
        .addJavadoc("Σ|W| over every weight matrix; biases are never penalised.\n")
        .addCode(code.build())
        .build();
  }

  // Emits, for penalty l2(λ) / 2m:
  //
  //   private double penaltyScale(int rows) {
  //     int m = penaltyExampleCount > 0 ? penaltyExampleCount : rows;
  //     return 1.0 / (2.0 * m);
  //   }
  //
  // and for penalty l2(reg): return 5.0E-6;
  private MethodSpec scaleMethod() {
    MethodSpec.Builder method =
        MethodSpec.methodBuilder("penaltyScale")
            .addModifiers(Modifier.PRIVATE)
            .returns(double.class)
            .addParameter(int.class, "rows");
    String coefficient = Literals.doubleLiteral(penalty.coefficient());
    if (penalty.overTwoM()) {
      method
          .addJavadoc(
              "The factor in front of ΣW²$L: λ/(2m), m = the training-set size, or the"
                  + " batch's rows until it is set.\n",
              EmitContext.line(penalty.span()))
          .addStatement("int m = penaltyExampleCount > 0 ? penaltyExampleCount : rows")
          .addStatement("return $L / (2.0 * m)", coefficient);
    } else if (penalty.l1()) {
      method
          .addJavadoc("The factor in front of Σ|W|$L: λ.\n", EmitContext.line(penalty.span()))
          .addStatement("return $L", coefficient);
    } else {
      method
          .addJavadoc("The factor in front of ΣW²$L: reg.\n", EmitContext.line(penalty.span()))
          .addStatement("return $L", coefficient);
    }
    return method.build();
  }

  // Emits:
  //
  //   private double penaltySquares() {
  //     double squares = 0.0;
  //     for (double[] wRow : hiddenW) {
  //       for (int j = 0; j < HIDDEN_OUT; j++) {
  //         squares += wRow[j] * wRow[j];
  //       }
  //     }
  //     …one loop per layer…
  //     return squares;
  //   }
  private MethodSpec squaresMethod() {
    Numeric numeric = context.numeric;
    CodeBlock.Builder code = CodeBlock.builder();
    code.addStatement("double squares = 0.0");
    for (EmitContext.WeightMatrix matrix : context.weightMatrices()) {
      code.beginControlFlow("for ($T wRow : $N)", numeric.vector(), matrix.weights())
          .beginControlFlow("for (int j = 0; j < $N; j++)", matrix.colsConstant())
          .addStatement(
              numeric == Numeric.FLOAT
                  ? "squares += (double) wRow[j] * wRow[j]"
                  : "squares += wRow[j] * wRow[j]")
          .endControlFlow()
          .endControlFlow();
    }
    code.addStatement("return squares");
    return MethodSpec.methodBuilder("penaltySquares")
        .addModifiers(Modifier.PRIVATE)
        .returns(double.class)
        .addJavadoc("ΣW² over every weight matrix; biases are never penalised.\n")
        .addCode(code.build())
        .build();
  }

  // Emits:
  //
  //   private void addPenaltyGradient(double factor) {
  //     for (int i = 0; i < HIDDEN_IN; i++) {
  //       double[] wRow = hiddenW[i];
  //       double[] dwRow = dHiddenW[i];
  //       for (int j = 0; j < HIDDEN_OUT; j++) {
  //         dwRow[j] += factor * wRow[j];
  //       }
  //     }
  //     …
  //   }
  //
  // (float: a float copy of factor first, so the loop stays in float).
  private MethodSpec gradientMethod() {
    Numeric numeric = context.numeric;
    CodeBlock.Builder code = CodeBlock.builder();
    String factor = "factor";
    if (numeric == Numeric.FLOAT) {
      code.addStatement("float step = (float) factor");
      factor = "step";
    }
    for (EmitContext.WeightMatrix matrix : context.weightMatrices()) {
      code.beginControlFlow("for (int i = 0; i < $N; i++)", matrix.rowsConstant())
          .addStatement("$T wRow = $N[i]", numeric.vector(), matrix.weights())
          .addStatement("$T dwRow = $N[i]", numeric.vector(), matrix.gradient())
          .beginControlFlow("for (int j = 0; j < $N; j++)", matrix.colsConstant())
          .addStatement(
              penalty.l1() ? "dwRow[j] += $L * Math.signum(wRow[j])" : "dwRow[j] += $L * wRow[j]",
              factor)
          .endControlFlow()
          .endControlFlow();
    }
    return MethodSpec.methodBuilder("addPenaltyGradient")
        .addModifiers(Modifier.PRIVATE)
        .addJavadoc(
            penalty.l1()
                ? "dW += factor · sign(W) for every weight matrix: the penalty's gradient, with"
                    + " factor = penaltyScale.\n"
                : "dW += factor · W for every weight matrix: the penalty's gradient, with factor"
                    + " = 2 · penaltyScale.\n")
        .addParameter(double.class, "factor")
        .addCode(code.build())
        .build();
  }
}
