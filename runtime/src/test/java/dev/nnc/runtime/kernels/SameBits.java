package dev.nnc.runtime.kernels;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.util.function.DoubleUnaryOperator;

/**
 * The check the lane-wise kernel tests share: a kernel of rows ({@code Kernels.exp}, {@code log1p},
 * …) equal bit for bit to its scalar function ({@code NncMath}'s) on every argument, and on every
 * short prefix (rows narrower than a vector, and overlapping last vectors) equal to the whole row.
 */
final class SameBits {
  /** A kernel of one row: y[0..n) = f(x[0..n)). */
  interface RowKernel {
    void apply(double[] x, double[] y, int n);
  }

  private SameBits() {}

  /**
   * Asserts kernel(x) equals scalar(x) bit for bit (any NaN for a NaN), counting the arguments that
   * differ and naming the first, then that every prefix of 1-20 numbers gives the same bits.
   */
  static void check(
      String name, RowKernel kernel, DoubleUnaryOperator scalar, double[] x, String what) {
    double[] y = new double[x.length];
    kernel.apply(x, y, x.length);
    long mismatches = 0;
    String first = null;
    for (int i = 0; i < x.length; i++) {
      double expected = scalar.applyAsDouble(x[i]);
      boolean same =
          Double.isNaN(expected)
              ? Double.isNaN(y[i])
              : Double.doubleToRawLongBits(y[i]) == Double.doubleToRawLongBits(expected);
      if (!same) {
        mismatches++;
        if (first == null) {
          first =
              name
                  + "("
                  + x[i]
                  + " = 0x"
                  + Long.toHexString(Double.doubleToRawLongBits(x[i]))
                  + ") = "
                  + y[i]
                  + ", scalar "
                  + expected;
        }
      }
    }
    assertWithMessage("%s: %s of %s differ, first %s", what, mismatches, x.length, first)
        .that(mismatches)
        .isEqualTo(0);
    for (int n = 1; n <= 20; n++) { // narrower than a vector, and overlapping last vectors
      double[] part = new double[n];
      kernel.apply(x, part, n);
      for (int j = 0; j < n; j++) {
        assertThat(Double.doubleToLongBits(part[j])).isEqualTo(Double.doubleToLongBits(y[j]));
      }
    }
  }
}
