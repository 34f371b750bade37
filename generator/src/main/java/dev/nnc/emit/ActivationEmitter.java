package dev.nnc.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.nnc.ir.Activation;

/**
 * Activations, forward and backward, as statements on one row ({@code zRow}, {@code aRow}, {@code
 * daRow}, {@code dzRow} are locals the caller has set to row r of the layer's buffers).
 * Element-wise activations are emitted per element, unrolled when the layer is; softmax always
 * works on the whole row with loops.
 */
final class ActivationEmitter {
  /**
   * exp, tanh and log of generated trainers: the runtime's fdlibm ports, identical to {@code
   * StrictMath} on every JDK, where {@code Math}'s may be intrinsics that differ between releases.
   */
  static final ClassName NNC_MATH = ClassName.get("dev.nnc.runtime", "NncMath");

  private final Numeric numeric;
  private final ClassName math;

  ActivationEmitter(Numeric numeric) {
    this(numeric, NNC_MATH);
  }

  /**
   * With {@code math} for exp and tanh: {@link #NNC_MATH} in trainers, {@code StrictMath} (the same
   * bits) in the JDK-only inference class.
   */
  ActivationEmitter(Numeric numeric, ClassName math) {
    this.numeric = numeric;
    this.math = math;
  }

  /** What the backward comment says δ is, e.g. {@code da ⊙ a ⊙ (1 − a)}. */
  static String derivativeText(Activation activation) {
    return switch (activation) {
      case IDENTITY -> "da";
      case SIGMOID -> "da ⊙ a ⊙ (1 − a)   (σ′(z) = σ(z)(1 − σ(z)), written with the output a)";
      case RELU -> "da ⊙ [z > 0]   (relu′(z) = 0 for z ≤ 0)";
      case TANH -> "da ⊙ (1 − a²)   (tanh′(z) = 1 − tanh²(z))";
      case SOFTMAX ->
          "a ⊙ (da − (da · a))   (the row Jacobian diag(a) − a aᵀ, applied to da, per row)";
    };
  }

  // Emits a = act(z) for one row, e.g. (sigmoid, looped):
  //
  //   for (int j = 0; j < HIDDEN_OUT; j++) {
  //     aRow[j] = 1.0 / (1.0 + NncMath.exp(-zRow[j]));
  //   }
  //
  // unrolled: aRow[0] = 1.0 / (1.0 + NncMath.exp(-zRow[0])); aRow[1] = …; softmax (always looped):
  //
  //   double max = zRow[0];
  //   for (int j = 1; j < OUT_OUT; j++) {
  //     max = Math.max(max, zRow[j]);
  //   }
  //   double sumExp = 0.0;
  //   for (int j = 0; j < OUT_OUT; j++) {
  //     aRow[j] = NncMath.exp(zRow[j] - max);
  //     sumExp += aRow[j];
  //   }
  //   for (int j = 0; j < OUT_OUT; j++) {
  //     aRow[j] /= sumExp;
  //   }
  CodeBlock forwardRow(Activation activation, String widthConstant, int width, boolean unrolled) {
    CodeBlock.Builder code = CodeBlock.builder();
    switch (activation) {
      case IDENTITY -> {
        // a is z: the same buffer
      }
      case SOFTMAX -> {
        code.add("// a = softmax(z), the row's maximum subtracted first so exp cannot overflow\n");
        code.addStatement("$T max = zRow[0]", numeric.scalar());
        code.beginControlFlow("for (int j = 1; j < $N; j++)", widthConstant)
            .addStatement("max = $T.max(max, zRow[j])", Math.class)
            .endControlFlow();
        code.addStatement("$T sumExp = $L", numeric.scalar(), numeric.literal(0));
        code.beginControlFlow("for (int j = 0; j < $N; j++)", widthConstant)
            .addStatement(
                "aRow[j] = $L", numeric.fromDoubleCall(CodeBlock.of("$T.exp(zRow[j] - max)", math)))
            .addStatement("sumExp += aRow[j]")
            .endControlFlow();
        code.beginControlFlow("for (int j = 0; j < $N; j++)", widthConstant)
            .addStatement("aRow[j] /= sumExp")
            .endControlFlow();
      }
      default -> {
        if (unrolled) {
          for (int j = 0; j < width; j++) {
            code.addStatement("aRow[$L] = $L", j, element(activation, Integer.toString(j)));
          }
        } else {
          code.beginControlFlow("for (int j = 0; j < $N; j++)", widthConstant)
              .addStatement("aRow[j] = $L", element(activation, "j"))
              .endControlFlow();
        }
      }
    }
    return code.build();
  }

