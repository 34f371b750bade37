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
  /** high(|x|) ≥ 0x40862E42: |x| ≥ 709.78…, where overflow and underflow are tested. */
  private static final double BIG = Double.longBitsToDouble(0x40862E42L << 32);

  /** high(|x|) > 0x3fd62e42: |x| > ln2/2 (by fdlibm's test), where x is reduced by k·ln2. */
  private static final double REDUCE = Double.longBitsToDouble(0x3fd62e43L << 32);

  /** high(|x|) < 0x3e300000: |x| < 2⁻²⁸, where eˣ = 1 + x. */
  private static final double SMALL = Double.longBitsToDouble(0x3e300000L << 32);

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
      // x = k·ln2 + r: k = (long) (x/ln2 ± 0.5), truncated toward zero as fdlibm's (int) cast
      VectorMask<Double> reduce = ax.compare(VectorOperators.GE, REDUCE);
      DoubleVector half =
          DoubleVector.broadcast(D, 0.5).blend(-0.5, v.compare(VectorOperators.LT, 0.0));
      DoubleVector kd = v.mul(INV_LN2).add(half);
      DoubleVector t =
          ((DoubleVector) kd.convert(VectorOperators.D2L, 0).convert(VectorOperators.L2D, 0))
              .blend(0.0, reduce.not());
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
      // scale by 2^k in the exponent bits; below 2^−1021 a subnormal: 2^(k+1000) then × 2^−1000
      LongVector k = (LongVector) t.convert(VectorOperators.D2L, 0);
      LongVector bits = e.reinterpretAsLongs();
      DoubleVector normal = bits.add(k.lanewise(VectorOperators.LSHL, 52)).reinterpretAsDoubles();
      DoubleVector subnormal =
          bits.add(k.add(1000).lanewise(VectorOperators.LSHL, 52))
              .reinterpretAsDoubles()
              .mul(TWO_M1000);
      DoubleVector result = normal.blend(subnormal, t.compare(VectorOperators.LT, -1021.0));
      // the early returns of fdlibm, last to first so the first wins
      result = result.blend(v.add(1.0), ax.compare(VectorOperators.LT, SMALL));
      VectorMask<Double> big = ax.compare(VectorOperators.GE, BIG);
      result = result.blend(0.0, big.and(v.compare(VectorOperators.LT, U_THRESHOLD)));
      result =
          result.blend(
              Double.POSITIVE_INFINITY, big.and(v.compare(VectorOperators.GT, O_THRESHOLD)));
      result = result.blend(v.add(v), v.test(VectorOperators.IS_NAN));
      if (sigmoid) {
        result = DoubleVector.broadcast(D, 1.0).div(result.add(1.0));
      }
      result.intoArray(y, j);
    }
  }
}
