package dev.nnc.runtime.kernels;

import dev.nnc.runtime.NncMath;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link NncMath#exp} lane by lane with the Vector API, bit for bit: fdlibm's e_exp.c as {@code
 * NncMath} writes it (only {@code + − × ÷}, comparisons and bit operations, no fused multiply-add),
 * every lane computing the reduced path and each of fdlibm's branches becoming a select. The same
 * IEEE operations in the same order on the same operands give the same bits, so a sigmoid layer
 * computes the same activations on either kernel path ({@code VectorMathTest}: 10⁶ arguments per
 * range and every special value, against the scalar {@code NncMath.exp}).
 *
 * <p>Hand-written (not by {@code GenerateVectorKernels}) and compiled with the vector module beside
 * {@code VectorKernels}. One method holds the whole loop, so no vector crosses a call (a vector
 * passed to or returned from a method C2 does not inline is boxed).
 */
final class VectorMath {
  private VectorMath() {}

  private static final VectorSpecies<Double> D = VectorKernels.doubleSpecies();

  private static final double O_THRESHOLD = 7.09782712893383973096e+02;
  private static final double U_THRESHOLD = -7.45133219101941108420e+02;
  private static final double LN2_HI = 6.93147180369123816490e-01;
  private static final double LN2_LO = 1.90821492927058770002e-10;
  private static final double INV_LN2 = 1.44269504088896338700e+00;
  private static final double P1 = 1.66666666666666019037e-01;
  private static final double P2 = -2.77777777770155933842e-03;
  private static final double P3 = 6.61375632143793436117e-05;
  private static final double P4 = -1.65339022054652515390e-06;
  private static final double P5 = 4.13813679705723846039e-08;
  private static final double TWO_M1000 = 0x1p-1000;

  // fdlibm tests the high word of |x|; for numbers (not NaN) "high(|x|) ≥ H" is "|x| ≥ the double
  // whose bits are H followed by 32 zero bits", and "high(|x|) > H" is "|x| ≥ (H + 1) << 32"
  /** 1.5·2⁵²: x + it − it rounds x to an integer; the low bits of k + it are k. */
  private static final double ROUNDER = 0x1.8p52;

  private static final long ROUNDER_BITS = Double.doubleToRawLongBits(ROUNDER);

  /** high(|x|) > 0x3fd62e42: |x| > ln2/2 (by fdlibm's test), where x is reduced by k·ln2. */
  private static final double REDUCE = Double.longBitsToDouble(0x3fd62e43L << 32);

  /** high(|x|) < 0x3e300000: |x| < 2⁻²⁸, where eˣ = 1 + x. */
  private static final double SMALL = Double.longBitsToDouble(0x3e300000L << 32);

  /** Numbers of a float row per pass of {@link #sigmoid(float[], float[], int)}. */
  static final int FLOAT_CHUNK = 256;

  /** Per thread: −z of a chunk of a float row as doubles, and their exp (made on first use). */
  private static final ThreadLocal<double[][]> FLOAT_SCRATCH =
      ThreadLocal.withInitial(() -> new double[2][FLOAT_CHUNK]);

  /**
   * {@code a[j] = 1.0f / (1.0f + (float) NncMath.exp(-z[j]))}, the generated float classes'
   * sigmoid, bit for bit: −z widened to double (exact), its exp lane by lane in double ({@link
   * #map}, NncMath's bits), then the same float rounding and division as the scalar formula, in a
   * loop C2 vectorises. Through a per-thread double scratch, a chunk at a time, because a float
   * vector converted to doubles would need a second vector shape beside the kernels' one (which
   * makes C2 box every vector; see VectorKernels).
   */
  static void sigmoid(float[] z, float[] a, int n) {
    double[][] scratch = FLOAT_SCRATCH.get();
    double[] x = scratch[0];
    double[] e = scratch[1];
    for (int j0 = 0; j0 < n; j0 += FLOAT_CHUNK) {
      int m = Math.min(FLOAT_CHUNK, n - j0);
      for (int j = 0; j < m; j++) {
        x[j] = -z[j0 + j];
      }
      map(x, e, m, false);
      for (int j = 0; j < m; j++) {
        a[j0 + j] = 1.0f / (1.0f + (float) e[j]);
      }
    }
  }

