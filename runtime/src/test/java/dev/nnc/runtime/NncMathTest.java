package dev.nnc.runtime;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * NncMath against {@link StrictMath} bit for bit (the same fdlibm algorithms: this is what makes a
 * trained network independent of the JDK's intrinsics), against a 60-digit reference for the ulp
 * bound the class documents, and on the special values.
 */
class NncMathTest {
  private static final int SAMPLES = 1_000_000;
  private static final MathContext MC = new MathContext(60, RoundingMode.HALF_EVEN);

  /** Arguments over the whole double range, the interesting ranges, and every bit pattern. */
  private static double argument(SplittableRandom random, int i) {
    return switch (i % 5) {
      case 0 -> (random.nextDouble() * 2 - 1) * 800; // exp's range and beyond
      case 1 -> (random.nextDouble() * 2 - 1) * 3; // where the branches of the reductions meet
      case 2 -> Double.longBitsToDouble(random.nextLong()); // any double, NaNs and subnormals too
      case 3 -> (random.nextDouble() * 2 - 1) * Math.scalb(1.0, random.nextInt(-80, 12));
      default -> (random.nextDouble() * 2 - 1) * 25; // tanh's range
    };
  }

  private static final double[] SPECIAL = {
    Double.NaN,
    -Double.NaN,
    Double.longBitsToDouble(0x7ff0000000000001L), // a signalling NaN pattern
    0.0,
    -0.0,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    Double.MIN_VALUE,
    -Double.MIN_VALUE,
    Double.MIN_NORMAL,
    Double.MAX_VALUE,
    -Double.MAX_VALUE,
    709.782712893384, // exp overflows above
    709.7827128933839,
    -745.1332191019411, // exp underflows to 0 below
    -745.1332191019412,
    -708.4, // exp's result subnormal
    -740.0,
    0x1p-28,
    0x1p-54,
    0x1p-55,
    22.0,
    21.999999999999996,
    1.0,
    -1.0,
    0.34657359027997264, // ln2/2
    1.0397207708399179, // 3·ln2/2
    38.816242111356935, // 56·ln2
    1.0 + 0x1p-52,
    1.0 - 0x1p-53,
  };

  private static void assertSameBits(
      String name, DoubleUnaryOperator nnc, DoubleUnaryOperator strict) {
    SplittableRandom random = new SplittableRandom(14);
    for (int i = 0; i < SAMPLES + SPECIAL.length; i++) {
      double x = i < SPECIAL.length ? SPECIAL[i] : argument(random, i);
      for (double arg : new double[] {x, Math.abs(x)}) {
        long ours = Double.doubleToLongBits(nnc.applyAsDouble(arg));
        long theirs = Double.doubleToLongBits(strict.applyAsDouble(arg));
        if (ours != theirs) {
          assertWithMessage(
                  "%s(%s) = %s, StrictMath gives %s",
                  name, arg, Double.longBitsToDouble(ours), Double.longBitsToDouble(theirs))
              .fail();
        }
      }
    }
  }

  @Test
  void expIsStrictMathsBitForBit() {
    assertSameBits("exp", NncMath::exp, StrictMath::exp);
  }

  @Test
  void expm1IsStrictMathsBitForBit() {
    assertSameBits("expm1", NncMath::expm1, StrictMath::expm1);
  }

  @Test
  void logIsStrictMathsBitForBit() {
    assertSameBits("log", NncMath::log, StrictMath::log);
    // positive arguments over every binade, subnormals included
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < SAMPLES; i++) {
      double x = Math.scalb(1 + random.nextDouble(), random.nextInt(-1075, 1024));
      assertThat(Double.doubleToLongBits(NncMath.log(x)))
          .isEqualTo(Double.doubleToLongBits(StrictMath.log(x)));
    }
  }

  @Test
  void log1pIsStrictMathsBitForBit() {
    assertSameBits("log1p", NncMath::log1p, StrictMath::log1p);
    SplittableRandom random = new SplittableRandom(5);
    // the binary cross-entropy's arguments e^−|z|, (−1, 1), fdlibm's branch borders (0.41422,
    // −0.2929, 2⁻²⁹, 2⁻⁵⁴, 2⁵³, √2 − 1 after the reduction) and every positive binade
    double[] borders = {
      0.41421356237309503, -0.29289321881345254, 0x1p-29, 0x1p-54, 0x1p53, 0.41422, -0.2929
    };
    for (int i = 0; i < SAMPLES; i++) {
      double[] xs = {
        NncMath.exp(-random.nextDouble() * 40),
        random.nextDouble() * 2 - 1,
        Math.nextAfter(
            borders[i % borders.length] * (1 + (random.nextDouble() - 0.5) * 1e-6),
            random.nextBoolean() ? 1 : -1),
        Math.scalb(1 + random.nextDouble(), random.nextInt(-1075, 1024)),
      };
      for (double x : xs) {
        if (Double.doubleToLongBits(NncMath.log1p(x))
            != Double.doubleToLongBits(StrictMath.log1p(x))) {
          assertWithMessage(
                  "log1p(%s) = %s, StrictMath gives %s", x, NncMath.log1p(x), StrictMath.log1p(x))
              .fail();
        }
      }
    }
  }

  @Test
  void tanhIsStrictMathsBitForBit() {
    assertSameBits("tanh", NncMath::tanh, StrictMath::tanh);
  }

  @Test
  void specialValues() {
    assertThat(NncMath.exp(Double.NaN)).isNaN();
    assertThat(NncMath.exp(Double.POSITIVE_INFINITY)).isPositiveInfinity();
    assertThat(Double.doubleToRawLongBits(NncMath.exp(Double.NEGATIVE_INFINITY))).isEqualTo(0L);
    assertThat(NncMath.exp(710.0)).isPositiveInfinity(); // overflow
    assertThat(Double.doubleToRawLongBits(NncMath.exp(-746.0))).isEqualTo(0L); // underflow to +0
    assertThat(NncMath.exp(-745.0)).isEqualTo(Double.MIN_VALUE); // the last subnormal
    assertThat(NncMath.exp(-0.0)).isEqualTo(1.0);
    assertThat(NncMath.log(0.0)).isNegativeInfinity();
    assertThat(NncMath.log(-0.0)).isNegativeInfinity();
    assertThat(NncMath.log(-1e-300)).isNaN();
    assertThat(NncMath.log(Double.NEGATIVE_INFINITY)).isNaN();
    assertThat(NncMath.log(Double.POSITIVE_INFINITY)).isPositiveInfinity();
    assertThat(NncMath.log(Double.NaN)).isNaN();
    assertThat(NncMath.log(1.0)).isEqualTo(0.0);
    assertThat(NncMath.log(Double.MIN_VALUE)).isWithin(1e-12).of(-744.4400719213812);
    assertThat(NncMath.log1p(-1.0)).isNegativeInfinity();
    assertThat(NncMath.log1p(-1.5)).isNaN();
    assertThat(NncMath.log1p(Double.NEGATIVE_INFINITY)).isNaN();
    assertThat(NncMath.log1p(Double.POSITIVE_INFINITY)).isPositiveInfinity();
    assertThat(NncMath.log1p(Double.NaN)).isNaN();
    assertThat(Double.doubleToRawLongBits(NncMath.log1p(-0.0)))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(NncMath.log1p(1e-300)).isEqualTo(1e-300);
    assertThat(NncMath.tanh(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
    assertThat(NncMath.tanh(Double.NEGATIVE_INFINITY)).isEqualTo(-1.0);
    assertThat(NncMath.tanh(Double.NaN)).isNaN();
    assertThat(Double.doubleToRawLongBits(NncMath.tanh(-0.0)))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(Double.doubleToRawLongBits(NncMath.tanh(0.0))).isEqualTo(0L);
    assertThat(NncMath.tanh(1e-300)).isEqualTo(1e-300);
    assertThat(NncMath.expm1(-0.0)).isEqualTo(-0.0);
    assertThat(NncMath.expm1(Double.NEGATIVE_INFINITY)).isEqualTo(-1.0);
    assertThat(NncMath.expm1(1e-300)).isEqualTo(1e-300);
    assertThat(NncMath.sigmoid(0.0)).isEqualTo(0.5);
    assertThat(NncMath.sigmoid(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
    assertThat(NncMath.sigmoid(Double.NEGATIVE_INFINITY)).isEqualTo(0.0);
    assertThat(NncMath.sigmoid(-800.0)).isEqualTo(0.0);
    assertThat(NncMath.sigmoid(40.0)).isEqualTo(1.0);
    assertThat(NncMath.sigmoid(Double.NaN)).isNaN();
  }

  // ---------------------------------------------------------------------------------------------
  // The ulp bound, against 60 significant digits.

  /** e^x to 60 digits: the series of x/2^m, squared m times (each squaring loses a bit). */
  private static BigDecimal exactExp(BigDecimal x) {
    int m =
        Math.max(0, (int) Math.ceil(Math.log(Math.abs(x.doubleValue()) + 1) / Math.log(2)) + 10);
    MathContext mc = new MathContext(MC.getPrecision() + m / 3 + 10);
    BigDecimal r = x.divide(BigDecimal.valueOf(2).pow(m), mc);
    BigDecimal term = BigDecimal.ONE;
    BigDecimal sum = BigDecimal.ONE;
    for (int n = 1; n < 60; n++) {
      term = term.multiply(r, mc).divide(BigDecimal.valueOf(n), mc);
      sum = sum.add(term, mc);
    }
    for (int i = 0; i < m; i++) {
      sum = sum.multiply(sum, mc);
    }
    return sum.round(MC);
  }

  /** log x to 60 digits: two Newton steps on e^y = x from StrictMath's value. */
  private static BigDecimal exactLog(double x) {
    BigDecimal bx = new BigDecimal(x);
    BigDecimal y = new BigDecimal(StrictMath.log(x));
    for (int i = 0; i < 2; i++) {
      BigDecimal e = exactExp(y);
      y = y.add(bx.subtract(e, MC).divide(e, MC), MC);
    }
    return y;
  }

  /** |computed − exact| in ulps of the computed value (normal results only). */
  private static double ulps(double computed, BigDecimal exact) {
    return new BigDecimal(computed).subtract(exact).abs().doubleValue() / Math.ulp(computed);
  }

  @Test
  void errorsAreBelowTheStatedUlpBounds() {
    SplittableRandom random = new SplittableRandom(5);
    double worstExp = 0;
    double worstLog = 0;
    double worstTanh = 0;
    double worstSigmoid = 0;
    for (int i = 0; i < 1_500; i++) {
      double x =
          i % 2 == 0 ? (random.nextDouble() * 2 - 1) * 700 : (random.nextDouble() * 2 - 1) * 4;
      BigDecimal ex = exactExp(new BigDecimal(x));
      worstExp = Math.max(worstExp, ulps(NncMath.exp(x), ex));
      double s = x / 30; // sigmoid and tanh where they are not yet ±1
      BigDecimal es = exactExp(new BigDecimal(-s));
      worstSigmoid =
          Math.max(
              worstSigmoid,
              ulps(NncMath.sigmoid(s), BigDecimal.ONE.divide(BigDecimal.ONE.add(es), MC)));
      double t = s / 2;
      BigDecimal e2 = exactExp(new BigDecimal(2 * t));
      if (t != 0) {
        BigDecimal tanh = e2.subtract(BigDecimal.ONE).divide(e2.add(BigDecimal.ONE), MC);
        worstTanh = Math.max(worstTanh, ulps(NncMath.tanh(t), tanh));
      }
      double y = Math.scalb(1 + random.nextDouble(), random.nextInt(-1000, 1000));
      worstLog = Math.max(worstLog, ulps(NncMath.log(y), exactLog(y)));
    }
    // the bounds NncMath documents: fdlibm's < 1 ulp for exp and log, 2.5 ulp for tanh (what
    // java.lang.Math promises for it; measured 1.68 here), 2 for sigmoid (exp's, then 1 + e and
    // 1/·)
    assertThat(worstExp).isLessThan(1.0);
    assertThat(worstLog).isLessThan(1.0);
    assertThat(worstTanh).isLessThan(2.5);
    assertThat(worstSigmoid).isLessThan(2.0);
  }

  @Test
  void integerPowersAreWithinTheirRoundings() {
    for (double beta : new double[] {0.9, 0.999, 0.5, 1.0 - 0x1p-40}) {
      for (int n = 0; n < 1_000_000; n = n * 3 / 2 + 1) {
        double exact = StrictMath.pow(beta, n);
        assertWithMessage("%s^%s", beta, n)
            .that(Math.abs(NncMath.pow(beta, n) - exact))
            .isAtMost((n + 1) * Math.ulp(exact));
      }
    }
    assertThat(NncMath.pow(0.9, 0)).isEqualTo(1.0);
    assertThat(NncMath.pow(0.5, 3)).isEqualTo(0.125);
  }
}
