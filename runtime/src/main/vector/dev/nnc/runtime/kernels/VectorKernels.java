package dev.nnc.runtime.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels with the Vector API ({@code jdk.incubator.vector}), register-blocked: a row of
 * {@code c} is taken four vectors at a time, kept in registers while all the rows {@code
 * b[from..to)} are added into it, and stored once. A row whose width is not a multiple of the
 * vector ends with a vector that overlaps its neighbour; the two are in the same group of four,
 * which reads c before it writes, so the overlapping elements get the same sum twice (no masks, no
 * scalar tail). Rows narrower than one vector go to {@link JavaKernels}. Vectors are of this
 * machine's preferred width, or of the width {@code -Dnnc.vector.bits=256} or 512 asks for.
 * {@code c} must not be one of the rows of {@code a} or {@code b}.
 *
 * <p>One vector shape only, for doubles and floats alike: with a second shape in the same JVM (say
 * a half-width vector for the tail) the call sites inside {@code DoubleVector.fma} see two vector
 * classes, C2 no longer knows the exact class, and every vector is boxed: 1.2 KB allocated per
 * 100-wide row and 5× slower (measured on JDK 17).
 *
 * <p>Every element gets exactly what {@link JavaKernels} gives it, the same fused multiply-adds in
 * the same order (k ascending), so the results are bit-identical. Vectors never cross a call (only
 * arrays and scalars do) and C2 intrinsifies all of each method, so escape analysis removes every
 * vector object: a training step allocates nothing.
 *
 * <p>Compiled from {@code src/main/vector} with {@code --add-modules jdk.incubator.vector};
 * loaded reflectively by {@link KernelLoader} only when that module is present.
 */
final class VectorKernels implements Kernels {
  /** The vector width in bits: {@code -Dnnc.vector.bits}, by default the machine's preferred one. */
  static final String BITS_PROPERTY = "nnc.vector.bits";

  private static final VectorSpecies<Double> D =
      DoubleVector.SPECIES_PREFERRED.withShape(
          VectorShape.forBitSize(
              Integer.getInteger(BITS_PROPERTY, DoubleVector.SPECIES_PREFERRED.vectorBitSize())));
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.withShape(D.vectorShape());

  /** Refuses (and the loader falls back to plain Java) vectors narrower than 256 bits. */
  VectorKernels() {
    if (D.vectorBitSize() < 256) {
      throw new UnsupportedOperationException("vectors of " + D.vectorBitSize() + " bits");
    }
  }

  @Override
  public void matmulRows(double[][] c, double[][] a, double[][] b, int rFrom, int rTo, int kFrom, int kTo, int n) {
    int lanes = D.length();
    if (n < lanes) {
      JavaKernels.matmulRowsPlain(c, a, b, rFrom, rTo, kFrom, kTo, n);
      return;
    }
    // vectors at 0, lanes, 2·lanes, …, the last one at n − lanes (it may overlap its neighbour: a
    // group of four reads c before it writes, so both get the same sums)
    int vectors = (n + lanes - 1) / lanes;
    int end = (vectors - 4) * lanes;
    int r = rFrom;
    for (; r + 2 <= rTo; r += 2) {
      if (vectors <= 4) {
        rows2x4(c, a, b, r, kFrom, kTo, 0, Math.min(lanes, n - lanes), Math.min(2 * lanes, n - lanes), Math.min(3 * lanes, n - lanes));
      } else {
        // the last four vectors first, the overlapping one with its neighbour
        rows2x4(c, a, b, r, kFrom, kTo, end, end + lanes, end + 2 * lanes, n - lanes);
        int j = 0;
        for (; j + 4 * lanes <= end; j += 4 * lanes) {
          rows2x4(c, a, b, r, kFrom, kTo, j, j + lanes, j + 2 * lanes, j + 3 * lanes);
        }
        if (j < end) {
          // one to three vectors left: some offsets repeat (the same sums, written twice)
          rows2x4(c, a, b, r, kFrom, kTo, j, Math.min(j + lanes, end - lanes), Math.min(j + 2 * lanes, end - lanes), end - lanes);
        }
      }
    }
    if (r < rTo) {
      if (vectors <= 4) {
        rows1x4(c, a, b, r, kFrom, kTo, 0, Math.min(lanes, n - lanes), Math.min(2 * lanes, n - lanes), Math.min(3 * lanes, n - lanes));
      } else {
        // the last four vectors first, the overlapping one with its neighbour
        rows1x4(c, a, b, r, kFrom, kTo, end, end + lanes, end + 2 * lanes, n - lanes);
        int j = 0;
        for (; j + 4 * lanes <= end; j += 4 * lanes) {
          rows1x4(c, a, b, r, kFrom, kTo, j, j + lanes, j + 2 * lanes, j + 3 * lanes);
        }
        if (j < end) {
          // one to three vectors left: some offsets repeat (the same sums, written twice)
          rows1x4(c, a, b, r, kFrom, kTo, j, Math.min(j + lanes, end - lanes), Math.min(j + 2 * lanes, end - lanes), end - lanes);
        }
      }
    }
  }

