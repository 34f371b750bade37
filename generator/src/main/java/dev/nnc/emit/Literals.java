package dev.nnc.emit;

/** Java literals for numbers taken from a {@code .nn} file. */
final class Literals {
  private Literals() {}

  /**
   * A double literal that reads back as exactly {@code value} ({@link Double#toString}
   * round-trips); the non-finite values, which the checker never lets through, as the {@code
   * Double} constants.
   */
  static String doubleLiteral(double value) {
    if (Double.isNaN(value)) {
      return "java.lang.Double.NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0
          ? "java.lang.Double.POSITIVE_INFINITY"
          : "java.lang.Double.NEGATIVE_INFINITY";
    }
    return Double.toString(value);
  }

  /**
   * A string literal (quotes included) that reads back as exactly {@code text}, for user text such
   * as a file name. Unlike JavaPoet's {@code $S} it also escapes U+2028, U+2029 and U+0085, which
   * JavaPoet splits lines at, leaving a line break inside the literal. Control characters become
   * octal escapes: javac turns a unicode escape of a line feed into a real line break.
   */
  static String stringLiteral(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (int k = 0; k < text.length(); k++) {
      char c = text.charAt(k);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20 || c == 0x7f || c == 0x85) {
            out.append(String.format("\\%03o", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** A long literal: {@code 42L}. */
  static String longLiteral(long value) {
    return value + "L";
  }
}
