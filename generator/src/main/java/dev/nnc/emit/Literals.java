package dev.nnc.emit;

/** Java literals for numbers taken from a {@code .nn} file. */
final class Literals {
  private Literals() {}

  /**
   * A double literal that reads back as exactly {@code value} ({@link Double#toString} round-trips);
   * the non-finite values, which the checker never lets through, as the {@code Double} constants.
   */
  static String doubleLiteral(double value) {
    if (Double.isNaN(value)) {
      return "java.lang.Double.NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "java.lang.Double.POSITIVE_INFINITY" : "java.lang.Double.NEGATIVE_INFINITY";
    }
    return Double.toString(value);
  }

  /** A long literal: {@code 42L}. */
  static String longLiteral(long value) {
    return value + "L";
  }
}
