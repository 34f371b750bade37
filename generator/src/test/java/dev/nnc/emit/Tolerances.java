package dev.nnc.emit;

import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.TensorSpec;
import java.util.Locale;

/**
 * Element-wise comparison of two vectors (a generated network's against the reference's) that
 * reports the worst entry by tensor, row and column, llm.c's {@code check_tensor} habit.
 *
 * <p>The error of entry k is {@code |a − b| / (|b| + floor · ‖b‖∞)}: relative where the entry is of
 * the vector's size, and measured against {@code floor · ‖b‖∞} where it is much smaller, since an
 * entry that is a sum with cancellation carries the rounding of its terms, not of its value.
 */
final class Tolerances {
  private Tolerances() {}

  /** The worst entry: its error, and a description naming the tensor when a spec is given. */
  record Mismatch(double error, String description) {}

  static Mismatch worst(
      String what, NetworkSpec spec, double[] actual, double[] expected, double floor) {
    double scale = 0;
    for (double value : expected) {
      scale = Math.max(scale, Math.abs(value));
    }
    double worstError = 0;
    int worst = 0;
    for (int k = 0; k < expected.length; k++) {
      double error =
          Math.abs(actual[k] - expected[k]) / (Math.abs(expected[k]) + floor * scale + 1e-300);
      if (!(error <= worstError)) { // NaN is the worst
        worstError = error;
        worst = k;
      }
    }
    String where = "[" + worst + "]";
    if (spec != null && expected.length > 0) {
      TensorSpec tensor = spec.tensorAt(worst);
      int index = worst - tensor.offset();
      where = tensor.name() + "[" + index / tensor.cols() + "][" + index % tensor.cols() + "]";
    }
    return new Mismatch(
        worstError,
        expected.length == 0
            ? what + ": empty"
            : String.format(
                Locale.ROOT,
                "%s: worst at %s: actual %.17g, expected %.17g, error %.3e (floor %.0e × max %.3e)",
                what,
                where,
                actual[worst],
                expected[worst],
                worstError,
                floor,
                scale));
  }

  /** |a − b| / |b| for scalars, with a tiny floor against 0. */
  static double relative(double actual, double expected) {
    return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  }
}
