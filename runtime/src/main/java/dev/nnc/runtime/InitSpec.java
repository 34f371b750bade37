package dev.nnc.runtime;

import java.util.Arrays;

/**
 * How a tensor's initial values are drawn. {@code XAVIER} is uniform(±√(6 / (fanIn + fanOut))),
 * {@code HE} is normal(0, √(2 / fanIn)); {@code VALUES} gives every value literally, row-major.
 */
public record InitSpec(Kind kind, double a, double b, double[] values) {
  public enum Kind {
    UNIFORM,
    NORMAL,
    CONSTANT,
    XAVIER,
    HE,
    VALUES
  }

  public static InitSpec uniform(double low, double high) {
    return new InitSpec(Kind.UNIFORM, low, high, null);
  }

  public static InitSpec normal(double mean, double std) {
    return new InitSpec(Kind.NORMAL, mean, std, null);
  }

  public static InitSpec constant(double value) {
    return new InitSpec(Kind.CONSTANT, value, 0, null);
  }

  public static InitSpec xavier() {
    return new InitSpec(Kind.XAVIER, 0, 0, null);
  }

  public static InitSpec he() {
    return new InitSpec(Kind.HE, 0, 0, null);
  }

  public static InitSpec values(double... values) {
    return new InitSpec(Kind.VALUES, 0, 0, values.clone());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InitSpec other
        && kind == other.kind
        && Double.compare(a, other.a) == 0
        && Double.compare(b, other.b) == 0
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31
        + Arrays.hashCode(values)
        + Double.hashCode(a) * 7
        + Double.hashCode(b);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case UNIFORM -> "uniform(" + a + ", " + b + ")";
      case NORMAL -> "normal(" + a + ", " + b + ")";
      case CONSTANT -> "constant(" + a + ")";
      case XAVIER -> "xavier()";
      case HE -> "he()";
      case VALUES -> "values" + Arrays.toString(values);
    };
  }
}
