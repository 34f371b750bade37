package dev.nnc.check;

import dev.nnc.ast.NumberDecl;
import dev.nnc.diag.DiagnosticCode;
import java.util.Optional;
import java.util.OptionalDouble;

/** Reading numbers the user wrote, with the diagnostics every pass words the same way. */
final class Numbers {
  private Numbers() {}

  /**
   * A positive integer that fits an {@code int}. Reports {@code notPositive} for zero, negative or
   * fractional values, and NN401 ({@code what} is N) for larger values.
   */
  static Optional<Integer> positiveInt(
      CheckContext context, NumberDecl number, String what, Runnable notPositive) {
    if (!number.isInteger() || number.value() < 1) {
      notPositive.run();
      return Optional.empty();
    }
    Optional<Long> value = number.longValue();
    if (value.isEmpty() || value.get() > Integer.MAX_VALUE) {
      context.report(DiagnosticCode.DIMENSION_TOO_LARGE, number.span(), what, number.text());
      return Optional.empty();
    }
    return Optional.of(value.get().intValue());
  }

  /** The value if finite; reports NN104 otherwise ({@code 1e999}). */
  static OptionalDouble finite(CheckContext context, NumberDecl number) {
    double value = number.value();
    if (!Double.isFinite(value)) {
      context.report(DiagnosticCode.NUMBER_OUT_OF_RANGE, number.span(), number.text());
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(value);
  }
}
