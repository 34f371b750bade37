package dev.nnc.runtime.kernels;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.runtime.NncMath;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The lane-wise {@link NncMath#log1p} of the Vector API kernels and the binary cross-entropy's
 * softplus built on it (in the surefire execution {@code vector}, flag on): every bit equal to the
 * scalar functions, on 10⁶ arguments in each range where fdlibm's s_log1p.c takes another branch
 * (and across the borders between them), on every border ±1 ulp and every special value; softplus
 * on every row width and row range (chunks of the scratch that end inside a row), double and float.
 * NaN in gives NaN out (its payload is not compared, as in {@code ExpVectorTest}).
 */
class SoftplusVectorTest {
  private static final int COUNT = 1_000_000;

  @Test
  void theVectorKernelsAreInUse() {
    assertThat(Kernels.INSTANCE.vectorized()).isTrue();
  }

  @Test
  void log1pEqualsTheScalarLog1pBitForBitInEveryRange() {
    SplittableRandom random = new SplittableRandom(17);
    double[][] ranges = {
      {0, 1}, // e^−|z|: the binary cross-entropy's arguments
      {-1, 1}, // both reductions, the unreduced middle
      {-0.2929, 0.41422}, // unreduced: f = x, k = 0
      {-1, -0.29}, // reduced below: u = 1 + x < 1
      {0.41, 4}, // reduced above, k = 0 and 1
      {-1e-8, 1e-8}, // |x| < 2⁻²⁹ (x − x²/2) and around it
      {1e15, 1e17}, // around 2⁵³ (u = x, c = 0 from there on)
      {-1, 1e300}, // everything above −1
    };
    for (double[] range : ranges) {
      double[] x = new double[COUNT];
      for (int i = 0; i < COUNT; i++) {
        x[i] = range[0] + (range[1] - range[0]) * random.nextDouble();
      }
      check(x, "range " + range[0] + ".." + range[1]);
    }
    double[] binades = new double[COUNT]; // every exponent: |f| < 2⁻²⁰ after u's rounding, etc.
    for (int i = 0; i < COUNT; i++) {
      double m = 1 + random.nextDouble();
      binades[i] = (random.nextBoolean() ? m : -m) * Math.scalb(1.0, random.nextInt(-60, 1024));
    }
    check(binades, "every binade");
    double[] nearOne = new double[COUNT]; // 1 + x within 2⁻²⁰ of a power of two: fdlibm's hu == 0
    double[] powers = {0.5, 1, 2, 4, 1024, 0x1p52};
    for (int i = 0; i < COUNT; i++) {
      double p = powers[random.nextInt(powers.length)];
      nearOne[i] = p * (1 + 0x1p-19 * (random.nextDouble() - 0.5)) - 1;
    }
    check(nearOne, "1 + x near a power of two");
    double[] bits = new double[COUNT]; // any double at all: NaNs, infinities, subnormals
    for (int i = 0; i < COUNT; i++) {
      bits[i] = Double.longBitsToDouble(random.nextLong());
    }
    check(bits, "random bits");
  }

  @Test
  void log1pEqualsTheScalarLog1pOnSpecialValuesAndBorders() {
    double[] borders = {
      Double.longBitsToDouble(0x3FDA827AL << 32), // fdlibm's 0.41422 (no reduction below)
      -Double.longBitsToDouble(0x3fd2bec4L << 32), // its −0.2929 (no reduction above)
      -Double.longBitsToDouble(0x3fd2bec3L << 32),
      0x1p-29,
      0x1p-54,
      0x1p53,
      1,
      Math.sqrt(2) - 1, // 1 + x at fdlibm's √2 test (hu = 0x6a09e)
      Double.longBitsToDouble(0x3ff6a09eL << 32) - 1,
      Double.longBitsToDouble(0x3ff6a09dL << 32 | 0xffffffffL) - 1,
      0x1p-20,
      -0x1p-20,
      Math.E - 1,
      1e-300,
    };
    double[] x = new double[borders.length * 6 + 14];
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
      -1.0,
      Math.nextUp(-1.0),
      Math.nextDown(-1.0),
      Double.MIN_VALUE,
      -Double.MIN_VALUE,
      Double.MIN_NORMAL,
      Double.MAX_VALUE,
      -Double.MAX_VALUE,
    };
    System.arraycopy(specials, 0, x, i, specials.length);
    check(x, "borders and specials");
  }

  /**
   * softplus of double and float rows equals the generated classes' {@code Math.max(z, 0.0) +
   * NncMath.log1p(NncMath.exp(-Math.abs(z)))}, and both sigmoids of a block of rows their {@code
   * 1.0 / (1.0 + NncMath.exp(-z))} and {@code 1.0f / (1.0f + (float) NncMath.exp(-z))}, on every
   * width 0-70 and wider rows (a scratch chunk of 512 ends inside a row), on row ranges that start
   * anywhere, with special values; rows outside the range and numbers past n are left alone.
   */
  @Test
  void softplusEqualsTheGeneratedFormulaOnEveryWidthAndRange() {
    SplittableRandom random = new SplittableRandom(18);
    double[] specials = {
      Double.NaN,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      0.0,
      -0.0,
      Double.MIN_VALUE,
      -1e-40,
      745.2,
      -745.2,
      40,
      -40,
      1e-20,
      Double.MAX_VALUE,
      -Double.MAX_VALUE
    };
    int[] wide = {100, 511, 512, 513, 1300};
    for (int w = 0; w <= 70 + wide.length; w++) {
      int n = w <= 70 ? w : wide[w - 71];
      for (int trial = 0; trial < 20; trial++) {
        int rows = 1 + random.nextInt(n < 20 ? 90 : 6);
        int from = random.nextInt(rows);
        int to = from + random.nextInt(rows - from + 1);
        double[][] z = new double[rows][n + 1];
        float[][] zf = new float[rows][n + 1];
        for (double[] row : z) {
          for (int j = 0; j <= n; j++) {
            row[j] =
                trial % 5 == 0
                    ? specials[random.nextInt(specials.length)]
                    : trial % 5 == 1
                        ? 1500 * (random.nextDouble() - 0.5)
                        : 8 * random.nextGaussian();
          }
        }
        for (int r = 0; r < rows; r++) {
          for (int j = 0; j <= n; j++) {
            zf[r][j] = (float) z[r][j];
          }
        }
        double[][] y = new double[rows][n + 1];
        double[][] yf = new double[rows][n + 1];
        for (int r = 0; r < rows; r++) {
          java.util.Arrays.fill(y[r], 42.0);
          java.util.Arrays.fill(yf[r], 42.0);
        }
        Kernels.INSTANCE.softplus(z, y, from, to, n);
        Kernels.INSTANCE.softplus(zf, yf, from, to, n);
        float[][] af = new float[rows][n + 1];
        for (float[] row : af) {
          java.util.Arrays.fill(row, 42f);
        }
        Kernels.INSTANCE.sigmoid(zf, af, from, to, n);
        double[][] a = new double[rows][n + 1];
        for (double[] row : a) {
          java.util.Arrays.fill(row, 42.0);
        }
        Kernels.INSTANCE.sigmoid(z, a, from, to, n);
        for (int r = 0; r < rows; r++) {
          boolean inside = r >= from && r < to;
          for (int j = 0; j <= n; j++) {
            double v = z[r][j];
            double vf = zf[r][j];
            double expected =
                inside && j < n ? Math.max(v, 0.0) + NncMath.log1p(NncMath.exp(-Math.abs(v))) : 42;
            double expectedF =
                inside && j < n
                    ? Math.max(vf, 0.0) + NncMath.log1p(NncMath.exp(-Math.abs(vf)))
                    : 42;
            assertWithMessage("softplus(%s), n %s, rows %s..%s of %s", v, n, from, to, rows)
                .that(Double.doubleToLongBits(y[r][j])) // NaN: any NaN
                .isEqualTo(Double.doubleToLongBits(expected));
            assertWithMessage(
                    "softplus((float) %s), n %s, rows %s..%s of %s", vf, n, from, to, rows)
                .that(Double.doubleToLongBits(yf[r][j]))
                .isEqualTo(Double.doubleToLongBits(expectedF));
            float sigmoid = inside && j < n ? 1.0f / (1.0f + (float) NncMath.exp(-zf[r][j])) : 42f;
            assertWithMessage("sigmoid((float) %s), n %s, rows %s..%s of %s", vf, n, from, to, rows)
                .that(Float.floatToIntBits(af[r][j])) // NaN: any NaN
                .isEqualTo(Float.floatToIntBits(sigmoid));
            double sigmoidD = inside && j < n ? 1.0 / (1.0 + NncMath.exp(-v)) : 42.0;
            assertWithMessage("sigmoid(%s), n %s, rows %s..%s of %s", v, n, from, to, rows)
                .that(Double.doubleToLongBits(a[r][j])) // NaN: any NaN
                .isEqualTo(Double.doubleToLongBits(sigmoidD));
          }
        }
      }
    }
  }

  /** Kernels.log1p of x, whole and in every short prefix, equal to NncMath.log1p bit for bit. */
  private static void check(double[] x, String what) {
    SameBits.check("log1p", Kernels.INSTANCE::log1p, NncMath::log1p, x, what);
  }
}
