package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * A number exactly as written, with its sign ({@code -5e-6}). The parser guarantees the text is a
 * well-formed decimal; its value may still be too large for a double ({@code 1e999}), which the
 * checker reports where it matters.
 */
public record NumberDecl(Span span, String text) implements ArrayElementDecl {

  /** The value as a double; infinite when the text overflows. */
  public double value() {
    return Double.parseDouble(text);
  }

  /** Whether the value is finite as a double. */
  public boolean isFinite() {
    return Double.isFinite(value());
  }

  /**
   * The exact integer value if the number is integral and fits in a long ({@code 1e3} counts;
   * {@code 2.5} does not); empty otherwise.
   */
  public Optional<Long> longValue() {
    BigDecimal exact = exact();
    if (exact == null) {
      return Optional.empty();
    }
    if (exact.signum() == 0) {
      return Optional.of(0L);
    }
    exact = exact.stripTrailingZeros();
    // precision − scale = digits before the point; more than 19 cannot fit in a long.
    if (exact.scale() > 0 || exact.precision() - exact.scale() > 19) {
      return Optional.empty();
    }
    try {
      return Optional.of(exact.longValueExact());
    } catch (ArithmeticException tooLarge) {
      return Optional.empty();
    }
  }

  /** Whether the number is integral (of any size). */
  public boolean isInteger() {
    BigDecimal exact = exact();
    return exact != null && (exact.signum() == 0 || exact.stripTrailingZeros().scale() <= 0);
  }

  private BigDecimal exact() {
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException | ArithmeticException exponentOutOfRange) {
      return null;
    }
  }
}
