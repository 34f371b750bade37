package dev.nnc.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.nnc.ir.Precision;

/**
 * The arithmetic type of a generated class: {@code double}, or {@code float} for {@code precision
 * float}. Parameters and buffers use it; the {@link dev.nnc.runtime.Network} API stays double, and
 * so do the loss sums (one scalar per batch, where double costs nothing and keeps the reported loss
 * accurate).
 */
enum Numeric {
  DOUBLE(TypeName.DOUBLE, ""),
  FLOAT(TypeName.FLOAT, "f");

  private final TypeName scalar;
  private final String literalSuffix;

  Numeric(TypeName scalar, String literalSuffix) {
    this.scalar = scalar;
    this.literalSuffix = literalSuffix;
  }

  static Numeric of(Precision precision) {
    return precision == Precision.FLOAT ? FLOAT : DOUBLE;
  }

  /** {@code double} or {@code float}. */
  TypeName scalar() {
    return scalar;
  }

  /** {@code double[]}: a bias, or one row of a buffer. */
  TypeName vector() {
    return ArrayTypeName.of(scalar);
  }

  /** {@code double[][]}: a weight matrix as rows, or a buffer [rows][width]. */
  TypeName matrix() {
    return ArrayTypeName.of(vector());
  }

  /** A literal of this type: {@code 1.0} or {@code 1.0f}. */
  String literal(double value) {
    return value + literalSuffix;
  }

  /**
   * {@code expression} (of type double, e.g. from {@code Math.exp}) converted to this type: itself
   * for double, {@code (float) (expression)} for float.
   */
  CodeBlock fromDouble(CodeBlock expression) {
    return this == DOUBLE ? expression : CodeBlock.of("(float) ($L)", expression);
  }

  /**
   * Same as {@link #fromDouble} for a call, which needs no parentheses: {@code (float)
   * Math.exp(z)}.
   */
  CodeBlock fromDoubleCall(CodeBlock call) {
    return this == DOUBLE ? call : CodeBlock.of("(float) $L", call);
  }
}
