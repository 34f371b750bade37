package dev.nnc.runtime;

/**
 * The elementary functions of generated networks: {@code exp}, {@code expm1}, {@code log}, {@code
 * log1p}, {@code tanh} and {@code sigmoid}, in plain Java, so that a trained network does not
 * depend on which JDK ran it.
 *
 * <p>{@link Math#exp}, {@link Math#log} and {@link Math#tanh} may be replaced by JIT intrinsics,
 * and the intrinsics differ between JDK releases (JDK 25's {@code Math.tanh} changed XOR's trained
 * weights in the 13th digit); {@link StrictMath} is exact to the bit but, on JDK 17, a native call
 * that C2 can neither inline nor vectorise. These are ports of the same fdlibm 5.3 algorithms that
 * {@code StrictMath} specifies, written with {@code + − × ÷}, comparisons and bit operations only
 * (no {@code Math.fma}, no intrinsic): their results are identical to {@code StrictMath}'s (tested
 * on millions of arguments in {@code NncMathTest}), so their error is fdlibm's on every JDK and
 * every machine: below 1 ulp for {@code exp}, {@code expm1} and {@code log}, below 2.5 ulp for
 * {@code tanh} (java.lang.Math's bound for it; 1.68 measured), below 2 ulp for {@code sigmoid} (the
 * test measures each against a 60-digit reference). Each branch is a lane-wise select in a vector
 * version, so a Vector API loop can give the same bits.
 *
 * <p>Special values are IEEE's and fdlibm's: NaN in, NaN out; {@code exp(+∞) = +∞}, {@code exp(−∞)
 * = +0}, {@code exp} overflows to +∞ above 709.782712893384 and underflows (through the subnormals)
 * to +0 below −745.1332191019412; {@code log(±0) = −∞}, {@code log(x < 0) = NaN}, {@code log(+∞) =
 * +∞}; {@code tanh(±∞) = ±1}, {@code tanh(±0) = ±0}.
 */
public final class NncMath {
  private NncMath() {}

  private static final double ONE = 1.0;
  private static final double TINY = 1.0e-300;
  private static final double TWO_M1000 = 0x1p-1000;
  private static final double TWO54 = 0x1p54;
  private static final double O_THRESHOLD = 7.09782712893383973096e+02;
  private static final double U_THRESHOLD = -7.45133219101941108420e+02;
  private static final double LN2_HI = 6.93147180369123816490e-01;
  private static final double LN2_LO = 1.90821492927058770002e-10;
  private static final double INV_LN2 = 1.44269504088896338700e+00;

  // exp(r) on |r| ≤ ln2/2: a degree-5 polynomial in r² for R(r²) = r·(e^r + 1)/(e^r − 1) − 2
  private static final double P1 = 1.66666666666666019037e-01;
  private static final double P2 = -2.77777777770155933842e-03;
  private static final double P3 = 6.61375632143793436117e-05;
  private static final double P4 = -1.65339022054652515390e-06;
  private static final double P5 = 4.13813679705723846039e-08;

  // expm1(r): the scaled coefficients of fdlibm's s_expm1.c
  private static final double Q1 = -3.33333333333331316428e-02;
  private static final double Q2 = 1.58730158725481460165e-03;
  private static final double Q3 = -7.93650757867487942473e-05;
  private static final double Q4 = 4.00821782732936239552e-06;
  private static final double Q5 = -2.01099218183624371326e-07;

  // log(1 + f) = f − f²/2 + s·(f²/2 + R(s²)), s = f/(2 + f)
  private static final double LG1 = 6.666666666666735130e-01;
  private static final double LG2 = 3.999999999940941908e-01;
  private static final double LG3 = 2.857142874366239149e-01;
  private static final double LG4 = 2.222219843214978396e-01;
  private static final double LG5 = 1.818357216161805012e-01;
  private static final double LG6 = 1.531383769920937332e-01;
  private static final double LG7 = 1.479819860511658591e-01;

  private static int high(double x) {
    return (int) (Double.doubleToRawLongBits(x) >>> 32);
  }

  private static double withHigh(double x, int high) {
    return Double.longBitsToDouble(
        ((long) high << 32) | (Double.doubleToRawLongBits(x) & 0xffffffffL));
  }

