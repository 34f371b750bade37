package dev.nnc.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.nnc.ir.Penalty;
import java.util.List;
import java.util.function.Function;
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

  // Emits, for penalty l1(λ), the sum of Math.abs(wRow[j]) in the eight partial sums of
  // partialSums (below), as penaltySquares.
  private MethodSpec absolutesMethod() {
    return MethodSpec.methodBuilder("penaltyAbsolutes")
        .addModifiers(Modifier.PRIVATE)
        .returns(double.class)
        .addJavadoc(
            "Σ|W| over every weight matrix; biases are never penalised. $L\n", PARTIAL_SUMS_DOC)
        .addCode(partialSums(j -> "Math.abs(wRow[" + j + "])"))
        .build();
  }

  /** How many partial sums the penalty's sums keep. */
  static final int SUMS = 8;

  private static final String PARTIAL_SUMS_DOC =
      "In eight partial sums (element j of a row to s[j mod 8], a row's last width mod 8 to s0),"
          + " added in a fixed order.";

  /**
   * The sum of {@code term(j)} over every element of every weight matrix, in {@link #SUMS} partial
   * sums: eight rows' elements at a time, each to its own sum, then the row's tail to s0, then the
   * sums added pairwise. A single running sum would be one chain of dependent additions (four
   * cycles each, which C2 cannot reorder or vectorise); eight chains run side by side (S2's 79,400
   * squares: about 45 µs → 17 µs).
   */
  private CodeBlock partialSums(Function<String, String> term) {
    Numeric numeric = context.numeric;
    CodeBlock.Builder code = CodeBlock.builder();
    StringBuilder declaration = new StringBuilder("double s0 = 0.0");
    for (int p = 1; p < SUMS; p++) {
      declaration.append(", s").append(p).append(" = 0.0");
    }
    code.addStatement(declaration.toString());
    for (EmitContext.WeightMatrix matrix : context.weightMatrices()) {
      code.beginControlFlow("for ($T wRow : $N)", numeric.vector(), matrix.weights())
          .addStatement("int j = 0")
          .beginControlFlow("for (; j + $L <= $N; j += $L)", SUMS, matrix.colsConstant(), SUMS);
      for (int p = 0; p < SUMS; p++) {
        code.addStatement("s$L += $L", p, term.apply(p == 0 ? "j" : "j + " + p));
      }
      code.endControlFlow()
          .beginControlFlow("for (; j < $N; j++)", matrix.colsConstant())
          .addStatement("s0 += $L", term.apply("j"))
          .endControlFlow()
          .endControlFlow();
    }
    code.addStatement("return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))");
    return code.build();
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
  //     double s0 = 0.0, s1 = 0.0, …, s7 = 0.0;
  //     for (double[] wRow : hiddenW) {
  //       int j = 0;
  //       for (; j + 8 <= HIDDEN_OUT; j += 8) {
  //         s0 += wRow[j] * wRow[j];
  //         s1 += wRow[j + 1] * wRow[j + 1];
  //         …
  //       }
  //       for (; j < HIDDEN_OUT; j++) {
  //         s0 += wRow[j] * wRow[j];
  //       }
  //     }
  //     …one loop per layer…
  //     return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  //   }
  //
  // (float: each square in double, (double) wRow[j] * wRow[j]).
  private MethodSpec squaresMethod() {
    boolean single = context.numeric == Numeric.FLOAT;
    return MethodSpec.methodBuilder("penaltySquares")
        .addModifiers(Modifier.PRIVATE)
        .returns(double.class)
        .addJavadoc(
            "ΣW² over every weight matrix; biases are never penalised. $L\n", PARTIAL_SUMS_DOC)
        .addCode(
            partialSums(j -> (single ? "(double) " : "") + "wRow[" + j + "] * wRow[" + j + "]"))
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
