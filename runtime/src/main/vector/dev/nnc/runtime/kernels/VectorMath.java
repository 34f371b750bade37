package dev.nnc.runtime.kernels;

import dev.nnc.runtime.NncMath;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link NncMath#exp} and {@link NncMath#log1p} lane by lane with the Vector API, bit for bit:
 * fdlibm's e_exp.c and s_log1p.c as {@code NncMath} writes them (only {@code + − × ÷}, comparisons
 * and bit operations, no fused multiply-add), every lane computing the reduced path and each of
 * fdlibm's branches becoming a select. The same IEEE operations in the same order on the same
 * operands give the same bits, so sigmoid layers and the binary cross-entropy compute the same
 * numbers on either kernel path ({@code ExpVectorTest}, {@code SoftplusVectorTest}: 10⁶ arguments
 * per range and every special value, against the scalar functions).
 *
 * <p>Hand-written (not by {@code GenerateVectorKernels}) and compiled with the vector module beside
 * {@code VectorKernels}. No vector crosses a call (a vector passed to or returned from a method C2
 * does not inline is boxed): every function works a chunk at a time through per-thread scratch rows
 * of doubles, in passes that C2 compiles one by one (below, {@link #runPasses}).
 */
final class VectorMath {
  private VectorMath() {}

  private static final VectorSpecies<Double> D = VectorKernels.doubleSpecies();

  /**
   * The class of D's vectors (a final class), for the cast before every store: as in {@code
   * VectorKernels}' tiles, a vector that a Vector API call returns has the declared type {@code
   * DoubleVector} while C2 parses (JDK 17 intrinsifies only after parsing), so {@code
   * intoArray} on it is intrinsified only with a receiver type profile; without one (a pass
   * compiled from C1's tier 2) C2 boxed the vector at the store. {@code Class.cast} with this
   * constant gives it the exact class without a profile (bench/README.md, "Seventh round (issue
   * 14): allocation-free in every JVM").
   */
  private static final Class<? extends Vector<Double>> DOUBLES = D.vectorType();

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

  /**
   * Numbers per pass of the chunked functions below ({@link #exp}, the sigmoids, {@link #softplus},
   * {@link #log1p}): a multiple of every vector width, so that a pass computes
   * whole vectors only (past the chunk's numbers, on stale scratch, and never stored beyond it).
   */
  static final int CHUNK = 256;

  /** Per thread: the scratch rows of a chunk (made on first use; 12 KB, in L1). */
  private static final ThreadLocal<double[][]> SCRATCH =
      ThreadLocal.withInitial(() -> new double[6][CHUNK]);

  /** m rounded up to whole vectors (at most CHUNK). */
  private static int whole(int m) {
    int lanes = D.length();
    return (m + lanes - 1) / lanes * lanes;
  }

  /**
   * {@code y[j] = NncMath.exp(x[j])} for j < n (y not x), a chunk at a time. Rows narrower than a
   * vector take the scalar function (the same bits), which costs less than a pass over one vector.
   */
  static void exp(double[] x, double[] y, int n) {
    if (n < D.length()) {
      for (int j = 0; j < n; j++) {
        y[j] = NncMath.exp(x[j]);
      }
      return;
    }
    double[][] s = SCRATCH.get();
    for (int j0 = 0; j0 < n; j0 += CHUNK) {
      int m = Math.min(CHUNK, n - j0);
      System.arraycopy(x, j0, s[0], 0, m);
      System.arraycopy(expChunk(s, whole(m)), 0, y, j0, m);
    }
  }

  /**
   * {@code a[j] = 1.0 / (1.0 + NncMath.exp(-z[j]))} for j < n (a not z), the generated double
   * classes' sigmoid, bit for bit: −z into the scratch, its exp lane by lane ({@link #expChunk}),
   * then the same addition and division as the scalar formula (a loop C2 vectorises). Rows narrower
   * than a vector take the scalar formula.
   */
  static void sigmoid(double[] z, double[] a, int n) {
    if (n < D.length()) {
      for (int j = 0; j < n; j++) {
        a[j] = 1.0 / (1.0 + NncMath.exp(-z[j]));
      }
      return;
    }
    double[][] s = SCRATCH.get();
    double[] x = s[0];
    for (int j0 = 0; j0 < n; j0 += CHUNK) {
      int m = Math.min(CHUNK, n - j0);
      for (int j = 0; j < m; j++) {
        x[j] = -z[j0 + j];
      }
      double[] e = expChunk(s, whole(m));
      for (int j = 0; j < m; j++) {
        a[j0 + j] = 1.0 / (1.0 + e[j]);
      }
    }
  }

  /**
   * {@link #sigmoid(double[], double[], int)} of rows [from, to) of z into the same rows of a, j <
   * n: the rows' −z gathered into the scratch a chunk at a time (whatever the row width), its exp
   * lane by lane, then the addition and division row by row.
   */
  static void sigmoid(double[][] z, double[][] a, int from, int to, int n) {
    double[][] s = SCRATCH.get();
    double[] x = s[0];
    int r = from;
    int j = 0;
    while (r < to) {
      int r0 = r;
      int j0 = j;
      int m = 0;
      while (r < to && m < CHUNK) {
        double[] zr = z[r];
        int end = Math.min(n, j + CHUNK - m);
        for (; j < end; j++) {
          x[m++] = -zr[j];
        }
        if (j == n) {
          j = 0;
          r++;
        }
      }
      double[] e = expChunk(s, whole(m));
      int i = 0;
      for (int q = r0, p = j0; i < m; q++, p = 0) {
        double[] ar = a[q];
        int end = Math.min(n, p + m - i);
        for (; p < end; p++) {
          ar[p] = 1.0 / (1.0 + e[i++]);
        }
      }
    }
  }

  /**
   * {@code a[j] = 1.0f / (1.0f + (float) NncMath.exp(-z[j]))}, the generated float classes'
   * sigmoid, bit for bit: −z widened to double (exact), its exp lane by lane in double ({@link
   * #expChunk}, NncMath's bits), then the same float rounding and division as the scalar formula.
   * Through the per-thread double scratch, a chunk at a time, because a float vector converted to
   * doubles would need a second vector shape beside the kernels' one (which makes C2 box every
   * vector; see VectorKernels).
   */
  static void sigmoid(float[] z, float[] a, int n) {
    double[][] s = SCRATCH.get();
    double[] x = s[0];
    for (int j0 = 0; j0 < n; j0 += CHUNK) {
      int m = Math.min(CHUNK, n - j0);
      for (int j = 0; j < m; j++) {
        x[j] = -z[j0 + j];
      }
      double[] e = expChunk(s, whole(m));
      for (int j = 0; j < m; j++) {
        a[j0 + j] = 1.0f / (1.0f + (float) e[j]);
      }
    }
  }

  /**
   * {@link #sigmoid(float[], float[], int)} of rows [from, to) of z into the same rows of a, j < n:
   * the rows' −z gathered into the scratch a chunk at a time (whatever the row width), its exp lane
   * by lane, then the float rounding and division row by row.
   */
  static void sigmoid(float[][] z, float[][] a, int from, int to, int n) {
    double[][] s = SCRATCH.get();
    double[] x = s[0];
    int r = from;
    int j = 0;
    while (r < to) {
      int r0 = r;
      int j0 = j;
      int m = 0;
      while (r < to && m < CHUNK) {
        float[] zr = z[r];
        int end = Math.min(n, j + CHUNK - m);
        for (; j < end; j++) {
          x[m++] = -zr[j];
        }
        if (j == n) {
          j = 0;
          r++;
        }
      }
      double[] e = expChunk(s, whole(m));
      int i = 0;
      for (int q = r0, p = j0; i < m; q++, p = 0) {
        float[] ar = a[q];
        int end = Math.min(n, p + m - i);
        for (; p < end; p++) {
          ar[p] = 1.0f / (1.0f + (float) e[i++]);
        }
      }
    }
  }

  /**
   * {@code y[r][j] = Math.max(z, 0.0) + NncMath.log1p(NncMath.exp(-Math.abs(z)))} with {@code z =
   * z[r][j]}, for r in [from, to), j < n: the softplus of the generated classes' binary
   * cross-entropy, bit for bit. The rows' −|z| are gathered into the per-thread scratch, a chunk at
   * a time, whose exp and log1p are taken lane by lane ({@link #expChunk}, {@link #log1pChunk});
   * max and the sum stay scalar.
   */
  static void softplus(double[][] z, double[][] y, int from, int to, int n) {
    double[][] s = SCRATCH.get();
    double[] u = s[0];
    int r = from;
    int j = 0;
    while (r < to) {
      int r0 = r;
      int j0 = j;
      int m = 0;
      while (r < to && m < CHUNK) {
        double[] zr = z[r];
        int end = Math.min(n, j + CHUNK - m);
        for (; j < end; j++) {
          u[m++] = -Math.abs(zr[j]);
        }
        if (j == n) {
          j = 0;
          r++;
        }
      }
      double[] l = log1pExp(s, m);
      int i = 0;
      for (int q = r0, p = j0; i < m; q++, p = 0) {
        double[] zr = z[q];
        double[] yr = y[q];
        int end = Math.min(n, p + m - i);
        for (; p < end; p++) {
          yr[p] = Math.max(zr[p], 0.0) + l[i++];
        }
      }
    }
  }

  /** {@link #softplus(double[][], double[][], int, int, int)} of float rows (widened, exact). */
  static void softplus(float[][] z, double[][] y, int from, int to, int n) {
    double[][] s = SCRATCH.get();
    double[] u = s[0];
    int r = from;
    int j = 0;
    while (r < to) {
      int r0 = r;
      int j0 = j;
      int m = 0;
      while (r < to && m < CHUNK) {
        float[] zr = z[r];
        int end = Math.min(n, j + CHUNK - m);
        for (; j < end; j++) {
          u[m++] = -Math.abs((double) zr[j]);
        }
        if (j == n) {
          j = 0;
          r++;
        }
      }
      double[] l = log1pExp(s, m);
      int i = 0;
      for (int q = r0, p = j0; i < m; q++, p = 0) {
        float[] zr = z[q];
        double[] yr = y[q];
        int end = Math.min(n, p + m - i);
        for (; p < end; p++) {
          yr[p] = Math.max((double) zr[p], 0.0) + l[i++];
        }
      }
    }
  }

  /** NncMath.log1p(NncMath.exp(s[0][i])) for i < m, returned in one of the scratch rows. */
  private static double[] log1pExp(double[][] s, int m) {
    int len = whole(m);
    double[] e = expChunk(s, len);
    System.arraycopy(e, 0, s[0], 0, len);
    return log1pChunk(s, len);
  }

  /** {@code y[j] = NncMath.log1p(x[j])} for j < n (y not x), a chunk at a time. */
  static void log1p(double[] x, double[] y, int n) {
    double[][] s = SCRATCH.get();
    for (int j0 = 0; j0 < n; j0 += CHUNK) {
      int m = Math.min(CHUNK, n - j0);
      System.arraycopy(x, j0, s[0], 0, m);
      System.arraycopy(log1pChunk(s, whole(m)), 0, y, j0, m);
    }
  }

  // Each lane-wise function is cut into passes over the chunk, one method each, of at most about
  // 40 Vector API calls, called through one megamorphic call site (runPasses), so that C2 inlines
  // none of them into another and compiles each on its own. C2 parses the whole Vector API call
  // tree of a compile into one graph, and a loop of NncMath.exp's 60 calls, or log1p's 90, can reach
  // its inlining budget (NodeCountInliningCutoff, 18,000 nodes) partway, after which the calls are
  // not intrinsified and every vector is boxed: seen in KernelsVectorTest's JVM (PrintInlining
  // showed the cutoff at bytecode 330 of a one-loop log1p), whose matrix tests leave the Vector
  // API's shared methods with profiles that parse into more nodes; "What is left" in
  // bench/README.md. The passes hand over through the scratch rows, in L1.

  /** One pass over the scratch rows s of a chunk of len numbers (whole vectors). */
  @FunctionalInterface
  private interface Pass {
    void run(double[][] s, int len);
  }

  private static final Pass[] EXP_PASSES = {
    (s, len) -> expReduce(s[0], s[1], len),
    (s, len) -> expPolynomial(s[0], s[1], s[2], len),
    (s, len) -> expScale(s[0], s[1], s[2], len),
  };

  private static final Pass[] LOG1P_PASSES = {
    (s, len) -> log1pNormalise(s[0], s[3], s[4], len),
    (s, len) -> log1pCorrection(s[0], s[3], s[4], s[5], len),
    (s, len) -> log1pPolynomial(s[3], s[4], s[5], s[1], len),
    (s, len) -> log1pSmall(s[0], s[3], s[4], s[5], s[1], len),
    (s, len) -> log1pEdges(s[0], s[1], len),
  };

  /** The passes in turn: one call site for all eight, which C2 therefore does not inline. */
  private static void runPasses(Pass[] passes, double[][] s, int len) {
    for (Pass pass : passes) {
      pass.run(s, len);
    }
  }

  /**
   * NncMath.exp of s[0][j] for j < len (whole vectors), bit for bit: fdlibm's e_exp.c as NncMath
   * writes it (only {@code + − × ÷}, comparisons and bit operations, no fused multiply-add), every
   * lane computing the reduced path and each of fdlibm's branches becoming a select. s[1] holds k,
   * the result is s[2], returned.
   */
  private static double[] expChunk(double[][] s, int len) {
    runPasses(EXP_PASSES, s, len);
    return s[2];
  }

  /** k of x = k·ln2 + r, as a double (0 where fdlibm does not reduce). */
  private static void expReduce(double[] x, double[] k, int len) {
    for (int j = 0; j < len; j += D.length()) {
      DoubleVector v = DoubleVector.fromArray(D, x, j);
      DoubleVector ax = v.abs();
      // k = (int) (x/ln2 ± 0.5), truncated toward zero as fdlibm's cast, which is the sign of x
      // times the truncation of |x|/ln2 + 0.5. No double-to-long conversion (JDK 17's C2 does not
      // intrinsify it, and boxes): adding and subtracting 1.5·2⁵² rounds to the nearest integer
      // (exact below 2⁵¹), then one step down where that rounded up
      DoubleVector a = ax.mul(INV_LN2).add(0.5);
      DoubleVector rounded = a.add(ROUNDER).sub(ROUNDER);
      DoubleVector truncated = rounded.sub(1.0, rounded.compare(VectorOperators.GT, a));
      DoubleVector kOut =
          truncated
              .blend(truncated.neg(), v.compare(VectorOperators.LT, 0.0))
              // k = 0 where fdlibm does not reduce (|x| ≤ ln2/2 by its high-word test)
              .blend(0.0, ax.compare(VectorOperators.LT, REDUCE));
      ((DoubleVector) DOUBLES.cast(kOut)).intoArray(k, j);
    }
  }

  /** e^r = 1 − ((lo − (r·c)/(2 − c)) − hi), r = hi − lo = x − k·ln2 (for k = 0: hi = x, lo = 0). */
  private static void expPolynomial(double[] x, double[] k, double[] y, int len) {
    for (int j = 0; j < len; j += D.length()) {
      DoubleVector v = DoubleVector.fromArray(D, x, j);
      DoubleVector t = DoubleVector.fromArray(D, k, j);
      DoubleVector hi = v.sub(t.mul(LN2_HI)); // exact: LN2_HI has 32 trailing zero bits
      DoubleVector lo = t.mul(LN2_LO);
      DoubleVector r = hi.sub(lo);
      DoubleVector r2 = r.mul(r);
      DoubleVector c =
          r.sub(r2.mul(r2.mul(r2.mul(r2.mul(r2.mul(P5).add(P4)).add(P3)).add(P2)).add(P1)));
      DoubleVector yOut =
          DoubleVector.broadcast(D, 1.0)
              .sub(lo.sub(r.mul(c).div(DoubleVector.broadcast(D, 2.0).sub(c))).sub(hi));
      ((DoubleVector) DOUBLES.cast(yOut)).intoArray(y, j);
    }
  }

  /** y × 2^k in the exponent bits (subnormal results: 2^(k+1000), then × 2^−1000), and fdlibm's early returns. */
  private static void expScale(double[] x, double[] k, double[] y, int len) {
    for (int j = 0; j < len; j += D.length()) {
      DoubleVector v = DoubleVector.fromArray(D, x, j);
      DoubleVector t = DoubleVector.fromArray(D, k, j);
      // k (+ 1000) as a long: the low bits of k + 1.5·2⁵² hold it in two's complement
      VectorMask<Double> subnormal = t.compare(VectorOperators.LT, -1021.0);
      LongVector shift =
          t.add(1000.0, subnormal).add(ROUNDER).reinterpretAsLongs().sub(ROUNDER_BITS);
      DoubleVector result =
          DoubleVector.fromArray(D, y, j)
              .reinterpretAsLongs()
              .add(shift.lanewise(VectorOperators.LSHL, 52))
              .reinterpretAsDoubles()
              .mul(DoubleVector.broadcast(D, 1.0).blend(TWO_M1000, subnormal));
      // last to first, so that the first wins: 1 + x for |x| < 2⁻²⁸, 0 below the underflow
      // threshold, +∞ above the overflow one (both imply |x| ≥ 709.78, fdlibm's outer test; so do
      // ±∞), x + x for NaN
      result = result.blend(v.add(1.0), v.abs().compare(VectorOperators.LT, SMALL));
      result = result.blend(0.0, v.compare(VectorOperators.LT, U_THRESHOLD));
      result = result.blend(Double.POSITIVE_INFINITY, v.compare(VectorOperators.GT, O_THRESHOLD));
      DoubleVector yOut = result.blend(v.add(v), v.compare(VectorOperators.NE, v));
      ((DoubleVector) DOUBLES.cast(yOut)).intoArray(y, j);
    }
  }

  // log1p: fdlibm's s_log1p.c as NncMath.log1p writes it. Its tests of the high word of x become
  // comparisons of x with the double whose high word is the bound (the low word zero)
  private static final double LG1 = 6.666666666666735130e-01;
  private static final double LG2 = 3.999999999940941908e-01;
  private static final double LG3 = 2.857142874366239149e-01;
  private static final double LG4 = 2.222219843214978396e-01;
  private static final double LG5 = 1.818357216161805012e-01;
  private static final double LG6 = 1.531383769920937332e-01;
  private static final double LG7 = 1.479819860511658591e-01;

  /** hx < 0x3FDA827A (x < 0.41422…) and the other bound of the unreduced lanes, hx ≤ 0xbfd2bec3. */
  private static final double NO_REDUCE_ABOVE = Double.longBitsToDouble(0x3FDA827AL << 32);

  private static final double NO_REDUCE_BELOW = -Double.longBitsToDouble(0x3fd2bec4L << 32);

  /** |x| < 2⁻²⁹: log1p(x) = x − x²/2; |x| < 2⁻⁵⁴: x. */
  private static final double TWO_M29 = 0x1p-29;

  private static final double TWO_M54 = 0x1p-54;
  private static final double TWO53 = 0x1p53;
  private static final long MANTISSA = 0x000fffffffffffffL;

  /** hu < 0x6a09e: 1 + f below √2 (the top 20 bits of the mantissa). */
  private static final long SQRT2_MANTISSA = 0x6a09eL << 32;

  private static final long EXPONENT_ONE = 0x3ff0000000000000L;
  private static final long EXPONENT_HALF = 0x3fe0000000000000L;

  /** 2⁵² + e as a double's bits is the double 2⁵² + e: the exponent field e as a number. */
  private static final long TWO52_BITS = Double.doubleToRawLongBits(0x1p52);

  /**
   * fdlibm's hu == 0 (|f| < 2⁻²⁰) after the normalisation: 1 + f in [2⁻¹·(1 + 0xffffd·2⁻²⁰), 1 +
   * 2⁻²⁰), by its high word.
   */
  private static final double HU_ZERO_FROM = Double.longBitsToDouble(0x3feffffdL << 32);

  private static final double HU_ZERO_TO = Double.longBitsToDouble(0x3ff00001L << 32);

  /**
   * NncMath.log1p of s[0][j] for j < len (whole vectors), bit for bit: every lane takes fdlibm's
   * reduction (1 + x = 2^k·(1 + f) with c, the rounding error of 1 + x over 1 + x) or, between
   * −0.2929 and 0.41422, f = x, k = 0, c = 0; then log(1 + f) from s = f/(2 + f), or for |f| <
   * 2⁻²⁰ its short series; each of fdlibm's branches and early returns (|x| < 2⁻²⁹, x ≤ −1, +∞,
   * NaN) a select. s[3], s[4] and s[5] hold f, k and c; the result is s[1], returned.
   */
  private static double[] log1pChunk(double[][] s, int len) {
    runPasses(LOG1P_PASSES, s, len);
    return s[1];
  }

  /**
   * u = 1 + x (x itself from 2⁵³ on) = 2^k·(1 + f): 1 + f is u's mantissa with the exponent of 1,
   * or of 1/2 (and k one more) from √2 on. k is read from u's exponent bits as the double 2⁵² + e −
   * (2⁵² + 1023), without a long-to-double conversion (JDK 17's C2 boxes it).
   */
  private static void log1pNormalise(double[] x, double[] f, double[] k, int len) {
    for (int j = 0; j < len; j += D.length()) {
      DoubleVector v = DoubleVector.fromArray(D, x, j);
      LongVector bits =
          v.blend(v.add(1.0), v.compare(VectorOperators.LT, TWO53)).reinterpretAsLongs();
      LongVector mantissa = bits.and(MANTISSA);
      DoubleVector normal =
          mantissa
              .or(EXPONENT_ONE)
              .blend(
                  mantissa.or(EXPONENT_HALF),
                  mantissa.compare(VectorOperators.GE, SQRT2_MANTISSA))
              .reinterpretAsDoubles();
      DoubleVector fOut = normal.sub(1.0);
      ((DoubleVector) DOUBLES.cast(fOut)).intoArray(f, j);
      DoubleVector kOut =
          bits.lanewise(VectorOperators.LSHR, 52)
              .add(TWO52_BITS)
              .reinterpretAsDoubles()
              .sub(0x1p52 + 1023.0)
              .add(1.0, normal.compare(VectorOperators.LT, 1.0));
      ((DoubleVector) DOUBLES.cast(kOut)).intoArray(k, j);
    }
  }

  /**
   * c = (u ≥ 2 ? 1 − (u − x) : x − (u − 1)) / u, 0 from 2⁵³ on (fdlibm's k > 0 test on u's
   * exponent is u ≥ 2); and in the unreduced lanes f = x, k = 0, c = 0.
   */
  private static void log1pCorrection(double[] x, double[] f, double[] k, double[] c, int len) {
    for (int j = 0; j < len; j += D.length()) {
      DoubleVector v = DoubleVector.fromArray(D, x, j);
      VectorMask<Double> below53 = v.compare(VectorOperators.LT, TWO53);
      DoubleVector u = v.blend(v.add(1.0), below53);
      VectorMask<Double> unreduced =
          v.compare(VectorOperators.LT, NO_REDUCE_ABOVE)
              .and(v.compare(VectorOperators.GT, NO_REDUCE_BELOW));
      DoubleVector cOut =
          v.sub(u.sub(1.0))
              .blend(
                  DoubleVector.broadcast(D, 1.0).sub(u.sub(v)), u.compare(VectorOperators.GE, 2.0))
              .div(u)
              .blend(0.0, below53.not().or(unreduced));
      ((DoubleVector) DOUBLES.cast(cOut)).intoArray(c, j);
      DoubleVector fOut = DoubleVector.fromArray(D, f, j).blend(v, unreduced);
      ((DoubleVector) DOUBLES.cast(fOut)).intoArray(f, j);
      DoubleVector kOut = DoubleVector.fromArray(D, k, j).blend(0.0, unreduced);
      ((DoubleVector) DOUBLES.cast(kOut)).intoArray(k, j);
    }
  }

  /**
   * log(1 + f) = k·ln2_hi − ((hfsq − (s·(hfsq + R) + (k·ln2_lo + c))) − f), s = f/(2 + f), R a
   * polynomial in s²; for k = 0, f − (hfsq − s·(hfsq + R)).
   */
  private static void log1pPolynomial(double[] f, double[] k, double[] c, double[] y, int len) {
    for (int j = 0; j < len; j += D.length()) {
      DoubleVector fv = DoubleVector.fromArray(D, f, j);
      DoubleVector kv = DoubleVector.fromArray(D, k, j);
      DoubleVector hfsq = fv.mul(0.5).mul(fv);
      DoubleVector s = fv.div(fv.add(2.0));
      DoubleVector z = s.mul(s);
      DoubleVector r =
          z.mul(
              z.mul(z.mul(z.mul(z.mul(z.mul(z.mul(LG7).add(LG6)).add(LG5)).add(LG4)).add(LG3)).add(LG2))
                  .add(LG1));
      DoubleVector sr = s.mul(hfsq.add(r));
      DoubleVector yOut =
          kv.mul(LN2_HI)
              .sub(hfsq.sub(sr.add(kv.mul(LN2_LO).add(DoubleVector.fromArray(D, c, j)))).sub(fv))
              .blend(fv.sub(hfsq.sub(sr)), kv.compare(VectorOperators.EQ, 0.0));
      ((DoubleVector) DOUBLES.cast(yOut)).intoArray(y, j);
    }
  }

  /**
   * fdlibm's hu == 0 branch, |f| < 2⁻²⁰ in the reduced lanes: the series hfsq·(1 − 2f/3), or k·ln2
   * + c for f = 0 (for k = 0: f − hfsq·(1 − 2f/3), and 0).
   */
  private static void log1pSmall(double[] x, double[] f, double[] k, double[] c, double[] y, int len) {
    for (int j = 0; j < len; j += D.length()) {
      DoubleVector v = DoubleVector.fromArray(D, x, j);
      DoubleVector fv = DoubleVector.fromArray(D, f, j);
      DoubleVector kv = DoubleVector.fromArray(D, k, j);
      DoubleVector cv = DoubleVector.fromArray(D, c, j);
      DoubleVector khi = kv.mul(LN2_HI);
      DoubleVector klo = kv.mul(LN2_LO);
      DoubleVector series =
          fv.mul(0.5).mul(fv).mul(DoubleVector.broadcast(D, 1.0).sub(fv.mul(0.66666666666666666)));
      VectorMask<Double> kZero = kv.compare(VectorOperators.EQ, 0.0);
      DoubleVector small =
          khi.sub(series.sub(klo.add(cv)).sub(fv))
              .blend(fv.sub(series), kZero)
              .blend(khi.add(cv.add(klo)).blend(0.0, kZero), fv.compare(VectorOperators.EQ, 0.0));
      // 1 + f (exact, as f = (1 + f) − 1 is) in fdlibm's hu == 0 range, reduced lanes only
      DoubleVector normal = fv.add(1.0);
      VectorMask<Double> huZero =
          normal
              .compare(VectorOperators.GE, HU_ZERO_FROM)
              .and(normal.compare(VectorOperators.LT, HU_ZERO_TO))
              .andNot(
                  v.compare(VectorOperators.LT, NO_REDUCE_ABOVE)
                      .and(v.compare(VectorOperators.GT, NO_REDUCE_BELOW)));
      DoubleVector yOut = DoubleVector.fromArray(D, y, j).blend(small, huZero);
      ((DoubleVector) DOUBLES.cast(yOut)).intoArray(y, j);
    }
  }

  /**
   * fdlibm's early returns: x − x²/2 for |x| < 2⁻²⁹ (x itself below 2⁻⁵⁴), −∞ at −1 and NaN below,
   * x + x for +∞ and NaN.
   */
  private static void log1pEdges(double[] x, double[] y, int len) {
    for (int j = 0; j < len; j += D.length()) {
      DoubleVector v = DoubleVector.fromArray(D, x, j);
      DoubleVector ax = v.abs();
      DoubleVector result =
          DoubleVector.fromArray(D, y, j)
              .blend(
                  v.sub(v.mul(v).mul(0.5)).blend(v, ax.compare(VectorOperators.LT, TWO_M54)),
                  ax.compare(VectorOperators.LT, TWO_M29));
      result =
          result.blend(
              DoubleVector.broadcast(D, Double.NaN)
                  .blend(Double.NEGATIVE_INFINITY, v.compare(VectorOperators.EQ, -1.0)),
              v.compare(VectorOperators.LE, -1.0));
      DoubleVector yOut =
          result
              .blend(
                  v.add(v),
                  v.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY)
                      .or(v.compare(VectorOperators.NE, v)));
      ((DoubleVector) DOUBLES.cast(yOut)).intoArray(y, j);
    }
  }
}