  /**
   * eˣ, identical to {@link StrictMath#exp} (fdlibm's e_exp.c): x = k·ln2 + r with |r| ≤ ln2/2, e^r
   * from a rational approximation, then scaled by 2^k.
   */
  public static double exp(double x) {
    int hx = high(x);
    boolean negative = hx < 0;
    hx &= 0x7fffffff;
    if (hx >= 0x40862E42) { // |x| ≥ 709.78…
      if (hx >= 0x7ff00000) {
        if (x != x) {
          return x + x; // NaN
        }
        return negative ? 0.0 : x; // exp(−∞) = 0, exp(+∞) = +∞
      }
      if (x > O_THRESHOLD) {
        return Double.POSITIVE_INFINITY;
      }
      if (x < U_THRESHOLD) {
        return 0.0;
      }
    }
    double hi = x;
    double lo = 0.0;
    int k = 0;
    if (hx > 0x3fd62e42) { // |x| > ln2/2: reduce
      // k = round(x / ln2) (for ln2/2 < |x| < 3·ln2/2 this is ±1, as fdlibm's branch has it)
      k = (int) (INV_LN2 * x + (negative ? -0.5 : 0.5));
      double t = k;
      hi = x - t * LN2_HI; // exact: LN2_HI has 32 trailing zero bits
      lo = t * LN2_LO;
      x = hi - lo;
    } else if (hx < 0x3e300000) { // |x| < 2⁻²⁸
      return ONE + x;
    }
    double t = x * x;
    double c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
    // for k = 0 (hi = x, lo = 0) this is fdlibm's 1 − ((x·c)/(c − 2) − x), bit for bit
    double y = ONE - ((lo - (x * c) / (2.0 - c)) - hi);
    if (k >= -1021) {
      return Double.longBitsToDouble(Double.doubleToRawLongBits(y) + ((long) k << 52));
    }
    // a subnormal result: one rounding, in the last multiplication
    return Double.longBitsToDouble(Double.doubleToRawLongBits(y) + ((long) (k + 1000) << 52))
        * TWO_M1000;
  }

  /**
   * eˣ − 1, accurate near 0 where {@code exp(x) − 1} cancels; identical to {@link StrictMath#expm1}
   * (fdlibm's s_expm1.c).
   */
  public static double expm1(double x) {
    int hx = high(x);
    boolean negative = hx < 0;
    hx &= 0x7fffffff;
    if (hx >= 0x4043687A) { // |x| ≥ 56·ln2
      if (hx >= 0x40862E42) { // |x| ≥ 709.78…
        if (hx >= 0x7ff00000) {
          if (x != x) {
            return x + x; // NaN
          }
          return negative ? -1.0 : x;
        }
        if (x > O_THRESHOLD) {
          return Double.POSITIVE_INFINITY;
        }
      }
      if (negative) {
        return TINY - ONE; // −1: e^x is below half an ulp of 1
      }
    }
    double hi;
    double lo;
    double c;
    int k;
    if (hx > 0x3fd62e42) { // |x| > ln2/2
      if (hx < 0x3FF0A2B2) { // and |x| < 3·ln2/2
        if (!negative) {
          hi = x - LN2_HI;
          lo = LN2_LO;
          k = 1;
        } else {
          hi = x + LN2_HI;
          lo = -LN2_LO;
          k = -1;
        }
      } else {
        k = (int) (INV_LN2 * x + (negative ? -0.5 : 0.5));
        double t = k;
        hi = x - t * LN2_HI;
        lo = t * LN2_LO;
      }
      x = hi - lo;
      c = (hi - x) - lo;
    } else if (hx < 0x3c900000) { // |x| < 2⁻⁵⁴
      return x;
    } else {
      k = 0;
      c = 0.0;
    }
    double hfx = 0.5 * x;
    double hxs = x * hfx;
    double r1 = ONE + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
    double t = 3.0 - r1 * hfx;
    double e = hxs * ((r1 - t) / (6.0 - x * t));
    if (k == 0) {
      return x - (x * e - hxs);
    }
    e = (x * (e - c) - c);
    e -= hxs;
    if (k == -1) {
      return 0.5 * (x - e) - 0.5;
    }
    if (k == 1) {
      if (x < -0.25) {
        return -2.0 * (e - (x + 0.5));
      }
      return ONE + 2.0 * (x - e);
    }
    double y;
    if (k <= -2 || k > 56) { // exp(x) − 1 is as good
      y = ONE - (e - x);
      y = withHigh(y, high(y) + (k << 20));
      return y - ONE;
    }
    if (k < 20) {
      double t1 = withHigh(0.0, 0x3ff00000 - (0x200000 >> k)); // 1 − 2^−k
      y = t1 - (e - x);
    } else {
      double t2 = withHigh(0.0, (0x3ff - k) << 20); // 2^−k
      y = x - (e + t2);
      y += ONE;
    }
    return withHigh(y, high(y) + (k << 20));
  }