  private static void rows2x4(
      double[][] c, double[][] a, double[][] b, int r, int kFrom, int kTo, int o0, int o1, int o2, int o3) {
    double[] c0 = c[r];
    double[] a0 = a[r];
    double[] c1 = c[r + 1];
    double[] a1 = a[r + 1];
    DoubleVector s00 = DoubleVector.fromArray(D, c0, o0);
    DoubleVector s01 = DoubleVector.fromArray(D, c0, o1);
    DoubleVector s02 = DoubleVector.fromArray(D, c0, o2);
    DoubleVector s03 = DoubleVector.fromArray(D, c0, o3);
    DoubleVector s10 = DoubleVector.fromArray(D, c1, o0);
    DoubleVector s11 = DoubleVector.fromArray(D, c1, o1);
    DoubleVector s12 = DoubleVector.fromArray(D, c1, o2);
    DoubleVector s13 = DoubleVector.fromArray(D, c1, o3);
    for (int k = kFrom; k < kTo; k++) {
      double[] bk = b[k];
      DoubleVector x0 = DoubleVector.broadcast(D, a0[k]);
      DoubleVector x1 = DoubleVector.broadcast(D, a1[k]);
      DoubleVector b0 = DoubleVector.fromArray(D, bk, o0);
      s00 = b0.fma(x0, s00);
      s10 = b0.fma(x1, s10);
      DoubleVector b1 = DoubleVector.fromArray(D, bk, o1);
      s01 = b1.fma(x0, s01);
      s11 = b1.fma(x1, s11);
      DoubleVector b2 = DoubleVector.fromArray(D, bk, o2);
      s02 = b2.fma(x0, s02);
      s12 = b2.fma(x1, s12);
      DoubleVector b3 = DoubleVector.fromArray(D, bk, o3);
      s03 = b3.fma(x0, s03);
      s13 = b3.fma(x1, s13);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s03.intoArray(c0, o3);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s12.intoArray(c1, o2);
    s13.intoArray(c1, o3);
  }

  private static void rows1x4(
      double[][] c, double[][] a, double[][] b, int r, int kFrom, int kTo, int o0, int o1, int o2, int o3) {
    double[] c0 = c[r];
    double[] a0 = a[r];
    DoubleVector s00 = DoubleVector.fromArray(D, c0, o0);
    DoubleVector s01 = DoubleVector.fromArray(D, c0, o1);
    DoubleVector s02 = DoubleVector.fromArray(D, c0, o2);
    DoubleVector s03 = DoubleVector.fromArray(D, c0, o3);
    for (int k = kFrom; k < kTo; k++) {
      double[] bk = b[k];
      DoubleVector x0 = DoubleVector.broadcast(D, a0[k]);
      DoubleVector b0 = DoubleVector.fromArray(D, bk, o0);
      s00 = b0.fma(x0, s00);
      DoubleVector b1 = DoubleVector.fromArray(D, bk, o1);
      s01 = b1.fma(x0, s01);
      DoubleVector b2 = DoubleVector.fromArray(D, bk, o2);
      s02 = b2.fma(x0, s02);
      DoubleVector b3 = DoubleVector.fromArray(D, bk, o3);
      s03 = b3.fma(x0, s03);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s03.intoArray(c0, o3);
  }

  @Override
  public void matmulColumns(double[][] c, double[][] a, double[][] b, int iFrom, int iTo, int kFrom, int kTo, int n) {
    int lanes = D.length();
    if (n < lanes) {
      JavaKernels.matmulColumnsPlain(c, a, b, iFrom, iTo, kFrom, kTo, n);
      return;
    }
    // vectors at 0, lanes, 2·lanes, …, the last one at n − lanes (it may overlap its neighbour: a
    // group of four reads c before it writes, so both get the same sums)
    int vectors = (n + lanes - 1) / lanes;
    int end = (vectors - 4) * lanes;
    int i = iFrom;
    for (; i + 2 <= iTo; i += 2) {
      if (vectors <= 4) {
        columns2x4(c, a, b, i, kFrom, kTo, 0, Math.min(lanes, n - lanes), Math.min(2 * lanes, n - lanes), Math.min(3 * lanes, n - lanes));
      } else {
        // the last four vectors first, the overlapping one with its neighbour
        columns2x4(c, a, b, i, kFrom, kTo, end, end + lanes, end + 2 * lanes, n - lanes);
        int j = 0;
        for (; j + 4 * lanes <= end; j += 4 * lanes) {
          columns2x4(c, a, b, i, kFrom, kTo, j, j + lanes, j + 2 * lanes, j + 3 * lanes);
        }
        if (j < end) {
          // one to three vectors left: some offsets repeat (the same sums, written twice)
          columns2x4(c, a, b, i, kFrom, kTo, j, Math.min(j + lanes, end - lanes), Math.min(j + 2 * lanes, end - lanes), end - lanes);
        }
      }
    }
    if (i < iTo) {
      if (vectors <= 4) {
        columns1x4(c, a, b, i, kFrom, kTo, 0, Math.min(lanes, n - lanes), Math.min(2 * lanes, n - lanes), Math.min(3 * lanes, n - lanes));
      } else {
        // the last four vectors first, the overlapping one with its neighbour
        columns1x4(c, a, b, i, kFrom, kTo, end, end + lanes, end + 2 * lanes, n - lanes);
        int j = 0;
        for (; j + 4 * lanes <= end; j += 4 * lanes) {
          columns1x4(c, a, b, i, kFrom, kTo, j, j + lanes, j + 2 * lanes, j + 3 * lanes);
        }
        if (j < end) {
          // one to three vectors left: some offsets repeat (the same sums, written twice)
          columns1x4(c, a, b, i, kFrom, kTo, j, Math.min(j + lanes, end - lanes), Math.min(j + 2 * lanes, end - lanes), end - lanes);
        }
      }
    }
  }

  private static void columns2x4(
      double[][] c, double[][] a, double[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2, int o3) {
    double[] c0 = c[i];
    double[] c1 = c[i + 1];
    DoubleVector s00 = DoubleVector.fromArray(D, c0, o0);
    DoubleVector s01 = DoubleVector.fromArray(D, c0, o1);
    DoubleVector s02 = DoubleVector.fromArray(D, c0, o2);
    DoubleVector s03 = DoubleVector.fromArray(D, c0, o3);
    DoubleVector s10 = DoubleVector.fromArray(D, c1, o0);
    DoubleVector s11 = DoubleVector.fromArray(D, c1, o1);
    DoubleVector s12 = DoubleVector.fromArray(D, c1, o2);
    DoubleVector s13 = DoubleVector.fromArray(D, c1, o3);
    for (int k = kFrom; k < kTo; k++) {
      double[] bk = b[k];
      double[] ak = a[k];
      DoubleVector x0 = DoubleVector.broadcast(D, ak[i]);
      DoubleVector x1 = DoubleVector.broadcast(D, ak[i + 1]);
      DoubleVector b0 = DoubleVector.fromArray(D, bk, o0);
      s00 = b0.fma(x0, s00);
      s10 = b0.fma(x1, s10);
      DoubleVector b1 = DoubleVector.fromArray(D, bk, o1);
      s01 = b1.fma(x0, s01);
      s11 = b1.fma(x1, s11);
      DoubleVector b2 = DoubleVector.fromArray(D, bk, o2);
      s02 = b2.fma(x0, s02);
      s12 = b2.fma(x1, s12);
      DoubleVector b3 = DoubleVector.fromArray(D, bk, o3);
      s03 = b3.fma(x0, s03);
      s13 = b3.fma(x1, s13);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s03.intoArray(c0, o3);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s12.intoArray(c1, o2);
    s13.intoArray(c1, o3);
  }

  private static void columns1x4(
      double[][] c, double[][] a, double[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2, int o3) {
    double[] c0 = c[i];
    DoubleVector s00 = DoubleVector.fromArray(D, c0, o0);
    DoubleVector s01 = DoubleVector.fromArray(D, c0, o1);
    DoubleVector s02 = DoubleVector.fromArray(D, c0, o2);
    DoubleVector s03 = DoubleVector.fromArray(D, c0, o3);
    for (int k = kFrom; k < kTo; k++) {
      double[] bk = b[k];
      double[] ak = a[k];
      DoubleVector x0 = DoubleVector.broadcast(D, ak[i]);
      DoubleVector b0 = DoubleVector.fromArray(D, bk, o0);
      s00 = b0.fma(x0, s00);
      DoubleVector b1 = DoubleVector.fromArray(D, bk, o1);
      s01 = b1.fma(x0, s01);
      DoubleVector b2 = DoubleVector.fromArray(D, bk, o2);
      s02 = b2.fma(x0, s02);
      DoubleVector b3 = DoubleVector.fromArray(D, bk, o3);
      s03 = b3.fma(x0, s03);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s03.intoArray(c0, o3);
  }

  @Override
  public void matmulRows(float[][] c, float[][] a, float[][] b, int rFrom, int rTo, int kFrom, int kTo, int n) {
    int lanes = F.length();
    if (n < lanes) {
      JavaKernels.matmulRowsPlain(c, a, b, rFrom, rTo, kFrom, kTo, n);
      return;
    }
    // vectors at 0, lanes, 2·lanes, …, the last one at n − lanes (it may overlap its neighbour: a
    // group of four reads c before it writes, so both get the same sums)
    int vectors = (n + lanes - 1) / lanes;
    int end = (vectors - 4) * lanes;
    int r = rFrom;
    for (; r + 2 <= rTo; r += 2) {
      if (vectors <= 4) {
        rows2x4(c, a, b, r, kFrom, kTo, 0, Math.min(lanes, n - lanes), Math.min(2 * lanes, n - lanes), Math.min(3 * lanes, n - lanes));
      } else {
        // the last four vectors first, the overlapping one with its neighbour
        rows2x4(c, a, b, r, kFrom, kTo, end, end + lanes, end + 2 * lanes, n - lanes);
        int j = 0;
        for (; j + 4 * lanes <= end; j += 4 * lanes) {
          rows2x4(c, a, b, r, kFrom, kTo, j, j + lanes, j + 2 * lanes, j + 3 * lanes);
        }
        if (j < end) {
          // one to three vectors left: some offsets repeat (the same sums, written twice)
          rows2x4(c, a, b, r, kFrom, kTo, j, Math.min(j + lanes, end - lanes), Math.min(j + 2 * lanes, end - lanes), end - lanes);
        }
      }
    }
    if (r < rTo) {
      if (vectors <= 4) {
        rows1x4(c, a, b, r, kFrom, kTo, 0, Math.min(lanes, n - lanes), Math.min(2 * lanes, n - lanes), Math.min(3 * lanes, n - lanes));
      } else {
        // the last four vectors first, the overlapping one with its neighbour
        rows1x4(c, a, b, r, kFrom, kTo, end, end + lanes, end + 2 * lanes, n - lanes);
        int j = 0;
        for (; j + 4 * lanes <= end; j += 4 * lanes) {
          rows1x4(c, a, b, r, kFrom, kTo, j, j + lanes, j + 2 * lanes, j + 3 * lanes);
        }
        if (j < end) {
          // one to three vectors left: some offsets repeat (the same sums, written twice)
          rows1x4(c, a, b, r, kFrom, kTo, j, Math.min(j + lanes, end - lanes), Math.min(j + 2 * lanes, end - lanes), end - lanes);
        }
      }
    }
  }

  private static void rows2x4(
      float[][] c, float[][] a, float[][] b, int r, int kFrom, int kTo, int o0, int o1, int o2, int o3) {
    float[] c0 = c[r];
    float[] a0 = a[r];
    float[] c1 = c[r + 1];
    float[] a1 = a[r + 1];
    FloatVector s00 = FloatVector.fromArray(F, c0, o0);
    FloatVector s01 = FloatVector.fromArray(F, c0, o1);
    FloatVector s02 = FloatVector.fromArray(F, c0, o2);
    FloatVector s03 = FloatVector.fromArray(F, c0, o3);
    FloatVector s10 = FloatVector.fromArray(F, c1, o0);
    FloatVector s11 = FloatVector.fromArray(F, c1, o1);
    FloatVector s12 = FloatVector.fromArray(F, c1, o2);
    FloatVector s13 = FloatVector.fromArray(F, c1, o3);
    for (int k = kFrom; k < kTo; k++) {
      float[] bk = b[k];
      FloatVector x0 = FloatVector.broadcast(F, a0[k]);
      FloatVector x1 = FloatVector.broadcast(F, a1[k]);
      FloatVector b0 = FloatVector.fromArray(F, bk, o0);
      s00 = b0.fma(x0, s00);
      s10 = b0.fma(x1, s10);
      FloatVector b1 = FloatVector.fromArray(F, bk, o1);
      s01 = b1.fma(x0, s01);
      s11 = b1.fma(x1, s11);
      FloatVector b2 = FloatVector.fromArray(F, bk, o2);
      s02 = b2.fma(x0, s02);
      s12 = b2.fma(x1, s12);
      FloatVector b3 = FloatVector.fromArray(F, bk, o3);
      s03 = b3.fma(x0, s03);
      s13 = b3.fma(x1, s13);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s03.intoArray(c0, o3);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s12.intoArray(c1, o2);
    s13.intoArray(c1, o3);
  }

  private static void rows1x4(
      float[][] c, float[][] a, float[][] b, int r, int kFrom, int kTo, int o0, int o1, int o2, int o3) {
    float[] c0 = c[r];
    float[] a0 = a[r];
    FloatVector s00 = FloatVector.fromArray(F, c0, o0);
    FloatVector s01 = FloatVector.fromArray(F, c0, o1);
    FloatVector s02 = FloatVector.fromArray(F, c0, o2);
    FloatVector s03 = FloatVector.fromArray(F, c0, o3);
    for (int k = kFrom; k < kTo; k++) {
      float[] bk = b[k];
      FloatVector x0 = FloatVector.broadcast(F, a0[k]);
      FloatVector b0 = FloatVector.fromArray(F, bk, o0);
      s00 = b0.fma(x0, s00);
      FloatVector b1 = FloatVector.fromArray(F, bk, o1);
      s01 = b1.fma(x0, s01);
      FloatVector b2 = FloatVector.fromArray(F, bk, o2);
      s02 = b2.fma(x0, s02);
      FloatVector b3 = FloatVector.fromArray(F, bk, o3);
      s03 = b3.fma(x0, s03);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s03.intoArray(c0, o3);
  }

  @Override
  public void matmulColumns(float[][] c, float[][] a, float[][] b, int iFrom, int iTo, int kFrom, int kTo, int n) {
    int lanes = F.length();
    if (n < lanes) {
      JavaKernels.matmulColumnsPlain(c, a, b, iFrom, iTo, kFrom, kTo, n);
      return;
    }
    // vectors at 0, lanes, 2·lanes, …, the last one at n − lanes (it may overlap its neighbour: a
    // group of four reads c before it writes, so both get the same sums)
    int vectors = (n + lanes - 1) / lanes;
    int end = (vectors - 4) * lanes;
    int i = iFrom;
    for (; i + 2 <= iTo; i += 2) {
      if (vectors <= 4) {
        columns2x4(c, a, b, i, kFrom, kTo, 0, Math.min(lanes, n - lanes), Math.min(2 * lanes, n - lanes), Math.min(3 * lanes, n - lanes));
      } else {
        // the last four vectors first, the overlapping one with its neighbour
        columns2x4(c, a, b, i, kFrom, kTo, end, end + lanes, end + 2 * lanes, n - lanes);
        int j = 0;
        for (; j + 4 * lanes <= end; j += 4 * lanes) {
          columns2x4(c, a, b, i, kFrom, kTo, j, j + lanes, j + 2 * lanes, j + 3 * lanes);
        }
        if (j < end) {
          // one to three vectors left: some offsets repeat (the same sums, written twice)
          columns2x4(c, a, b, i, kFrom, kTo, j, Math.min(j + lanes, end - lanes), Math.min(j + 2 * lanes, end - lanes), end - lanes);
        }
      }
    }
    if (i < iTo) {
      if (vectors <= 4) {
        columns1x4(c, a, b, i, kFrom, kTo, 0, Math.min(lanes, n - lanes), Math.min(2 * lanes, n - lanes), Math.min(3 * lanes, n - lanes));
      } else {
        // the last four vectors first, the overlapping one with its neighbour
        columns1x4(c, a, b, i, kFrom, kTo, end, end + lanes, end + 2 * lanes, n - lanes);
        int j = 0;
        for (; j + 4 * lanes <= end; j += 4 * lanes) {
          columns1x4(c, a, b, i, kFrom, kTo, j, j + lanes, j + 2 * lanes, j + 3 * lanes);
        }
        if (j < end) {
          // one to three vectors left: some offsets repeat (the same sums, written twice)
          columns1x4(c, a, b, i, kFrom, kTo, j, Math.min(j + lanes, end - lanes), Math.min(j + 2 * lanes, end - lanes), end - lanes);
        }
      }
    }
  }

  private static void columns2x4(
      float[][] c, float[][] a, float[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2, int o3) {
    float[] c0 = c[i];
    float[] c1 = c[i + 1];
    FloatVector s00 = FloatVector.fromArray(F, c0, o0);
    FloatVector s01 = FloatVector.fromArray(F, c0, o1);
    FloatVector s02 = FloatVector.fromArray(F, c0, o2);
    FloatVector s03 = FloatVector.fromArray(F, c0, o3);
    FloatVector s10 = FloatVector.fromArray(F, c1, o0);
    FloatVector s11 = FloatVector.fromArray(F, c1, o1);
    FloatVector s12 = FloatVector.fromArray(F, c1, o2);
    FloatVector s13 = FloatVector.fromArray(F, c1, o3);
    for (int k = kFrom; k < kTo; k++) {
      float[] bk = b[k];
      float[] ak = a[k];
      FloatVector x0 = FloatVector.broadcast(F, ak[i]);
      FloatVector x1 = FloatVector.broadcast(F, ak[i + 1]);
      FloatVector b0 = FloatVector.fromArray(F, bk, o0);
      s00 = b0.fma(x0, s00);
      s10 = b0.fma(x1, s10);
      FloatVector b1 = FloatVector.fromArray(F, bk, o1);
      s01 = b1.fma(x0, s01);
      s11 = b1.fma(x1, s11);
      FloatVector b2 = FloatVector.fromArray(F, bk, o2);
      s02 = b2.fma(x0, s02);
      s12 = b2.fma(x1, s12);
      FloatVector b3 = FloatVector.fromArray(F, bk, o3);
      s03 = b3.fma(x0, s03);
      s13 = b3.fma(x1, s13);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s03.intoArray(c0, o3);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s12.intoArray(c1, o2);
    s13.intoArray(c1, o3);
  }

  private static void columns1x4(
      float[][] c, float[][] a, float[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2, int o3) {
    float[] c0 = c[i];
    FloatVector s00 = FloatVector.fromArray(F, c0, o0);
    FloatVector s01 = FloatVector.fromArray(F, c0, o1);
    FloatVector s02 = FloatVector.fromArray(F, c0, o2);
    FloatVector s03 = FloatVector.fromArray(F, c0, o3);
    for (int k = kFrom; k < kTo; k++) {
      float[] bk = b[k];
      float[] ak = a[k];
      FloatVector x0 = FloatVector.broadcast(F, ak[i]);
      FloatVector b0 = FloatVector.fromArray(F, bk, o0);
      s00 = b0.fma(x0, s00);
      FloatVector b1 = FloatVector.fromArray(F, bk, o1);
      s01 = b1.fma(x0, s01);
      FloatVector b2 = FloatVector.fromArray(F, bk, o2);
      s02 = b2.fma(x0, s02);
      FloatVector b3 = FloatVector.fromArray(F, bk, o3);
      s03 = b3.fma(x0, s03);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s03.intoArray(c0, o3);
  }

  @Override
  public String description() {
    return "Vector API, " + D.vectorBitSize() + "-bit";
  }

  @Override
  public boolean vectorized() {
    return true;
  }
}