  /**
   * {@code y[j] = NncMath.exp(x[j])}, or with {@code sigmoid} {@code y[j] = 1.0 / (1.0 +
   * NncMath.exp(-x[j]))} (the generated classes' sigmoid), for j < n; y must not be x. Rows
   * narrower than a vector are done by the scalar code; otherwise the last vector overlaps its
   * neighbour (it recomputes the same elements from x, so the same values).
   */
  static void map(double[] x, double[] y, int n, boolean sigmoid) {
    int lanes = D.length();
    if (n < lanes) {
      for (int j = 0; j < n; j++) {
        y[j] = sigmoid ? 1.0 / (1.0 + NncMath.exp(-x[j])) : NncMath.exp(x[j]);
      }
      return;
    }
    for (int j0 = 0; j0 < n; j0 += lanes) {
      int j = Math.min(j0, n - lanes);
      DoubleVector v = DoubleVector.fromArray(D, x, j);
      if (sigmoid) {
        v = v.neg();
      }
      DoubleVector ax = v.abs();
      // x = k·ln2 + r: k = (int) (x/ln2 ± 0.5), truncated toward zero as fdlibm's cast, which is
      // the sign of x times the truncation of |x|/ln2 + 0.5 (round-to-nearest is symmetric). No
      // double-to-long conversion (JDK 17's C2 does not intrinsify it, and boxes): adding and
      // subtracting 1.5·2⁵² rounds to the nearest integer (exact below 2⁵¹), then one step down
      // where that rounded up
      DoubleVector a = ax.mul(INV_LN2).add(0.5);
      DoubleVector rounded = a.add(ROUNDER).sub(ROUNDER);
      DoubleVector truncated = rounded.sub(1.0, rounded.compare(VectorOperators.GT, a));
      DoubleVector t =
          truncated
              .blend(truncated.neg(), v.compare(VectorOperators.LT, 0.0))
              // k = 0 where fdlibm does not reduce (|x| ≤ ln2/2 by its high-word test)
              .blend(0.0, ax.compare(VectorOperators.LT, REDUCE));
      DoubleVector hi = v.sub(t.mul(LN2_HI)); // exact: LN2_HI has 32 trailing zero bits
      DoubleVector lo = t.mul(LN2_LO);
      DoubleVector r = hi.sub(lo);
      DoubleVector r2 = r.mul(r);
      DoubleVector c =
          r.sub(r2.mul(r2.mul(r2.mul(r2.mul(r2.mul(P5).add(P4)).add(P3)).add(P2)).add(P1)));
      // 1 − ((lo − (r·c)/(2 − c)) − hi); for unreduced lanes hi = x, lo = +0 (fdlibm's k = 0 form)
      DoubleVector e =
          DoubleVector.broadcast(D, 1.0)
              .sub(lo.sub(r.mul(c).div(DoubleVector.broadcast(D, 2.0).sub(c))).sub(hi));
      // scale by 2^k in the exponent bits; below 2^−1021 a subnormal: 2^(k+1000), then × 2^−1000
      // (one rounding, in that product). k (+ 1000) as a long: the low bits of k + 1.5·2⁵² hold
      // it in two's complement
      VectorMask<Double> subnormal = t.compare(VectorOperators.LT, -1021.0);
      LongVector k =
          t.add(1000.0, subnormal).add(ROUNDER).reinterpretAsLongs().sub(ROUNDER_BITS);
      DoubleVector result =
          e.reinterpretAsLongs()
              .add(k.lanewise(VectorOperators.LSHL, 52))
              .reinterpretAsDoubles()
              .mul(DoubleVector.broadcast(D, 1.0).blend(TWO_M1000, subnormal));
      // fdlibm's early returns, last to first so that the first wins: 1 + x for |x| < 2⁻²⁸, 0
      // below the underflow threshold, +∞ above the overflow one (both imply |x| ≥ 709.78, its
      // outer test; so do ±∞), x + x for NaN
      result = result.blend(v.add(1.0), ax.compare(VectorOperators.LT, SMALL));
      result = result.blend(0.0, v.compare(VectorOperators.LT, U_THRESHOLD));
      result = result.blend(Double.POSITIVE_INFINITY, v.compare(VectorOperators.GT, O_THRESHOLD));
      result = result.blend(v.add(v), v.compare(VectorOperators.NE, v));
      if (sigmoid) {
        result = DoubleVector.broadcast(D, 1.0).div(result.add(1.0));
      }
      result.intoArray(y, j);
    }
  }
}
