package dev.nnc.runtime.kernels;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.runtime.NncMath;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The lane-wise {@link NncMath#exp} of the Vector API kernels (in the surefire execution {@code
 * vector}, flag on): every bit equal to the scalar function, on 10⁶ arguments in each range where
 * fdlibm takes another branch (and across the borders between them) and on every special value; and
 * the sigmoid built on it equal to the generated classes' {@code 1.0 / (1.0 + NncMath.exp(-z))} on
 * the same arguments (as −z, so that its exp takes them), for every row width (rows narrower than a
 * vector, the last vector past the row's end) and across the chunks of the scratch.
 */
class ExpVectorTest {
  private static final int COUNT = 1_000_000;

  @Test
  void theVectorKernelsAreInUse() {
    assertThat(Kernels.INSTANCE.vectorized()).isTrue();
  }

  @Test
  void expEqualsTheScalarExpBitForBitInEveryRange() {
    SplittableRandom random = new SplittableRandom(14);
    double[][] ranges = {
      {-1, 1}, // the reduced path near 0, and |x| ≤ ln2/2 (k = 0)
      {-40, 40}, // sigmoid's arguments
      {-745.2, 709.9}, // everything finite, both overflow borders
      {-745.2, -708.3}, // subnormal results (k < −1021)
      {700, 710}, // near overflow
      {-0.35, 0.35}, // around fdlibm's ln2/2 test
      {-1e-8, 1e-8}, // around 2⁻²⁸
    };
    for (double[] range : ranges) {
      double[] x = new double[COUNT];
      for (int i = 0; i < COUNT; i++) {
        x[i] = range[0] + (range[1] - range[0]) * random.nextDouble();
      }
      check(x, "range " + range[0] + ".." + range[1]);
      checkSigmoid(x, "range " + range[0] + ".." + range[1]);
    }
    double[] bits = new double[COUNT]; // any double at all: NaNs, infinities, subnormals
    for (int i = 0; i < COUNT; i++) {
      bits[i] = Double.longBitsToDouble(random.nextLong());
    }
    check(bits, "random bits");
    checkSigmoid(bits, "random bits");
  }

  @Test
  void expEqualsTheScalarExpOnSpecialValuesAndBorders() {
    double[] borders = {
      7.09782712893383973096e+02, // overflow threshold
      -7.45133219101941108420e+02, // underflow threshold
      Double.longBitsToDouble(0x40862E42L << 32), // fdlibm's |x| ≥ 709.78 test
      Double.longBitsToDouble(0x3fd62e42L << 32 | 0xffffffffL), // the last unreduced |x|
      Double.longBitsToDouble(0x3fd62e43L << 32), // the first reduced one
      Double.longBitsToDouble(0x3e300000L << 32), // 2⁻²⁸
      Math.log(2) / 2,
      1.5 * Math.log(2),
      -708.3964185322641, // the smallest normal result's neighbourhood
      -1021 * Math.log(2),
      -1022 * Math.log(2),
      1,
      -1,
      0.5,
    };
    double[] x = new double[borders.length * 6 + 12];
    int i = 0;
    for (double b : borders) {
      for (double v : new double[] {b, -b}) {
        x[i++] = v;
        x[i++] = Math.nextUp(v);
        x[i++] = Math.nextDown(v);
      }
    }
    double[] specials = {
      Double.NaN,
      Double.longBitsToDouble(0xfff8000000000001L), // a negative NaN with a payload
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      0.0,
      -0.0,
      Double.MIN_VALUE,
      -Double.MIN_VALUE,
      Double.MIN_NORMAL,
      Double.MAX_VALUE,
      -Double.MAX_VALUE,
      1e-300,
    };
    System.arraycopy(specials, 0, x, i, specials.length);
    check(x, "borders and specials");
    checkSigmoid(x, "borders and specials");
  }

  @Test
  void sigmoidEqualsTheGeneratedFormulaOnEveryWidth() {
    SplittableRandom random = new SplittableRandom(15);
    for (int n = 0; n <= 70; n++) {
      for (int trial = 0; trial < 200; trial++) {
        double[] z = new double[n + 1];
        for (int j = 0; j <= n; j++) {
          z[j] = trial % 10 == 0 ? 1500 * (random.nextDouble() - 0.5) : 20 * random.nextGaussian();
        }
        double[] a = new double[n + 1];
        a[n] = 42.0; // past n: left alone
        Kernels.INSTANCE.sigmoid(z, a, n);
        for (int j = 0; j < n; j++) {
          double expected = 1.0 / (1.0 + NncMath.exp(-z[j]));
          assertWithMessage("sigmoid(%s), n %s", z[j], n)
              .that(Double.doubleToRawLongBits(a[j]))
              .isEqualTo(Double.doubleToRawLongBits(expected));
        }
        assertThat(a[n]).isEqualTo(42.0);
      }
    }
  }

  /**
   * The float sigmoid equals the generated float classes' {@code 1.0f / (1.0f + (float)
   * NncMath.exp(-z))} on every width 0-70 and past a chunk of the double scratch (256, 600), on
   * sigmoid's range, on arguments where exp under- or overflows, and on NaN, ±∞, ±0 and subnormals.
   */
  @Test
  void floatSigmoidEqualsTheGeneratedFormulaOnEveryWidth() {
    SplittableRandom random = new SplittableRandom(16);
    float[] specials = {
      Float.NaN,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      0f,
      -0f,
      Float.MIN_VALUE,
      -1e-40f,
      88.7f,
      -88.7f,
      745.2f,
      -745.2f,
      1e30f,
      -1e30f,
      Float.MAX_VALUE,
      -Float.MAX_VALUE
    };
    int[] wide = {256, 257, 600};
    for (int n = 0; n <= 70 + wide.length; n++) {
      int width = n <= 70 ? n : wide[n - 71];
      for (int trial = 0; trial < 100; trial++) {
        float[] z = new float[width + 1];
        for (int j = 0; j <= width; j++) {
          z[j] =
              trial % 10 == 0
                  ? specials[random.nextInt(specials.length)]
                  : trial % 10 == 1
                      ? (float) (1500 * (random.nextDouble() - 0.5))
                      : (float) (20 * random.nextGaussian());
        }
        float[] a = new float[width + 1];
        a[width] = 42f; // past n: left alone
        Kernels.INSTANCE.sigmoid(z, a, width);
        for (int j = 0; j < width; j++) {
          float expected = 1.0f / (1.0f + (float) NncMath.exp(-z[j]));
          assertWithMessage("sigmoid(%s), n %s", z[j], width)
              .that(Float.floatToIntBits(a[j])) // NaN: any NaN
              .isEqualTo(Float.floatToIntBits(expected));
        }
        assertThat(a[width]).isEqualTo(42f);
      }
    }
  }

  /**
   * Every row width across the chunks of the per-thread scratch (256 numbers): exp and both
   * sigmoids equal the scalar formulas.
   */
  @Test
  void wideRowsAcrossTheChunksAreTheScalarBits() {
    SplittableRandom random = new SplittableRandom(18);
    int[] widths = {255, 256, 257, 258, 263, 264, 265, 271, 511, 512, 513, 519, 520, 777};
    for (int n : widths) {
      for (int trial = 0; trial < 20; trial++) {
        double[] x = new double[n + 1];
        for (int j = 0; j <= n; j++) {
          x[j] = trial % 4 == 0 ? 1500 * (random.nextDouble() - 0.5) : 20 * random.nextGaussian();
        }
        double[] y = new double[n + 1];
        double[] a = new double[n + 1];
        float[] zf = new float[n + 1];
        float[] af = new float[n + 1];
        y[n] = 42.0; // past n: left alone
        a[n] = 42.0;
        af[n] = 42f;
        for (int j = 0; j < n; j++) {
          zf[j] = (float) x[j];
        }
        Kernels.INSTANCE.exp(x, y, n);
        Kernels.INSTANCE.sigmoid(x, a, n);
        Kernels.INSTANCE.sigmoid(zf, af, n);
        for (int j = 0; j < n; j++) {
          assertWithMessage("exp(%s), n %s", x[j], n)
              .that(Double.doubleToRawLongBits(y[j]))
              .isEqualTo(Double.doubleToRawLongBits(NncMath.exp(x[j])));
          assertWithMessage("sigmoid(%s), n %s", x[j], n)
              .that(Double.doubleToRawLongBits(a[j]))
              .isEqualTo(Double.doubleToRawLongBits(1.0 / (1.0 + NncMath.exp(-x[j]))));
          assertWithMessage("float sigmoid(%s), n %s", zf[j], n)
              .that(Float.floatToRawIntBits(af[j]))
              .isEqualTo(Float.floatToRawIntBits(1.0f / (1.0f + (float) NncMath.exp(-zf[j]))));
        }
        assertThat(new double[] {y[n], a[n], af[n]}).isEqualTo(new double[] {42.0, 42.0, 42.0});
      }
    }
  }

  /**
   * Kernels.sigmoid of −x (its exp then takes x) equals the generated classes' {@code 1.0 / (1.0 +
   * NncMath.exp(-z))} bit for bit (NaN: any NaN), whole and in every short prefix.
   */
  private static void checkSigmoid(double[] x, String what) {
    double[] z = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      z[i] = -x[i];
    }
    double[] a = new double[x.length];
    Kernels.INSTANCE.sigmoid(z, a, z.length);
    long mismatches = 0;
    String first = null;
    for (int i = 0; i < z.length; i++) {
      double expected = 1.0 / (1.0 + NncMath.exp(-z[i]));
      if (Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(expected)) {
        mismatches++;
        first = first != null ? first : "sigmoid(" + z[i] + ") = " + a[i] + ", scalar " + expected;
      }
    }
    assertWithMessage("sigmoid, %s: %s of %s differ, first %s", what, mismatches, z.length, first)
        .that(mismatches)
        .isEqualTo(0);
    for (int n = 1; n <= 20; n++) {
      double[] part = new double[n];
      Kernels.INSTANCE.sigmoid(z, part, n);
      for (int j = 0; j < n; j++) {
        assertThat(Double.doubleToLongBits(part[j])).isEqualTo(Double.doubleToLongBits(a[j]));
      }
    }
  }

  /** Kernels.exp of x, whole and in every short prefix, equal to NncMath.exp bit for bit. */
  private static void check(double[] x, String what) {
    SameBits.check("exp", Kernels.INSTANCE::exp, NncMath::exp, x, what);
  }
}