  // Emits the activation of z[index]: 1.0 / (1.0 + NncMath.exp(-zRow[j])), Math.max(zRow[j], 0.0),
  // NncMath.tanh(zRow[j]); in float (float) NncMath.exp(…) and 1.0f.
  private CodeBlock element(Activation activation, String index) {
    return switch (activation) {
      case SIGMOID ->
          CodeBlock.of(
              "$L / ($L + $L)",
              numeric.literal(1),
              numeric.literal(1),
              numeric.fromDoubleCall(CodeBlock.of("$T.exp(-zRow[$L])", math, index)));
      // Math.max, not z > 0 ? z : 0: C2 vectorises it (vmaxpd) where the conditional became a
      // branch that half of the values mispredict; the same value but for NaN, which it keeps
      // (as PyTorch's relu and ONNX's Relu do)
      case RELU -> CodeBlock.of("$T.max(zRow[$L], $L)", Math.class, index, numeric.literal(0));
      case TANH -> numeric.fromDoubleCall(CodeBlock.of("$T.tanh(zRow[$L])", math, index));
      default -> throw new AssertionError(activation);
    };
  }

  // Emits δ = ∂loss/∂z from da for one row, e.g. (sigmoid, looped):
  //
  //   for (int j = 0; j < HIDDEN_OUT; j++) {
  //     dzRow[j] = daRow[j] * aRow[j] * (1.0 - aRow[j]);
  //   }
  //
  // softmax (the row Jacobian, whatever loss or layer follows):
  //
  //   double dot = 0.0;
  //   for (int j = 0; j < OUT_OUT; j++) {
  //     dot += daRow[j] * aRow[j];
  //   }
  //   for (int j = 0; j < OUT_OUT; j++) {
  //     dzRow[j] = aRow[j] * (daRow[j] - dot);
  //   }
  CodeBlock backwardRow(Activation activation, String widthConstant, int width, boolean unrolled) {
    CodeBlock.Builder code = CodeBlock.builder();
    switch (activation) {
      case IDENTITY -> {
        // δ is da: the same buffer
      }
      case SOFTMAX -> {
        code.addStatement("$T dot = $L", numeric.scalar(), numeric.literal(0));
        code.beginControlFlow("for (int j = 0; j < $N; j++)", widthConstant)
            .addStatement("dot += daRow[j] * aRow[j]")
            .endControlFlow();
        code.beginControlFlow("for (int j = 0; j < $N; j++)", widthConstant)
            .addStatement("dzRow[j] = aRow[j] * (daRow[j] - dot)")
            .endControlFlow();
      }
      default -> {
        if (unrolled) {
          for (int j = 0; j < width; j++) {
            code.addStatement("dzRow[$L] = $L", j, derivative(activation, Integer.toString(j)));
          }
        } else {
          code.beginControlFlow("for (int j = 0; j < $N; j++)", widthConstant)
              .addStatement("dzRow[j] = $L", derivative(activation, "j"))
              .endControlFlow();
        }
      }
    }
    return code.build();
  }

  // Emits da[index] · act′(z[index]): daRow[j] * aRow[j] * (1.0 - aRow[j]), zRow[j] > 0.0 ?
  // daRow[j] : 0.0, daRow[j] * (1.0 - aRow[j] * aRow[j]).
  private CodeBlock derivative(Activation activation, String index) {
    return switch (activation) {
      case SIGMOID ->
          CodeBlock.of(
              "daRow[$L] * aRow[$L] * ($L - aRow[$L])", index, index, numeric.literal(1), index);
      case RELU ->
          CodeBlock.of(
              "zRow[$L] > $L ? daRow[$L] : $L",
              index,
              numeric.literal(0),
              index,
              numeric.literal(0));
      case TANH ->
          CodeBlock.of(
              "daRow[$L] * ($L - aRow[$L] * aRow[$L])", index, numeric.literal(1), index, index);
      default -> throw new AssertionError(activation);
    };
  }
}