  /**
   * The natural logarithm, identical to {@link StrictMath#log} (fdlibm's e_log.c): x = 2^k·(1 + f)
   * with √2/2 < 1 + f < √2, then log(1 + f) from s = f/(2 + f).
   */
  public static double log(double x) {
    long bits = Double.doubleToRawLongBits(x);
    int hx = (int) (bits >>> 32);
    int lx = (int) bits;
    int k = 0;
    if (hx < 0x00100000) { // x < 2⁻¹⁰²², or negative
      if (((hx & 0x7fffffff) | lx) == 0) {
        return Double.NEGATIVE_INFINITY; // log(±0)
      }
      if (hx < 0) {
        return Double.NaN; // log(negative)
      }
      k -= 54;
      x *= TWO54; // subnormal: scale up
      hx = high(x);
    }
    if (hx >= 0x7ff00000) {
      return x + x; // +∞ or NaN
    }
    k += (hx >> 20) - 1023;
    hx &= 0x000fffff;
    int i = (hx + 0x95f64) & 0x100000;
    x = withHigh(x, hx | (i ^ 0x3ff00000)); // normalise x or x/2
    k += (i >> 20);
    double f = x - 1.0;
    double dk;
    if ((0x000fffff & (2 + hx)) < 3) { // |f| < 2⁻²⁰
      if (f == 0.0) {
        if (k == 0) {
          return 0.0;
        }
        dk = k;
        return dk * LN2_HI + dk * LN2_LO;
      }
      double r = f * f * (0.5 - 0.33333333333333333 * f);
      if (k == 0) {
        return f - r;
      }
      dk = k;
      return dk * LN2_HI - ((r - dk * LN2_LO) - f);
    }
    double s = f / (2.0 + f);
    dk = k;
    double z = s * s;
    i = hx - 0x6147a;
    double w = z * z;
    int j = 0x6b851 - hx;
    double t1 = w * (LG2 + w * (LG4 + w * LG6));
    double t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    i |= j;
    double r = t2 + t1;
    if (i > 0) {
      double hfsq = 0.5 * f * f;
      if (k == 0) {
        return f - (hfsq - s * (hfsq + r));
      }
      return dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f);
    }
    if (k == 0) {
      return f - s * (f - r);
    }
    return dk * LN2_HI - ((s * (f - r) - dk * LN2_LO) - f);
  }

  /**
   * log(1 + x), accurate near 0 where {@code log(1 + x)} loses the low bits of x; identical to
   * {@link StrictMath#log1p} (fdlibm's s_log1p.c): 1 + x = 2^k·(1 + f) with √2/2 < 1 + f < √2 and a
   * correction c for the rounding of 1 + x, then log(1 + f) from s = f/(2 + f) as in {@link #log}.
   * The binary cross-entropy of the generated classes calls it (softplus(z) = max(z, 0) +
   * log1p(e^−|z|)): StrictMath's is a native call on JDK 17, which C2 cannot inline.
   */
  public static double log1p(double x) {
    int hx = high(x);
    int ax = hx & 0x7fffffff;
    int k = 1;
    int hu = 0;
    double f = 0.0;
    double c = 0.0;
    if (hx < 0x3FDA827A) { // x < 0.41422
      if (ax >= 0x3ff00000) { // x ≤ −1
        return x == -1.0 ? Double.NEGATIVE_INFINITY : Double.NaN;
      }
      if (ax < 0x3e200000) { // |x| < 2⁻²⁹
        if (ax < 0x3c900000) { // |x| < 2⁻⁵⁴
          return x;
        }
        return x - x * x * 0.5;
      }
      if (hx > 0 || hx <= 0xbfd2bec3) { // −0.2929 < x < 0.41422: no reduction
        k = 0;
        f = x;
        hu = 1;
      }
    }
    if (hx >= 0x7ff00000) {
      return x + x; // +∞ or NaN
    }
    if (k != 0) {
      double u;
      if (hx < 0x43400000) { // x < 2⁵³
        u = 1.0 + x;
        hu = high(u);
        k = (hu >> 20) - 1023;
        c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0); // the rounding error of 1 + x
        c /= u;
      } else {
        u = x;
        hu = high(u);
        k = (hu >> 20) - 1023;
        c = 0.0;
      }
      hu &= 0x000fffff;
      if (hu < 0x6a09e) {
        u = withHigh(u, hu | 0x3ff00000); // normalise u
      } else {
        k += 1;
        u = withHigh(u, hu | 0x3fe00000); // normalise u/2
        hu = (0x00100000 - hu) >> 2;
      }
      f = u - 1.0;
    }
    double hfsq = 0.5 * f * f;
    if (hu == 0) { // |f| < 2⁻²⁰
      if (f == 0.0) {
        if (k == 0) {
          return 0.0;
        }
        c += k * LN2_LO;
        return k * LN2_HI + c;
      }
      double r = hfsq * (1.0 - 0.66666666666666666 * f);
      if (k == 0) {
        return f - r;
      }
      return k * LN2_HI - ((r - (k * LN2_LO + c)) - f);
    }
    double s = f / (2.0 + f);
    double z = s * s;
    double r = z * (LG1 + z * (LG2 + z * (LG3 + z * (LG4 + z * (LG5 + z * (LG6 + z * LG7))))));
    if (k == 0) {
      return f - (hfsq - s * (hfsq + r));
    }
    return k * LN2_HI - ((hfsq - (s * (hfsq + r) + (k * LN2_LO + c))) - f);
  }

  /**
   * The hyperbolic tangent, identical to {@link StrictMath#tanh} (fdlibm's s_tanh.c): from {@link
   * #expm1} of 2|x|, ±1 for |x| ≥ 22.
   */
  public static double tanh(double x) {
    int jx = high(x);
    int ix = jx & 0x7fffffff;
    if (ix >= 0x7ff00000) { // ±∞ or NaN
      return jx >= 0 ? ONE / x + ONE : ONE / x - ONE;
    }
    double z;
    if (ix < 0x40360000) { // |x| < 22
      if (ix < 0x3c800000) { // |x| < 2⁻⁵⁵
        return x * (ONE + x);
      }
      double ax = Math.abs(x);
      if (ix >= 0x3ff00000) { // |x| ≥ 1
        double t = expm1(2.0 * ax);
        z = ONE - 2.0 / (t + 2.0);
      } else {
        double t = expm1(-2.0 * ax);
        z = -t / (t + 2.0);
      }
    } else {
      z = ONE - TINY; // 1
    }
    return jx >= 0 ? z : -z;
  }

  /**
   * The logistic sigmoid 1/(1 + e^−x), as the generated classes compute it: at most 1 ulp from
   * {@link #exp}'s rounding plus one each for the sum and the quotient (tested); 0 below x ≈ −709.
   */
  public static double sigmoid(double x) {
    return ONE / (ONE + exp(-x));
  }

  /**
   * xⁿ for n ≥ 0 by repeated squaring: Adam's bias corrections βᵗ. The same bits on every JDK
   * (unlike {@code Math.pow}, an intrinsic) and, unlike {@code StrictMath.pow} on JDK 17, no
   * allocation. Each squaring doubles the relative error it inherits, so the bound is n ulp (for
   * Adam's 1 − βᵗ an absolute error below 4e-14 at every t with β ≥ 0.9); tested.
   */
  public static double pow(double x, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("NncMath.pow needs n ≥ 0, got " + n);
    }
    double result = ONE;
    double base = x;
    for (int e = n; e != 0; e >>>= 1) {
      if ((e & 1) != 0) {
        result *= base;
      }
      base *= base;
    }
    return result;
  }
}
