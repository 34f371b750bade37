// Written by scripts/gen-vector-kernels.py; edit the script, not this file.
package dev.nnc.runtime.kernels;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels with the Vector API ({@code jdk.incubator.vector}), register-blocked: a tile of
 * {@code c}, four rows by two to four vectors (up to 16 accumulators of the 32 vector registers),
 * is kept in registers while the rows {@code b[k]} of a slice of k are added into it, and stored
 * once per slice. Each load of b feeds four fused multiply-adds (one per row of the tile), each
 * broadcast of a feeds two to four: about 0.5 loads per FMA, which is what a core that loads one
 * vector per cycle needs to keep its FMA unit busy. The rows left over (one to three) take a tile
 * of two rows and one of one.
 *
 * <p>A row of v vectors is cut into ⌈v/4⌉ groups of two to four vectors, as even as they come (13
 * vectors: 4 + 3 + 3 + 3, not 4 + 4 + 4 + 1). A row whose width is not a multiple of the vector
 * ends with a vector that overlaps its neighbour; the two are always in the same group, which
 * reads c before it writes, so the overlapping elements get the same sum twice (no masks, no
 * scalar tail). Rows narrower than one vector go to {@link JavaKernels}.
 *
 * <p>k is taken in slices whose rows of b fit in 256 KB ({@link #slice}). {@code matmulRows}
 * takes a group of vectors at a time over every tile of rows of c: the group's columns of the
 * slice of b stay in L2 (or L1) while the tiles stream them.
 * {@code matmulColumns} takes a tile of rows of c at a time over every group: the tile's columns
 * of a, one cache line in each batch row, stay in L1, and the gradient c, often larger than L2,
 * is read and written once per slice; {@code matmulColumns} writes c rather than adding to it:
 * its first slice starts the accumulators from zero ({@code columnsFirst…}) instead of loading c,
 * and nothing has to zero the whole gradient beforehand.
 *
 * <p>One vector shape only, for doubles and floats alike: with a second shape in the same JVM (say
 * a half-width vector for the tail) the call sites inside {@code DoubleVector.fma} see two vector
 * classes, C2 no longer knows the exact class, and every vector is boxed: 1.2 KB allocated per
 * 100-wide row and 5× slower (measured on JDK 17).
 *
 * <p>Every element gets exactly what {@link JavaKernels} gives it, the same fused multiply-adds in
 * the same order (k ascending; a slice boundary only stores the sum and loads it back), so the
 * results are bit-identical. Vectors never cross a call (only arrays and scalars do) and C2
 * intrinsifies all of each method, so escape analysis removes every vector object: a training
 * step allocates nothing.
 *
 * <p>Compiled from {@code src/main/vector} with {@code --add-modules jdk.incubator.vector};
 * loaded reflectively by {@link KernelLoader} only when that module is present.
 */
final class VectorKernels implements Kernels {
  /** The vector width in bits: {@code -Dnnc.vector.bits}, by default the machine's preferred one. */
  static final String BITS_PROPERTY = "nnc.vector.bits";

  /**
   * Rows of b per slice of k: as many {@code n}-wide rows of {@code bytes}-byte numbers as fit in
   * 256 KB, a quarter of a 1 MB L2 (100-wide rows of doubles: 327).
   */
  static int slice(int n, int bytes) {
    return Math.max(4, 256 * 1024 / (n * bytes));
  }

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

  /**
   * The offset of vector t of a row of n elements cut into vectors of {@code lanes}: t·lanes, but
   * the last one ends at n (and may overlap its neighbour).
   */
  private static int offset(int t, int vectors, int lanes, int n) {
    return t == vectors - 1 ? n - lanes : t * lanes;
  }

  @Override
  public void matmulRows(double[][] c, double[][] a, double[][] b, int rFrom, int rTo, int kFrom, int kTo, int n) {
    int lanes = D.length();
    if (n < lanes) {
      JavaKernels.matmulRowsPlain(c, a, b, rFrom, rTo, kFrom, kTo, n);
      return;
    }
    int vectors = (n + lanes - 1) / lanes;
    // ⌈v/4⌉ groups of vectors, the first (v mod groups) one vector wider than the rest
    int groups = (vectors + 3) / 4;
    int base = vectors / groups;
    int wider = vectors % groups;
    int slice = slice(n, 8);
    for (int k0 = kFrom; k0 < kTo; k0 += slice) {
      int k1 = Math.min(k0 + slice, kTo);
      int t = 0;
      for (int g = 0; g < groups; g++) {
        int size = g < wider ? base + 1 : base;
        int o0 = offset(t, vectors, lanes, n);
        // a row of one vector is a group of two, the same offset twice (the same sums)
        int o1 = size > 1 ? offset(t + 1, vectors, lanes, n) : o0;
        int o2 = size > 2 ? offset(t + 2, vectors, lanes, n) : o1;
        int o3 = size > 3 ? offset(t + 3, vectors, lanes, n) : o2;
        int r = rFrom;
        if (size == 4) {
          for (; r + 4 <= rTo; r += 4) {
            rows4x4(c, a, b, r, k0, k1, o0, o1, o2, o3);
          }
          if (r + 2 <= rTo) {
            rows2x4(c, a, b, r, k0, k1, o0, o1, o2, o3);
            r += 2;
          }
          if (r < rTo) {
            rows1x4(c, a, b, r, k0, k1, o0, o1, o2, o3);
          }
        } else if (size == 3) {
          for (; r + 4 <= rTo; r += 4) {
            rows4x3(c, a, b, r, k0, k1, o0, o1, o2);
          }
          if (r + 2 <= rTo) {
            rows2x3(c, a, b, r, k0, k1, o0, o1, o2);
            r += 2;
          }
          if (r < rTo) {
            rows1x3(c, a, b, r, k0, k1, o0, o1, o2);
          }
        } else {
          for (; r + 4 <= rTo; r += 4) {
            rows4x2(c, a, b, r, k0, k1, o0, o1);
          }
          if (r + 2 <= rTo) {
            rows2x2(c, a, b, r, k0, k1, o0, o1);
            r += 2;
          }
          if (r < rTo) {
            rows1x2(c, a, b, r, k0, k1, o0, o1);
          }
        }
        t += size;
      }
    }
  }

  /** c[r..r+4)[o..o+lanes) += a[r..r+4)[k]·b[k][o..o+lanes) for the 4 offsets o, k in [kFrom, kTo). */
  private static void rows4x4(
      double[][] c, double[][] a, double[][] b, int r, int kFrom, int kTo, int o0, int o1, int o2, int o3) {
    double[] c0 = c[r];
    double[] a0 = a[r];
    double[] c1 = c[r + 1];
    double[] a1 = a[r + 1];
    double[] c2 = c[r + 2];
    double[] a2 = a[r + 2];
    double[] c3 = c[r + 3];
    double[] a3 = a[r + 3];
    DoubleVector s00 = DoubleVector.fromArray(D, c0, o0);
    DoubleVector s01 = DoubleVector.fromArray(D, c0, o1);
    DoubleVector s02 = DoubleVector.fromArray(D, c0, o2);
    DoubleVector s03 = DoubleVector.fromArray(D, c0, o3);
    DoubleVector s10 = DoubleVector.fromArray(D, c1, o0);
    DoubleVector s11 = DoubleVector.fromArray(D, c1, o1);
    DoubleVector s12 = DoubleVector.fromArray(D, c1, o2);
    DoubleVector s13 = DoubleVector.fromArray(D, c1, o3);
    DoubleVector s20 = DoubleVector.fromArray(D, c2, o0);
    DoubleVector s21 = DoubleVector.fromArray(D, c2, o1);
    DoubleVector s22 = DoubleVector.fromArray(D, c2, o2);
    DoubleVector s23 = DoubleVector.fromArray(D, c2, o3);
    DoubleVector s30 = DoubleVector.fromArray(D, c3, o0);
    DoubleVector s31 = DoubleVector.fromArray(D, c3, o1);
    DoubleVector s32 = DoubleVector.fromArray(D, c3, o2);
    DoubleVector s33 = DoubleVector.fromArray(D, c3, o3);
    for (int k = kFrom; k < kTo; k++) {
      double[] bk = b[k];
      DoubleVector x0 = DoubleVector.broadcast(D, a0[k]);
      DoubleVector x1 = DoubleVector.broadcast(D, a1[k]);
      DoubleVector x2 = DoubleVector.broadcast(D, a2[k]);
      DoubleVector x3 = DoubleVector.broadcast(D, a3[k]);
      DoubleVector b0 = DoubleVector.fromArray(D, bk, o0);
      s00 = b0.fma(x0, s00);
      s10 = b0.fma(x1, s10);
      s20 = b0.fma(x2, s20);
      s30 = b0.fma(x3, s30);
      DoubleVector b1 = DoubleVector.fromArray(D, bk, o1);
      s01 = b1.fma(x0, s01);
      s11 = b1.fma(x1, s11);
      s21 = b1.fma(x2, s21);
      s31 = b1.fma(x3, s31);
      DoubleVector b2 = DoubleVector.fromArray(D, bk, o2);
      s02 = b2.fma(x0, s02);
      s12 = b2.fma(x1, s12);
      s22 = b2.fma(x2, s22);
      s32 = b2.fma(x3, s32);
      DoubleVector b3 = DoubleVector.fromArray(D, bk, o3);
      s03 = b3.fma(x0, s03);
      s13 = b3.fma(x1, s13);
      s23 = b3.fma(x2, s23);
      s33 = b3.fma(x3, s33);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s03.intoArray(c0, o3);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s12.intoArray(c1, o2);
    s13.intoArray(c1, o3);
    s20.intoArray(c2, o0);
    s21.intoArray(c2, o1);
    s22.intoArray(c2, o2);
    s23.intoArray(c2, o3);
    s30.intoArray(c3, o0);
    s31.intoArray(c3, o1);
    s32.intoArray(c3, o2);
    s33.intoArray(c3, o3);
  }

  /** c[r..r+4)[o..o+lanes) += a[r..r+4)[k]·b[k][o..o+lanes) for the 3 offsets o, k in [kFrom, kTo). */
  private static void rows4x3(
      double[][] c, double[][] a, double[][] b, int r, int kFrom, int kTo, int o0, int o1, int o2) {
    double[] c0 = c[r];
    double[] a0 = a[r];
    double[] c1 = c[r + 1];
    double[] a1 = a[r + 1];
    double[] c2 = c[r + 2];
    double[] a2 = a[r + 2];
    double[] c3 = c[r + 3];
    double[] a3 = a[r + 3];
    DoubleVector s00 = DoubleVector.fromArray(D, c0, o0);
    DoubleVector s01 = DoubleVector.fromArray(D, c0, o1);
    DoubleVector s02 = DoubleVector.fromArray(D, c0, o2);
    DoubleVector s10 = DoubleVector.fromArray(D, c1, o0);
    DoubleVector s11 = DoubleVector.fromArray(D, c1, o1);
    DoubleVector s12 = DoubleVector.fromArray(D, c1, o2);
    DoubleVector s20 = DoubleVector.fromArray(D, c2, o0);
    DoubleVector s21 = DoubleVector.fromArray(D, c2, o1);
    DoubleVector s22 = DoubleVector.fromArray(D, c2, o2);
    DoubleVector s30 = DoubleVector.fromArray(D, c3, o0);
    DoubleVector s31 = DoubleVector.fromArray(D, c3, o1);
    DoubleVector s32 = DoubleVector.fromArray(D, c3, o2);
    for (int k = kFrom; k < kTo; k++) {
      double[] bk = b[k];
      DoubleVector x0 = DoubleVector.broadcast(D, a0[k]);
      DoubleVector x1 = DoubleVector.broadcast(D, a1[k]);
      DoubleVector x2 = DoubleVector.broadcast(D, a2[k]);
      DoubleVector x3 = DoubleVector.broadcast(D, a3[k]);
      DoubleVector b0 = DoubleVector.fromArray(D, bk, o0);
      s00 = b0.fma(x0, s00);
      s10 = b0.fma(x1, s10);
      s20 = b0.fma(x2, s20);
      s30 = b0.fma(x3, s30);
      DoubleVector b1 = DoubleVector.fromArray(D, bk, o1);
      s01 = b1.fma(x0, s01);
      s11 = b1.fma(x1, s11);
      s21 = b1.fma(x2, s21);
      s31 = b1.fma(x3, s31);
      DoubleVector b2 = DoubleVector.fromArray(D, bk, o2);
      s02 = b2.fma(x0, s02);
      s12 = b2.fma(x1, s12);
      s22 = b2.fma(x2, s22);
      s32 = b2.fma(x3, s32);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s12.intoArray(c1, o2);
    s20.intoArray(c2, o0);
    s21.intoArray(c2, o1);
    s22.intoArray(c2, o2);
    s30.intoArray(c3, o0);
    s31.intoArray(c3, o1);
    s32.intoArray(c3, o2);
  }

  /** c[r..r+4)[o..o+lanes) += a[r..r+4)[k]·b[k][o..o+lanes) for the 2 offsets o, k in [kFrom, kTo). */
  private static void rows4x2(
      double[][] c, double[][] a, double[][] b, int r, int kFrom, int kTo, int o0, int o1) {
    double[] c0 = c[r];
    double[] a0 = a[r];
    double[] c1 = c[r + 1];
    double[] a1 = a[r + 1];
    double[] c2 = c[r + 2];
    double[] a2 = a[r + 2];
    double[] c3 = c[r + 3];
    double[] a3 = a[r + 3];
    DoubleVector s00 = DoubleVector.fromArray(D, c0, o0);
    DoubleVector s01 = DoubleVector.fromArray(D, c0, o1);
    DoubleVector s10 = DoubleVector.fromArray(D, c1, o0);
    DoubleVector s11 = DoubleVector.fromArray(D, c1, o1);
    DoubleVector s20 = DoubleVector.fromArray(D, c2, o0);
    DoubleVector s21 = DoubleVector.fromArray(D, c2, o1);
    DoubleVector s30 = DoubleVector.fromArray(D, c3, o0);
    DoubleVector s31 = DoubleVector.fromArray(D, c3, o1);
    for (int k = kFrom; k < kTo; k++) {
      double[] bk = b[k];
      DoubleVector x0 = DoubleVector.broadcast(D, a0[k]);
      DoubleVector x1 = DoubleVector.broadcast(D, a1[k]);
      DoubleVector x2 = DoubleVector.broadcast(D, a2[k]);
      DoubleVector x3 = DoubleVector.broadcast(D, a3[k]);
      DoubleVector b0 = DoubleVector.fromArray(D, bk, o0);
      s00 = b0.fma(x0, s00);
      s10 = b0.fma(x1, s10);
      s20 = b0.fma(x2, s20);
      s30 = b0.fma(x3, s30);
      DoubleVector b1 = DoubleVector.fromArray(D, bk, o1);
      s01 = b1.fma(x0, s01);
      s11 = b1.fma(x1, s11);
      s21 = b1.fma(x2, s21);
      s31 = b1.fma(x3, s31);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s20.intoArray(c2, o0);
    s21.intoArray(c2, o1);
    s30.intoArray(c3, o0);
    s31.intoArray(c3, o1);
  }

  /** c[r..r+2)[o..o+lanes) += a[r..r+2)[k]·b[k][o..o+lanes) for the 4 offsets o, k in [kFrom, kTo). */
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

  /** c[r..r+2)[o..o+lanes) += a[r..r+2)[k]·b[k][o..o+lanes) for the 3 offsets o, k in [kFrom, kTo). */
  private static void rows2x3(
      double[][] c, double[][] a, double[][] b, int r, int kFrom, int kTo, int o0, int o1, int o2) {
    double[] c0 = c[r];
    double[] a0 = a[r];
    double[] c1 = c[r + 1];
    double[] a1 = a[r + 1];
    DoubleVector s00 = DoubleVector.fromArray(D, c0, o0);
    DoubleVector s01 = DoubleVector.fromArray(D, c0, o1);
    DoubleVector s02 = DoubleVector.fromArray(D, c0, o2);
    DoubleVector s10 = DoubleVector.fromArray(D, c1, o0);
    DoubleVector s11 = DoubleVector.fromArray(D, c1, o1);
    DoubleVector s12 = DoubleVector.fromArray(D, c1, o2);
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
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s12.intoArray(c1, o2);
  }

  /** c[r..r+2)[o..o+lanes) += a[r..r+2)[k]·b[k][o..o+lanes) for the 2 offsets o, k in [kFrom, kTo). */
  private static void rows2x2(
      double[][] c, double[][] a, double[][] b, int r, int kFrom, int kTo, int o0, int o1) {
    double[] c0 = c[r];
    double[] a0 = a[r];
    double[] c1 = c[r + 1];
    double[] a1 = a[r + 1];
    DoubleVector s00 = DoubleVector.fromArray(D, c0, o0);
    DoubleVector s01 = DoubleVector.fromArray(D, c0, o1);
    DoubleVector s10 = DoubleVector.fromArray(D, c1, o0);
    DoubleVector s11 = DoubleVector.fromArray(D, c1, o1);
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
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
  }

  /** c[r..r+1)[o..o+lanes) += a[r..r+1)[k]·b[k][o..o+lanes) for the 4 offsets o, k in [kFrom, kTo). */
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

  /** c[r..r+1)[o..o+lanes) += a[r..r+1)[k]·b[k][o..o+lanes) for the 3 offsets o, k in [kFrom, kTo). */
  private static void rows1x3(
      double[][] c, double[][] a, double[][] b, int r, int kFrom, int kTo, int o0, int o1, int o2) {
    double[] c0 = c[r];
    double[] a0 = a[r];
    DoubleVector s00 = DoubleVector.fromArray(D, c0, o0);
    DoubleVector s01 = DoubleVector.fromArray(D, c0, o1);
    DoubleVector s02 = DoubleVector.fromArray(D, c0, o2);
    for (int k = kFrom; k < kTo; k++) {
      double[] bk = b[k];
      DoubleVector x0 = DoubleVector.broadcast(D, a0[k]);
      DoubleVector b0 = DoubleVector.fromArray(D, bk, o0);
      s00 = b0.fma(x0, s00);
      DoubleVector b1 = DoubleVector.fromArray(D, bk, o1);
      s01 = b1.fma(x0, s01);
      DoubleVector b2 = DoubleVector.fromArray(D, bk, o2);
      s02 = b2.fma(x0, s02);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
  }

  /** c[r..r+1)[o..o+lanes) += a[r..r+1)[k]·b[k][o..o+lanes) for the 2 offsets o, k in [kFrom, kTo). */
  private static void rows1x2(
      double[][] c, double[][] a, double[][] b, int r, int kFrom, int kTo, int o0, int o1) {
    double[] c0 = c[r];
    double[] a0 = a[r];
    DoubleVector s00 = DoubleVector.fromArray(D, c0, o0);
    DoubleVector s01 = DoubleVector.fromArray(D, c0, o1);
    for (int k = kFrom; k < kTo; k++) {
      double[] bk = b[k];
      DoubleVector x0 = DoubleVector.broadcast(D, a0[k]);
      DoubleVector b0 = DoubleVector.fromArray(D, bk, o0);
      s00 = b0.fma(x0, s00);
      DoubleVector b1 = DoubleVector.fromArray(D, bk, o1);
      s01 = b1.fma(x0, s01);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
  }

  @Override
  public void matmulColumns(double[][] c, double[][] a, double[][] b, int iFrom, int iTo, int kFrom, int kTo, int n) {
    int lanes = D.length();
    if (n < lanes) {
      JavaKernels.matmulColumnsPlain(c, a, b, iFrom, iTo, kFrom, kTo, n);
      return;
    }
    if (kFrom >= kTo) {
      for (int i = iFrom; i < iTo; i++) {
        Arrays.fill(c[i], 0, n, 0.0);
      }
      return;
    }
    int vectors = (n + lanes - 1) / lanes;
    // ⌈v/4⌉ groups of vectors, the first (v mod groups) one vector wider than the rest
    int groups = (vectors + 3) / 4;
    int base = vectors / groups;
    int wider = vectors % groups;
    int slice = slice(n, 8);
    for (int k0 = kFrom; k0 < kTo; k0 += slice) {
      int k1 = Math.min(k0 + slice, kTo);
      // c is written, not added to: the first slice starts from zeros, not from c
      boolean first = k0 == kFrom;
      int i = iFrom;
      for (; i + 4 <= iTo; i += 4) {
        int t = 0;
        for (int g = 0; g < groups; g++) {
          int size = g < wider ? base + 1 : base;
          int o0 = offset(t, vectors, lanes, n);
          // a row of one vector is a group of two, the same offset twice (the same sums)
          int o1 = size > 1 ? offset(t + 1, vectors, lanes, n) : o0;
          int o2 = size > 2 ? offset(t + 2, vectors, lanes, n) : o1;
          int o3 = size > 3 ? offset(t + 3, vectors, lanes, n) : o2;
          if (size == 4) {
            if (first) {
              columnsFirst4x4(c, a, b, i, k0, k1, o0, o1, o2, o3);
            } else {
              columns4x4(c, a, b, i, k0, k1, o0, o1, o2, o3);
            }
          } else if (size == 3) {
            if (first) {
              columnsFirst4x3(c, a, b, i, k0, k1, o0, o1, o2);
            } else {
              columns4x3(c, a, b, i, k0, k1, o0, o1, o2);
            }
          } else {
            if (first) {
              columnsFirst4x2(c, a, b, i, k0, k1, o0, o1);
            } else {
              columns4x2(c, a, b, i, k0, k1, o0, o1);
            }
          }
          t += size;
        }
      }
      if (i + 2 <= iTo) {
        int t = 0;
        for (int g = 0; g < groups; g++) {
          int size = g < wider ? base + 1 : base;
          int o0 = offset(t, vectors, lanes, n);
          // a row of one vector is a group of two, the same offset twice (the same sums)
          int o1 = size > 1 ? offset(t + 1, vectors, lanes, n) : o0;
          int o2 = size > 2 ? offset(t + 2, vectors, lanes, n) : o1;
          int o3 = size > 3 ? offset(t + 3, vectors, lanes, n) : o2;
          if (size == 4) {
            if (first) {
              columnsFirst2x4(c, a, b, i, k0, k1, o0, o1, o2, o3);
            } else {
              columns2x4(c, a, b, i, k0, k1, o0, o1, o2, o3);
            }
          } else if (size == 3) {
            if (first) {
              columnsFirst2x3(c, a, b, i, k0, k1, o0, o1, o2);
            } else {
              columns2x3(c, a, b, i, k0, k1, o0, o1, o2);
            }
          } else {
            if (first) {
              columnsFirst2x2(c, a, b, i, k0, k1, o0, o1);
            } else {
              columns2x2(c, a, b, i, k0, k1, o0, o1);
            }
          }
          t += size;
        }
        i += 2;
      }
      if (i < iTo) {
        int t = 0;
        for (int g = 0; g < groups; g++) {
          int size = g < wider ? base + 1 : base;
          int o0 = offset(t, vectors, lanes, n);
          // a row of one vector is a group of two, the same offset twice (the same sums)
          int o1 = size > 1 ? offset(t + 1, vectors, lanes, n) : o0;
          int o2 = size > 2 ? offset(t + 2, vectors, lanes, n) : o1;
          int o3 = size > 3 ? offset(t + 3, vectors, lanes, n) : o2;
          if (size == 4) {
            if (first) {
              columnsFirst1x4(c, a, b, i, k0, k1, o0, o1, o2, o3);
            } else {
              columns1x4(c, a, b, i, k0, k1, o0, o1, o2, o3);
            }
          } else if (size == 3) {
            if (first) {
              columnsFirst1x3(c, a, b, i, k0, k1, o0, o1, o2);
            } else {
              columns1x3(c, a, b, i, k0, k1, o0, o1, o2);
            }
          } else {
            if (first) {
              columnsFirst1x2(c, a, b, i, k0, k1, o0, o1);
            } else {
              columns1x2(c, a, b, i, k0, k1, o0, o1);
            }
          }
          t += size;
        }
      }
    }
  }

  /** c[i..i+4)[o..o+lanes) += a[k][i..i+4)·b[k][o..o+lanes) for the 4 offsets o, k in [kFrom, kTo). */
  private static void columns4x4(
      double[][] c, double[][] a, double[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2, int o3) {
    double[] c0 = c[i];
    double[] c1 = c[i + 1];
    double[] c2 = c[i + 2];
    double[] c3 = c[i + 3];
    DoubleVector s00 = DoubleVector.fromArray(D, c0, o0);
    DoubleVector s01 = DoubleVector.fromArray(D, c0, o1);
    DoubleVector s02 = DoubleVector.fromArray(D, c0, o2);
    DoubleVector s03 = DoubleVector.fromArray(D, c0, o3);
    DoubleVector s10 = DoubleVector.fromArray(D, c1, o0);
    DoubleVector s11 = DoubleVector.fromArray(D, c1, o1);
    DoubleVector s12 = DoubleVector.fromArray(D, c1, o2);
    DoubleVector s13 = DoubleVector.fromArray(D, c1, o3);
    DoubleVector s20 = DoubleVector.fromArray(D, c2, o0);
    DoubleVector s21 = DoubleVector.fromArray(D, c2, o1);
    DoubleVector s22 = DoubleVector.fromArray(D, c2, o2);
    DoubleVector s23 = DoubleVector.fromArray(D, c2, o3);
    DoubleVector s30 = DoubleVector.fromArray(D, c3, o0);
    DoubleVector s31 = DoubleVector.fromArray(D, c3, o1);
    DoubleVector s32 = DoubleVector.fromArray(D, c3, o2);
    DoubleVector s33 = DoubleVector.fromArray(D, c3, o3);
    for (int k = kFrom; k < kTo; k++) {
      double[] bk = b[k];
      double[] ak = a[k];
      DoubleVector x0 = DoubleVector.broadcast(D, ak[i]);
      DoubleVector x1 = DoubleVector.broadcast(D, ak[i + 1]);
      DoubleVector x2 = DoubleVector.broadcast(D, ak[i + 2]);
      DoubleVector x3 = DoubleVector.broadcast(D, ak[i + 3]);
      DoubleVector b0 = DoubleVector.fromArray(D, bk, o0);
      s00 = b0.fma(x0, s00);
      s10 = b0.fma(x1, s10);
      s20 = b0.fma(x2, s20);
      s30 = b0.fma(x3, s30);
      DoubleVector b1 = DoubleVector.fromArray(D, bk, o1);
      s01 = b1.fma(x0, s01);
      s11 = b1.fma(x1, s11);
      s21 = b1.fma(x2, s21);
      s31 = b1.fma(x3, s31);
      DoubleVector b2 = DoubleVector.fromArray(D, bk, o2);
      s02 = b2.fma(x0, s02);
      s12 = b2.fma(x1, s12);
      s22 = b2.fma(x2, s22);
      s32 = b2.fma(x3, s32);
      DoubleVector b3 = DoubleVector.fromArray(D, bk, o3);
      s03 = b3.fma(x0, s03);
      s13 = b3.fma(x1, s13);
      s23 = b3.fma(x2, s23);
      s33 = b3.fma(x3, s33);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s03.intoArray(c0, o3);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s12.intoArray(c1, o2);
    s13.intoArray(c1, o3);
    s20.intoArray(c2, o0);
    s21.intoArray(c2, o1);
    s22.intoArray(c2, o2);
    s23.intoArray(c2, o3);
    s30.intoArray(c3, o0);
    s31.intoArray(c3, o1);
    s32.intoArray(c3, o2);
    s33.intoArray(c3, o3);
  }

  /** c[i..i+4)[o..o+lanes) = Σ_k a[k][i..i+4)·b[k][o..o+lanes) for the 4 offsets o, k in [kFrom, kTo). */
  private static void columnsFirst4x4(
      double[][] c, double[][] a, double[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2, int o3) {
    double[] c0 = c[i];
    double[] c1 = c[i + 1];
    double[] c2 = c[i + 2];
    double[] c3 = c[i + 3];
    DoubleVector s00 = DoubleVector.zero(D);
    DoubleVector s01 = DoubleVector.zero(D);
    DoubleVector s02 = DoubleVector.zero(D);
    DoubleVector s03 = DoubleVector.zero(D);
    DoubleVector s10 = DoubleVector.zero(D);
    DoubleVector s11 = DoubleVector.zero(D);
    DoubleVector s12 = DoubleVector.zero(D);
    DoubleVector s13 = DoubleVector.zero(D);
    DoubleVector s20 = DoubleVector.zero(D);
    DoubleVector s21 = DoubleVector.zero(D);
    DoubleVector s22 = DoubleVector.zero(D);
    DoubleVector s23 = DoubleVector.zero(D);
    DoubleVector s30 = DoubleVector.zero(D);
    DoubleVector s31 = DoubleVector.zero(D);
    DoubleVector s32 = DoubleVector.zero(D);
    DoubleVector s33 = DoubleVector.zero(D);
    for (int k = kFrom; k < kTo; k++) {
      double[] bk = b[k];
      double[] ak = a[k];
      DoubleVector x0 = DoubleVector.broadcast(D, ak[i]);
      DoubleVector x1 = DoubleVector.broadcast(D, ak[i + 1]);
      DoubleVector x2 = DoubleVector.broadcast(D, ak[i + 2]);
      DoubleVector x3 = DoubleVector.broadcast(D, ak[i + 3]);
      DoubleVector b0 = DoubleVector.fromArray(D, bk, o0);
      s00 = b0.fma(x0, s00);
      s10 = b0.fma(x1, s10);
      s20 = b0.fma(x2, s20);
      s30 = b0.fma(x3, s30);
      DoubleVector b1 = DoubleVector.fromArray(D, bk, o1);
      s01 = b1.fma(x0, s01);
      s11 = b1.fma(x1, s11);
      s21 = b1.fma(x2, s21);
      s31 = b1.fma(x3, s31);
      DoubleVector b2 = DoubleVector.fromArray(D, bk, o2);
      s02 = b2.fma(x0, s02);
      s12 = b2.fma(x1, s12);
      s22 = b2.fma(x2, s22);
      s32 = b2.fma(x3, s32);
      DoubleVector b3 = DoubleVector.fromArray(D, bk, o3);
      s03 = b3.fma(x0, s03);
      s13 = b3.fma(x1, s13);
      s23 = b3.fma(x2, s23);
      s33 = b3.fma(x3, s33);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s03.intoArray(c0, o3);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s12.intoArray(c1, o2);
    s13.intoArray(c1, o3);
    s20.intoArray(c2, o0);
    s21.intoArray(c2, o1);
    s22.intoArray(c2, o2);
    s23.intoArray(c2, o3);
    s30.intoArray(c3, o0);
    s31.intoArray(c3, o1);
    s32.intoArray(c3, o2);
    s33.intoArray(c3, o3);
  }

  /** c[i..i+4)[o..o+lanes) += a[k][i..i+4)·b[k][o..o+lanes) for the 3 offsets o, k in [kFrom, kTo). */
  private static void columns4x3(
      double[][] c, double[][] a, double[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2) {
    double[] c0 = c[i];
    double[] c1 = c[i + 1];
    double[] c2 = c[i + 2];
    double[] c3 = c[i + 3];
    DoubleVector s00 = DoubleVector.fromArray(D, c0, o0);
    DoubleVector s01 = DoubleVector.fromArray(D, c0, o1);
    DoubleVector s02 = DoubleVector.fromArray(D, c0, o2);
    DoubleVector s10 = DoubleVector.fromArray(D, c1, o0);
    DoubleVector s11 = DoubleVector.fromArray(D, c1, o1);
    DoubleVector s12 = DoubleVector.fromArray(D, c1, o2);
    DoubleVector s20 = DoubleVector.fromArray(D, c2, o0);
    DoubleVector s21 = DoubleVector.fromArray(D, c2, o1);
    DoubleVector s22 = DoubleVector.fromArray(D, c2, o2);
    DoubleVector s30 = DoubleVector.fromArray(D, c3, o0);
    DoubleVector s31 = DoubleVector.fromArray(D, c3, o1);
    DoubleVector s32 = DoubleVector.fromArray(D, c3, o2);
    for (int k = kFrom; k < kTo; k++) {
      double[] bk = b[k];
      double[] ak = a[k];
      DoubleVector x0 = DoubleVector.broadcast(D, ak[i]);
      DoubleVector x1 = DoubleVector.broadcast(D, ak[i + 1]);
      DoubleVector x2 = DoubleVector.broadcast(D, ak[i + 2]);
      DoubleVector x3 = DoubleVector.broadcast(D, ak[i + 3]);
      DoubleVector b0 = DoubleVector.fromArray(D, bk, o0);
      s00 = b0.fma(x0, s00);
      s10 = b0.fma(x1, s10);
      s20 = b0.fma(x2, s20);
      s30 = b0.fma(x3, s30);
      DoubleVector b1 = DoubleVector.fromArray(D, bk, o1);
      s01 = b1.fma(x0, s01);
      s11 = b1.fma(x1, s11);
      s21 = b1.fma(x2, s21);
      s31 = b1.fma(x3, s31);
      DoubleVector b2 = DoubleVector.fromArray(D, bk, o2);
      s02 = b2.fma(x0, s02);
      s12 = b2.fma(x1, s12);
      s22 = b2.fma(x2, s22);
      s32 = b2.fma(x3, s32);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s12.intoArray(c1, o2);
    s20.intoArray(c2, o0);
    s21.intoArray(c2, o1);
    s22.intoArray(c2, o2);
    s30.intoArray(c3, o0);
    s31.intoArray(c3, o1);
    s32.intoArray(c3, o2);
  }

  /** c[i..i+4)[o..o+lanes) = Σ_k a[k][i..i+4)·b[k][o..o+lanes) for the 3 offsets o, k in [kFrom, kTo). */
  private static void columnsFirst4x3(
      double[][] c, double[][] a, double[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2) {
    double[] c0 = c[i];
    double[] c1 = c[i + 1];
    double[] c2 = c[i + 2];
    double[] c3 = c[i + 3];
    DoubleVector s00 = DoubleVector.zero(D);
    DoubleVector s01 = DoubleVector.zero(D);
    DoubleVector s02 = DoubleVector.zero(D);
    DoubleVector s10 = DoubleVector.zero(D);
    DoubleVector s11 = DoubleVector.zero(D);
    DoubleVector s12 = DoubleVector.zero(D);
    DoubleVector s20 = DoubleVector.zero(D);
    DoubleVector s21 = DoubleVector.zero(D);
    DoubleVector s22 = DoubleVector.zero(D);
    DoubleVector s30 = DoubleVector.zero(D);
    DoubleVector s31 = DoubleVector.zero(D);
    DoubleVector s32 = DoubleVector.zero(D);
    for (int k = kFrom; k < kTo; k++) {
      double[] bk = b[k];
      double[] ak = a[k];
      DoubleVector x0 = DoubleVector.broadcast(D, ak[i]);
      DoubleVector x1 = DoubleVector.broadcast(D, ak[i + 1]);
      DoubleVector x2 = DoubleVector.broadcast(D, ak[i + 2]);
      DoubleVector x3 = DoubleVector.broadcast(D, ak[i + 3]);
      DoubleVector b0 = DoubleVector.fromArray(D, bk, o0);
      s00 = b0.fma(x0, s00);
      s10 = b0.fma(x1, s10);
      s20 = b0.fma(x2, s20);
      s30 = b0.fma(x3, s30);
      DoubleVector b1 = DoubleVector.fromArray(D, bk, o1);
      s01 = b1.fma(x0, s01);
      s11 = b1.fma(x1, s11);
      s21 = b1.fma(x2, s21);
      s31 = b1.fma(x3, s31);
      DoubleVector b2 = DoubleVector.fromArray(D, bk, o2);
      s02 = b2.fma(x0, s02);
      s12 = b2.fma(x1, s12);
      s22 = b2.fma(x2, s22);
      s32 = b2.fma(x3, s32);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s12.intoArray(c1, o2);
    s20.intoArray(c2, o0);
    s21.intoArray(c2, o1);
    s22.intoArray(c2, o2);
    s30.intoArray(c3, o0);
    s31.intoArray(c3, o1);
    s32.intoArray(c3, o2);
  }

  /** c[i..i+4)[o..o+lanes) += a[k][i..i+4)·b[k][o..o+lanes) for the 2 offsets o, k in [kFrom, kTo). */
  private static void columns4x2(
      double[][] c, double[][] a, double[][] b, int i, int kFrom, int kTo, int o0, int o1) {
    double[] c0 = c[i];
    double[] c1 = c[i + 1];
    double[] c2 = c[i + 2];
    double[] c3 = c[i + 3];
    DoubleVector s00 = DoubleVector.fromArray(D, c0, o0);
    DoubleVector s01 = DoubleVector.fromArray(D, c0, o1);
    DoubleVector s10 = DoubleVector.fromArray(D, c1, o0);
    DoubleVector s11 = DoubleVector.fromArray(D, c1, o1);
    DoubleVector s20 = DoubleVector.fromArray(D, c2, o0);
    DoubleVector s21 = DoubleVector.fromArray(D, c2, o1);
    DoubleVector s30 = DoubleVector.fromArray(D, c3, o0);
    DoubleVector s31 = DoubleVector.fromArray(D, c3, o1);
    for (int k = kFrom; k < kTo; k++) {
      double[] bk = b[k];
      double[] ak = a[k];
      DoubleVector x0 = DoubleVector.broadcast(D, ak[i]);
      DoubleVector x1 = DoubleVector.broadcast(D, ak[i + 1]);
      DoubleVector x2 = DoubleVector.broadcast(D, ak[i + 2]);
      DoubleVector x3 = DoubleVector.broadcast(D, ak[i + 3]);
      DoubleVector b0 = DoubleVector.fromArray(D, bk, o0);
      s00 = b0.fma(x0, s00);
      s10 = b0.fma(x1, s10);
      s20 = b0.fma(x2, s20);
      s30 = b0.fma(x3, s30);
      DoubleVector b1 = DoubleVector.fromArray(D, bk, o1);
      s01 = b1.fma(x0, s01);
      s11 = b1.fma(x1, s11);
      s21 = b1.fma(x2, s21);
      s31 = b1.fma(x3, s31);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s20.intoArray(c2, o0);
    s21.intoArray(c2, o1);
    s30.intoArray(c3, o0);
    s31.intoArray(c3, o1);
  }

  /** c[i..i+4)[o..o+lanes) = Σ_k a[k][i..i+4)·b[k][o..o+lanes) for the 2 offsets o, k in [kFrom, kTo). */
  private static void columnsFirst4x2(
      double[][] c, double[][] a, double[][] b, int i, int kFrom, int kTo, int o0, int o1) {
    double[] c0 = c[i];
    double[] c1 = c[i + 1];
    double[] c2 = c[i + 2];
    double[] c3 = c[i + 3];
    DoubleVector s00 = DoubleVector.zero(D);
    DoubleVector s01 = DoubleVector.zero(D);
    DoubleVector s10 = DoubleVector.zero(D);
    DoubleVector s11 = DoubleVector.zero(D);
    DoubleVector s20 = DoubleVector.zero(D);
    DoubleVector s21 = DoubleVector.zero(D);
    DoubleVector s30 = DoubleVector.zero(D);
    DoubleVector s31 = DoubleVector.zero(D);
    for (int k = kFrom; k < kTo; k++) {
      double[] bk = b[k];
      double[] ak = a[k];
      DoubleVector x0 = DoubleVector.broadcast(D, ak[i]);
      DoubleVector x1 = DoubleVector.broadcast(D, ak[i + 1]);
      DoubleVector x2 = DoubleVector.broadcast(D, ak[i + 2]);
      DoubleVector x3 = DoubleVector.broadcast(D, ak[i + 3]);
      DoubleVector b0 = DoubleVector.fromArray(D, bk, o0);
      s00 = b0.fma(x0, s00);
      s10 = b0.fma(x1, s10);
      s20 = b0.fma(x2, s20);
      s30 = b0.fma(x3, s30);
      DoubleVector b1 = DoubleVector.fromArray(D, bk, o1);
      s01 = b1.fma(x0, s01);
      s11 = b1.fma(x1, s11);
      s21 = b1.fma(x2, s21);
      s31 = b1.fma(x3, s31);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s20.intoArray(c2, o0);
    s21.intoArray(c2, o1);
    s30.intoArray(c3, o0);
    s31.intoArray(c3, o1);
  }

  /** c[i..i+2)[o..o+lanes) += a[k][i..i+2)·b[k][o..o+lanes) for the 4 offsets o, k in [kFrom, kTo). */
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

  /** c[i..i+2)[o..o+lanes) = Σ_k a[k][i..i+2)·b[k][o..o+lanes) for the 4 offsets o, k in [kFrom, kTo). */
  private static void columnsFirst2x4(
      double[][] c, double[][] a, double[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2, int o3) {
    double[] c0 = c[i];
    double[] c1 = c[i + 1];
    DoubleVector s00 = DoubleVector.zero(D);
    DoubleVector s01 = DoubleVector.zero(D);
    DoubleVector s02 = DoubleVector.zero(D);
    DoubleVector s03 = DoubleVector.zero(D);
    DoubleVector s10 = DoubleVector.zero(D);
    DoubleVector s11 = DoubleVector.zero(D);
    DoubleVector s12 = DoubleVector.zero(D);
    DoubleVector s13 = DoubleVector.zero(D);
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

  /** c[i..i+2)[o..o+lanes) += a[k][i..i+2)·b[k][o..o+lanes) for the 3 offsets o, k in [kFrom, kTo). */
  private static void columns2x3(
      double[][] c, double[][] a, double[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2) {
    double[] c0 = c[i];
    double[] c1 = c[i + 1];
    DoubleVector s00 = DoubleVector.fromArray(D, c0, o0);
    DoubleVector s01 = DoubleVector.fromArray(D, c0, o1);
    DoubleVector s02 = DoubleVector.fromArray(D, c0, o2);
    DoubleVector s10 = DoubleVector.fromArray(D, c1, o0);
    DoubleVector s11 = DoubleVector.fromArray(D, c1, o1);
    DoubleVector s12 = DoubleVector.fromArray(D, c1, o2);
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
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s12.intoArray(c1, o2);
  }

  /** c[i..i+2)[o..o+lanes) = Σ_k a[k][i..i+2)·b[k][o..o+lanes) for the 3 offsets o, k in [kFrom, kTo). */
  private static void columnsFirst2x3(
      double[][] c, double[][] a, double[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2) {
    double[] c0 = c[i];
    double[] c1 = c[i + 1];
    DoubleVector s00 = DoubleVector.zero(D);
    DoubleVector s01 = DoubleVector.zero(D);
    DoubleVector s02 = DoubleVector.zero(D);
    DoubleVector s10 = DoubleVector.zero(D);
    DoubleVector s11 = DoubleVector.zero(D);
    DoubleVector s12 = DoubleVector.zero(D);
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
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s12.intoArray(c1, o2);
  }

  /** c[i..i+2)[o..o+lanes) += a[k][i..i+2)·b[k][o..o+lanes) for the 2 offsets o, k in [kFrom, kTo). */
  private static void columns2x2(
      double[][] c, double[][] a, double[][] b, int i, int kFrom, int kTo, int o0, int o1) {
    double[] c0 = c[i];
    double[] c1 = c[i + 1];
    DoubleVector s00 = DoubleVector.fromArray(D, c0, o0);
    DoubleVector s01 = DoubleVector.fromArray(D, c0, o1);
    DoubleVector s10 = DoubleVector.fromArray(D, c1, o0);
    DoubleVector s11 = DoubleVector.fromArray(D, c1, o1);
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
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
  }

  /** c[i..i+2)[o..o+lanes) = Σ_k a[k][i..i+2)·b[k][o..o+lanes) for the 2 offsets o, k in [kFrom, kTo). */
  private static void columnsFirst2x2(
      double[][] c, double[][] a, double[][] b, int i, int kFrom, int kTo, int o0, int o1) {
    double[] c0 = c[i];
    double[] c1 = c[i + 1];
    DoubleVector s00 = DoubleVector.zero(D);
    DoubleVector s01 = DoubleVector.zero(D);
    DoubleVector s10 = DoubleVector.zero(D);
    DoubleVector s11 = DoubleVector.zero(D);
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
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
  }

  /** c[i..i+1)[o..o+lanes) += a[k][i..i+1)·b[k][o..o+lanes) for the 4 offsets o, k in [kFrom, kTo). */
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

  /** c[i..i+1)[o..o+lanes) = Σ_k a[k][i..i+1)·b[k][o..o+lanes) for the 4 offsets o, k in [kFrom, kTo). */
  private static void columnsFirst1x4(
      double[][] c, double[][] a, double[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2, int o3) {
    double[] c0 = c[i];
    DoubleVector s00 = DoubleVector.zero(D);
    DoubleVector s01 = DoubleVector.zero(D);
    DoubleVector s02 = DoubleVector.zero(D);
    DoubleVector s03 = DoubleVector.zero(D);
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

  /** c[i..i+1)[o..o+lanes) += a[k][i..i+1)·b[k][o..o+lanes) for the 3 offsets o, k in [kFrom, kTo). */
  private static void columns1x3(
      double[][] c, double[][] a, double[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2) {
    double[] c0 = c[i];
    DoubleVector s00 = DoubleVector.fromArray(D, c0, o0);
    DoubleVector s01 = DoubleVector.fromArray(D, c0, o1);
    DoubleVector s02 = DoubleVector.fromArray(D, c0, o2);
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
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
  }

  /** c[i..i+1)[o..o+lanes) = Σ_k a[k][i..i+1)·b[k][o..o+lanes) for the 3 offsets o, k in [kFrom, kTo). */
  private static void columnsFirst1x3(
      double[][] c, double[][] a, double[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2) {
    double[] c0 = c[i];
    DoubleVector s00 = DoubleVector.zero(D);
    DoubleVector s01 = DoubleVector.zero(D);
    DoubleVector s02 = DoubleVector.zero(D);
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
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
  }

  /** c[i..i+1)[o..o+lanes) += a[k][i..i+1)·b[k][o..o+lanes) for the 2 offsets o, k in [kFrom, kTo). */
  private static void columns1x2(
      double[][] c, double[][] a, double[][] b, int i, int kFrom, int kTo, int o0, int o1) {
    double[] c0 = c[i];
    DoubleVector s00 = DoubleVector.fromArray(D, c0, o0);
    DoubleVector s01 = DoubleVector.fromArray(D, c0, o1);
    for (int k = kFrom; k < kTo; k++) {
      double[] bk = b[k];
      double[] ak = a[k];
      DoubleVector x0 = DoubleVector.broadcast(D, ak[i]);
      DoubleVector b0 = DoubleVector.fromArray(D, bk, o0);
      s00 = b0.fma(x0, s00);
      DoubleVector b1 = DoubleVector.fromArray(D, bk, o1);
      s01 = b1.fma(x0, s01);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
  }

  /** c[i..i+1)[o..o+lanes) = Σ_k a[k][i..i+1)·b[k][o..o+lanes) for the 2 offsets o, k in [kFrom, kTo). */
  private static void columnsFirst1x2(
      double[][] c, double[][] a, double[][] b, int i, int kFrom, int kTo, int o0, int o1) {
    double[] c0 = c[i];
    DoubleVector s00 = DoubleVector.zero(D);
    DoubleVector s01 = DoubleVector.zero(D);
    for (int k = kFrom; k < kTo; k++) {
      double[] bk = b[k];
      double[] ak = a[k];
      DoubleVector x0 = DoubleVector.broadcast(D, ak[i]);
      DoubleVector b0 = DoubleVector.fromArray(D, bk, o0);
      s00 = b0.fma(x0, s00);
      DoubleVector b1 = DoubleVector.fromArray(D, bk, o1);
      s01 = b1.fma(x0, s01);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
  }

  @Override
  public void matmulRows(float[][] c, float[][] a, float[][] b, int rFrom, int rTo, int kFrom, int kTo, int n) {
    int lanes = F.length();
    if (n < lanes) {
      JavaKernels.matmulRowsPlain(c, a, b, rFrom, rTo, kFrom, kTo, n);
      return;
    }
    int vectors = (n + lanes - 1) / lanes;
    // ⌈v/4⌉ groups of vectors, the first (v mod groups) one vector wider than the rest
    int groups = (vectors + 3) / 4;
    int base = vectors / groups;
    int wider = vectors % groups;
    int slice = slice(n, 4);
    for (int k0 = kFrom; k0 < kTo; k0 += slice) {
      int k1 = Math.min(k0 + slice, kTo);
      int t = 0;
      for (int g = 0; g < groups; g++) {
        int size = g < wider ? base + 1 : base;
        int o0 = offset(t, vectors, lanes, n);
        // a row of one vector is a group of two, the same offset twice (the same sums)
        int o1 = size > 1 ? offset(t + 1, vectors, lanes, n) : o0;
        int o2 = size > 2 ? offset(t + 2, vectors, lanes, n) : o1;
        int o3 = size > 3 ? offset(t + 3, vectors, lanes, n) : o2;
        int r = rFrom;
        if (size == 4) {
          for (; r + 4 <= rTo; r += 4) {
            rows4x4(c, a, b, r, k0, k1, o0, o1, o2, o3);
          }
          if (r + 2 <= rTo) {
            rows2x4(c, a, b, r, k0, k1, o0, o1, o2, o3);
            r += 2;
          }
          if (r < rTo) {
            rows1x4(c, a, b, r, k0, k1, o0, o1, o2, o3);
          }
        } else if (size == 3) {
          for (; r + 4 <= rTo; r += 4) {
            rows4x3(c, a, b, r, k0, k1, o0, o1, o2);
          }
          if (r + 2 <= rTo) {
            rows2x3(c, a, b, r, k0, k1, o0, o1, o2);
            r += 2;
          }
          if (r < rTo) {
            rows1x3(c, a, b, r, k0, k1, o0, o1, o2);
          }
        } else {
          for (; r + 4 <= rTo; r += 4) {
            rows4x2(c, a, b, r, k0, k1, o0, o1);
          }
          if (r + 2 <= rTo) {
            rows2x2(c, a, b, r, k0, k1, o0, o1);
            r += 2;
          }
          if (r < rTo) {
            rows1x2(c, a, b, r, k0, k1, o0, o1);
          }
        }
        t += size;
      }
    }
  }

  /** c[r..r+4)[o..o+lanes) += a[r..r+4)[k]·b[k][o..o+lanes) for the 4 offsets o, k in [kFrom, kTo). */
  private static void rows4x4(
      float[][] c, float[][] a, float[][] b, int r, int kFrom, int kTo, int o0, int o1, int o2, int o3) {
    float[] c0 = c[r];
    float[] a0 = a[r];
    float[] c1 = c[r + 1];
    float[] a1 = a[r + 1];
    float[] c2 = c[r + 2];
    float[] a2 = a[r + 2];
    float[] c3 = c[r + 3];
    float[] a3 = a[r + 3];
    FloatVector s00 = FloatVector.fromArray(F, c0, o0);
    FloatVector s01 = FloatVector.fromArray(F, c0, o1);
    FloatVector s02 = FloatVector.fromArray(F, c0, o2);
    FloatVector s03 = FloatVector.fromArray(F, c0, o3);
    FloatVector s10 = FloatVector.fromArray(F, c1, o0);
    FloatVector s11 = FloatVector.fromArray(F, c1, o1);
    FloatVector s12 = FloatVector.fromArray(F, c1, o2);
    FloatVector s13 = FloatVector.fromArray(F, c1, o3);
    FloatVector s20 = FloatVector.fromArray(F, c2, o0);
    FloatVector s21 = FloatVector.fromArray(F, c2, o1);
    FloatVector s22 = FloatVector.fromArray(F, c2, o2);
    FloatVector s23 = FloatVector.fromArray(F, c2, o3);
    FloatVector s30 = FloatVector.fromArray(F, c3, o0);
    FloatVector s31 = FloatVector.fromArray(F, c3, o1);
    FloatVector s32 = FloatVector.fromArray(F, c3, o2);
    FloatVector s33 = FloatVector.fromArray(F, c3, o3);
    for (int k = kFrom; k < kTo; k++) {
      float[] bk = b[k];
      FloatVector x0 = FloatVector.broadcast(F, a0[k]);
      FloatVector x1 = FloatVector.broadcast(F, a1[k]);
      FloatVector x2 = FloatVector.broadcast(F, a2[k]);
      FloatVector x3 = FloatVector.broadcast(F, a3[k]);
      FloatVector b0 = FloatVector.fromArray(F, bk, o0);
      s00 = b0.fma(x0, s00);
      s10 = b0.fma(x1, s10);
      s20 = b0.fma(x2, s20);
      s30 = b0.fma(x3, s30);
      FloatVector b1 = FloatVector.fromArray(F, bk, o1);
      s01 = b1.fma(x0, s01);
      s11 = b1.fma(x1, s11);
      s21 = b1.fma(x2, s21);
      s31 = b1.fma(x3, s31);
      FloatVector b2 = FloatVector.fromArray(F, bk, o2);
      s02 = b2.fma(x0, s02);
      s12 = b2.fma(x1, s12);
      s22 = b2.fma(x2, s22);
      s32 = b2.fma(x3, s32);
      FloatVector b3 = FloatVector.fromArray(F, bk, o3);
      s03 = b3.fma(x0, s03);
      s13 = b3.fma(x1, s13);
      s23 = b3.fma(x2, s23);
      s33 = b3.fma(x3, s33);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s03.intoArray(c0, o3);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s12.intoArray(c1, o2);
    s13.intoArray(c1, o3);
    s20.intoArray(c2, o0);
    s21.intoArray(c2, o1);
    s22.intoArray(c2, o2);
    s23.intoArray(c2, o3);
    s30.intoArray(c3, o0);
    s31.intoArray(c3, o1);
    s32.intoArray(c3, o2);
    s33.intoArray(c3, o3);
  }

  /** c[r..r+4)[o..o+lanes) += a[r..r+4)[k]·b[k][o..o+lanes) for the 3 offsets o, k in [kFrom, kTo). */
  private static void rows4x3(
      float[][] c, float[][] a, float[][] b, int r, int kFrom, int kTo, int o0, int o1, int o2) {
    float[] c0 = c[r];
    float[] a0 = a[r];
    float[] c1 = c[r + 1];
    float[] a1 = a[r + 1];
    float[] c2 = c[r + 2];
    float[] a2 = a[r + 2];
    float[] c3 = c[r + 3];
    float[] a3 = a[r + 3];
    FloatVector s00 = FloatVector.fromArray(F, c0, o0);
    FloatVector s01 = FloatVector.fromArray(F, c0, o1);
    FloatVector s02 = FloatVector.fromArray(F, c0, o2);
    FloatVector s10 = FloatVector.fromArray(F, c1, o0);
    FloatVector s11 = FloatVector.fromArray(F, c1, o1);
    FloatVector s12 = FloatVector.fromArray(F, c1, o2);
    FloatVector s20 = FloatVector.fromArray(F, c2, o0);
    FloatVector s21 = FloatVector.fromArray(F, c2, o1);
    FloatVector s22 = FloatVector.fromArray(F, c2, o2);
    FloatVector s30 = FloatVector.fromArray(F, c3, o0);
    FloatVector s31 = FloatVector.fromArray(F, c3, o1);
    FloatVector s32 = FloatVector.fromArray(F, c3, o2);
    for (int k = kFrom; k < kTo; k++) {
      float[] bk = b[k];
      FloatVector x0 = FloatVector.broadcast(F, a0[k]);
      FloatVector x1 = FloatVector.broadcast(F, a1[k]);
      FloatVector x2 = FloatVector.broadcast(F, a2[k]);
      FloatVector x3 = FloatVector.broadcast(F, a3[k]);
      FloatVector b0 = FloatVector.fromArray(F, bk, o0);
      s00 = b0.fma(x0, s00);
      s10 = b0.fma(x1, s10);
      s20 = b0.fma(x2, s20);
      s30 = b0.fma(x3, s30);
      FloatVector b1 = FloatVector.fromArray(F, bk, o1);
      s01 = b1.fma(x0, s01);
      s11 = b1.fma(x1, s11);
      s21 = b1.fma(x2, s21);
      s31 = b1.fma(x3, s31);
      FloatVector b2 = FloatVector.fromArray(F, bk, o2);
      s02 = b2.fma(x0, s02);
      s12 = b2.fma(x1, s12);
      s22 = b2.fma(x2, s22);
      s32 = b2.fma(x3, s32);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s12.intoArray(c1, o2);
    s20.intoArray(c2, o0);
    s21.intoArray(c2, o1);
    s22.intoArray(c2, o2);
    s30.intoArray(c3, o0);
    s31.intoArray(c3, o1);
    s32.intoArray(c3, o2);
  }

  /** c[r..r+4)[o..o+lanes) += a[r..r+4)[k]·b[k][o..o+lanes) for the 2 offsets o, k in [kFrom, kTo). */
  private static void rows4x2(
      float[][] c, float[][] a, float[][] b, int r, int kFrom, int kTo, int o0, int o1) {
    float[] c0 = c[r];
    float[] a0 = a[r];
    float[] c1 = c[r + 1];
    float[] a1 = a[r + 1];
    float[] c2 = c[r + 2];
    float[] a2 = a[r + 2];
    float[] c3 = c[r + 3];
    float[] a3 = a[r + 3];
    FloatVector s00 = FloatVector.fromArray(F, c0, o0);
    FloatVector s01 = FloatVector.fromArray(F, c0, o1);
    FloatVector s10 = FloatVector.fromArray(F, c1, o0);
    FloatVector s11 = FloatVector.fromArray(F, c1, o1);
    FloatVector s20 = FloatVector.fromArray(F, c2, o0);
    FloatVector s21 = FloatVector.fromArray(F, c2, o1);
    FloatVector s30 = FloatVector.fromArray(F, c3, o0);
    FloatVector s31 = FloatVector.fromArray(F, c3, o1);
    for (int k = kFrom; k < kTo; k++) {
      float[] bk = b[k];
      FloatVector x0 = FloatVector.broadcast(F, a0[k]);
      FloatVector x1 = FloatVector.broadcast(F, a1[k]);
      FloatVector x2 = FloatVector.broadcast(F, a2[k]);
      FloatVector x3 = FloatVector.broadcast(F, a3[k]);
      FloatVector b0 = FloatVector.fromArray(F, bk, o0);
      s00 = b0.fma(x0, s00);
      s10 = b0.fma(x1, s10);
      s20 = b0.fma(x2, s20);
      s30 = b0.fma(x3, s30);
      FloatVector b1 = FloatVector.fromArray(F, bk, o1);
      s01 = b1.fma(x0, s01);
      s11 = b1.fma(x1, s11);
      s21 = b1.fma(x2, s21);
      s31 = b1.fma(x3, s31);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s20.intoArray(c2, o0);
    s21.intoArray(c2, o1);
    s30.intoArray(c3, o0);
    s31.intoArray(c3, o1);
  }

  /** c[r..r+2)[o..o+lanes) += a[r..r+2)[k]·b[k][o..o+lanes) for the 4 offsets o, k in [kFrom, kTo). */
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

  /** c[r..r+2)[o..o+lanes) += a[r..r+2)[k]·b[k][o..o+lanes) for the 3 offsets o, k in [kFrom, kTo). */
  private static void rows2x3(
      float[][] c, float[][] a, float[][] b, int r, int kFrom, int kTo, int o0, int o1, int o2) {
    float[] c0 = c[r];
    float[] a0 = a[r];
    float[] c1 = c[r + 1];
    float[] a1 = a[r + 1];
    FloatVector s00 = FloatVector.fromArray(F, c0, o0);
    FloatVector s01 = FloatVector.fromArray(F, c0, o1);
    FloatVector s02 = FloatVector.fromArray(F, c0, o2);
    FloatVector s10 = FloatVector.fromArray(F, c1, o0);
    FloatVector s11 = FloatVector.fromArray(F, c1, o1);
    FloatVector s12 = FloatVector.fromArray(F, c1, o2);
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
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s12.intoArray(c1, o2);
  }

  /** c[r..r+2)[o..o+lanes) += a[r..r+2)[k]·b[k][o..o+lanes) for the 2 offsets o, k in [kFrom, kTo). */
  private static void rows2x2(
      float[][] c, float[][] a, float[][] b, int r, int kFrom, int kTo, int o0, int o1) {
    float[] c0 = c[r];
    float[] a0 = a[r];
    float[] c1 = c[r + 1];
    float[] a1 = a[r + 1];
    FloatVector s00 = FloatVector.fromArray(F, c0, o0);
    FloatVector s01 = FloatVector.fromArray(F, c0, o1);
    FloatVector s10 = FloatVector.fromArray(F, c1, o0);
    FloatVector s11 = FloatVector.fromArray(F, c1, o1);
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
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
  }

  /** c[r..r+1)[o..o+lanes) += a[r..r+1)[k]·b[k][o..o+lanes) for the 4 offsets o, k in [kFrom, kTo). */
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

  /** c[r..r+1)[o..o+lanes) += a[r..r+1)[k]·b[k][o..o+lanes) for the 3 offsets o, k in [kFrom, kTo). */
  private static void rows1x3(
      float[][] c, float[][] a, float[][] b, int r, int kFrom, int kTo, int o0, int o1, int o2) {
    float[] c0 = c[r];
    float[] a0 = a[r];
    FloatVector s00 = FloatVector.fromArray(F, c0, o0);
    FloatVector s01 = FloatVector.fromArray(F, c0, o1);
    FloatVector s02 = FloatVector.fromArray(F, c0, o2);
    for (int k = kFrom; k < kTo; k++) {
      float[] bk = b[k];
      FloatVector x0 = FloatVector.broadcast(F, a0[k]);
      FloatVector b0 = FloatVector.fromArray(F, bk, o0);
      s00 = b0.fma(x0, s00);
      FloatVector b1 = FloatVector.fromArray(F, bk, o1);
      s01 = b1.fma(x0, s01);
      FloatVector b2 = FloatVector.fromArray(F, bk, o2);
      s02 = b2.fma(x0, s02);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
  }

  /** c[r..r+1)[o..o+lanes) += a[r..r+1)[k]·b[k][o..o+lanes) for the 2 offsets o, k in [kFrom, kTo). */
  private static void rows1x2(
      float[][] c, float[][] a, float[][] b, int r, int kFrom, int kTo, int o0, int o1) {
    float[] c0 = c[r];
    float[] a0 = a[r];
    FloatVector s00 = FloatVector.fromArray(F, c0, o0);
    FloatVector s01 = FloatVector.fromArray(F, c0, o1);
    for (int k = kFrom; k < kTo; k++) {
      float[] bk = b[k];
      FloatVector x0 = FloatVector.broadcast(F, a0[k]);
      FloatVector b0 = FloatVector.fromArray(F, bk, o0);
      s00 = b0.fma(x0, s00);
      FloatVector b1 = FloatVector.fromArray(F, bk, o1);
      s01 = b1.fma(x0, s01);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
  }

  @Override
  public void matmulColumns(float[][] c, float[][] a, float[][] b, int iFrom, int iTo, int kFrom, int kTo, int n) {
    int lanes = F.length();
    if (n < lanes) {
      JavaKernels.matmulColumnsPlain(c, a, b, iFrom, iTo, kFrom, kTo, n);
      return;
    }
    if (kFrom >= kTo) {
      for (int i = iFrom; i < iTo; i++) {
        Arrays.fill(c[i], 0, n, 0f);
      }
      return;
    }
    int vectors = (n + lanes - 1) / lanes;
    // ⌈v/4⌉ groups of vectors, the first (v mod groups) one vector wider than the rest
    int groups = (vectors + 3) / 4;
    int base = vectors / groups;
    int wider = vectors % groups;
    int slice = slice(n, 4);
    for (int k0 = kFrom; k0 < kTo; k0 += slice) {
      int k1 = Math.min(k0 + slice, kTo);
      // c is written, not added to: the first slice starts from zeros, not from c
      boolean first = k0 == kFrom;
      int i = iFrom;
      for (; i + 4 <= iTo; i += 4) {
        int t = 0;
        for (int g = 0; g < groups; g++) {
          int size = g < wider ? base + 1 : base;
          int o0 = offset(t, vectors, lanes, n);
          // a row of one vector is a group of two, the same offset twice (the same sums)
          int o1 = size > 1 ? offset(t + 1, vectors, lanes, n) : o0;
          int o2 = size > 2 ? offset(t + 2, vectors, lanes, n) : o1;
          int o3 = size > 3 ? offset(t + 3, vectors, lanes, n) : o2;
          if (size == 4) {
            if (first) {
              columnsFirst4x4(c, a, b, i, k0, k1, o0, o1, o2, o3);
            } else {
              columns4x4(c, a, b, i, k0, k1, o0, o1, o2, o3);
            }
          } else if (size == 3) {
            if (first) {
              columnsFirst4x3(c, a, b, i, k0, k1, o0, o1, o2);
            } else {
              columns4x3(c, a, b, i, k0, k1, o0, o1, o2);
            }
          } else {
            if (first) {
              columnsFirst4x2(c, a, b, i, k0, k1, o0, o1);
            } else {
              columns4x2(c, a, b, i, k0, k1, o0, o1);
            }
          }
          t += size;
        }
      }
      if (i + 2 <= iTo) {
        int t = 0;
        for (int g = 0; g < groups; g++) {
          int size = g < wider ? base + 1 : base;
          int o0 = offset(t, vectors, lanes, n);
          // a row of one vector is a group of two, the same offset twice (the same sums)
          int o1 = size > 1 ? offset(t + 1, vectors, lanes, n) : o0;
          int o2 = size > 2 ? offset(t + 2, vectors, lanes, n) : o1;
          int o3 = size > 3 ? offset(t + 3, vectors, lanes, n) : o2;
          if (size == 4) {
            if (first) {
              columnsFirst2x4(c, a, b, i, k0, k1, o0, o1, o2, o3);
            } else {
              columns2x4(c, a, b, i, k0, k1, o0, o1, o2, o3);
            }
          } else if (size == 3) {
            if (first) {
              columnsFirst2x3(c, a, b, i, k0, k1, o0, o1, o2);
            } else {
              columns2x3(c, a, b, i, k0, k1, o0, o1, o2);
            }
          } else {
            if (first) {
              columnsFirst2x2(c, a, b, i, k0, k1, o0, o1);
            } else {
              columns2x2(c, a, b, i, k0, k1, o0, o1);
            }
          }
          t += size;
        }
        i += 2;
      }
      if (i < iTo) {
        int t = 0;
        for (int g = 0; g < groups; g++) {
          int size = g < wider ? base + 1 : base;
          int o0 = offset(t, vectors, lanes, n);
          // a row of one vector is a group of two, the same offset twice (the same sums)
          int o1 = size > 1 ? offset(t + 1, vectors, lanes, n) : o0;
          int o2 = size > 2 ? offset(t + 2, vectors, lanes, n) : o1;
          int o3 = size > 3 ? offset(t + 3, vectors, lanes, n) : o2;
          if (size == 4) {
            if (first) {
              columnsFirst1x4(c, a, b, i, k0, k1, o0, o1, o2, o3);
            } else {
              columns1x4(c, a, b, i, k0, k1, o0, o1, o2, o3);
            }
          } else if (size == 3) {
            if (first) {
              columnsFirst1x3(c, a, b, i, k0, k1, o0, o1, o2);
            } else {
              columns1x3(c, a, b, i, k0, k1, o0, o1, o2);
            }
          } else {
            if (first) {
              columnsFirst1x2(c, a, b, i, k0, k1, o0, o1);
            } else {
              columns1x2(c, a, b, i, k0, k1, o0, o1);
            }
          }
          t += size;
        }
      }
    }
  }

  /** c[i..i+4)[o..o+lanes) += a[k][i..i+4)·b[k][o..o+lanes) for the 4 offsets o, k in [kFrom, kTo). */
  private static void columns4x4(
      float[][] c, float[][] a, float[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2, int o3) {
    float[] c0 = c[i];
    float[] c1 = c[i + 1];
    float[] c2 = c[i + 2];
    float[] c3 = c[i + 3];
    FloatVector s00 = FloatVector.fromArray(F, c0, o0);
    FloatVector s01 = FloatVector.fromArray(F, c0, o1);
    FloatVector s02 = FloatVector.fromArray(F, c0, o2);
    FloatVector s03 = FloatVector.fromArray(F, c0, o3);
    FloatVector s10 = FloatVector.fromArray(F, c1, o0);
    FloatVector s11 = FloatVector.fromArray(F, c1, o1);
    FloatVector s12 = FloatVector.fromArray(F, c1, o2);
    FloatVector s13 = FloatVector.fromArray(F, c1, o3);
    FloatVector s20 = FloatVector.fromArray(F, c2, o0);
    FloatVector s21 = FloatVector.fromArray(F, c2, o1);
    FloatVector s22 = FloatVector.fromArray(F, c2, o2);
    FloatVector s23 = FloatVector.fromArray(F, c2, o3);
    FloatVector s30 = FloatVector.fromArray(F, c3, o0);
    FloatVector s31 = FloatVector.fromArray(F, c3, o1);
    FloatVector s32 = FloatVector.fromArray(F, c3, o2);
    FloatVector s33 = FloatVector.fromArray(F, c3, o3);
    for (int k = kFrom; k < kTo; k++) {
      float[] bk = b[k];
      float[] ak = a[k];
      FloatVector x0 = FloatVector.broadcast(F, ak[i]);
      FloatVector x1 = FloatVector.broadcast(F, ak[i + 1]);
      FloatVector x2 = FloatVector.broadcast(F, ak[i + 2]);
      FloatVector x3 = FloatVector.broadcast(F, ak[i + 3]);
      FloatVector b0 = FloatVector.fromArray(F, bk, o0);
      s00 = b0.fma(x0, s00);
      s10 = b0.fma(x1, s10);
      s20 = b0.fma(x2, s20);
      s30 = b0.fma(x3, s30);
      FloatVector b1 = FloatVector.fromArray(F, bk, o1);
      s01 = b1.fma(x0, s01);
      s11 = b1.fma(x1, s11);
      s21 = b1.fma(x2, s21);
      s31 = b1.fma(x3, s31);
      FloatVector b2 = FloatVector.fromArray(F, bk, o2);
      s02 = b2.fma(x0, s02);
      s12 = b2.fma(x1, s12);
      s22 = b2.fma(x2, s22);
      s32 = b2.fma(x3, s32);
      FloatVector b3 = FloatVector.fromArray(F, bk, o3);
      s03 = b3.fma(x0, s03);
      s13 = b3.fma(x1, s13);
      s23 = b3.fma(x2, s23);
      s33 = b3.fma(x3, s33);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s03.intoArray(c0, o3);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s12.intoArray(c1, o2);
    s13.intoArray(c1, o3);
    s20.intoArray(c2, o0);
    s21.intoArray(c2, o1);
    s22.intoArray(c2, o2);
    s23.intoArray(c2, o3);
    s30.intoArray(c3, o0);
    s31.intoArray(c3, o1);
    s32.intoArray(c3, o2);
    s33.intoArray(c3, o3);
  }

  /** c[i..i+4)[o..o+lanes) = Σ_k a[k][i..i+4)·b[k][o..o+lanes) for the 4 offsets o, k in [kFrom, kTo). */
  private static void columnsFirst4x4(
      float[][] c, float[][] a, float[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2, int o3) {
    float[] c0 = c[i];
    float[] c1 = c[i + 1];
    float[] c2 = c[i + 2];
    float[] c3 = c[i + 3];
    FloatVector s00 = FloatVector.zero(F);
    FloatVector s01 = FloatVector.zero(F);
    FloatVector s02 = FloatVector.zero(F);
    FloatVector s03 = FloatVector.zero(F);
    FloatVector s10 = FloatVector.zero(F);
    FloatVector s11 = FloatVector.zero(F);
    FloatVector s12 = FloatVector.zero(F);
    FloatVector s13 = FloatVector.zero(F);
    FloatVector s20 = FloatVector.zero(F);
    FloatVector s21 = FloatVector.zero(F);
    FloatVector s22 = FloatVector.zero(F);
    FloatVector s23 = FloatVector.zero(F);
    FloatVector s30 = FloatVector.zero(F);
    FloatVector s31 = FloatVector.zero(F);
    FloatVector s32 = FloatVector.zero(F);
    FloatVector s33 = FloatVector.zero(F);
    for (int k = kFrom; k < kTo; k++) {
      float[] bk = b[k];
      float[] ak = a[k];
      FloatVector x0 = FloatVector.broadcast(F, ak[i]);
      FloatVector x1 = FloatVector.broadcast(F, ak[i + 1]);
      FloatVector x2 = FloatVector.broadcast(F, ak[i + 2]);
      FloatVector x3 = FloatVector.broadcast(F, ak[i + 3]);
      FloatVector b0 = FloatVector.fromArray(F, bk, o0);
      s00 = b0.fma(x0, s00);
      s10 = b0.fma(x1, s10);
      s20 = b0.fma(x2, s20);
      s30 = b0.fma(x3, s30);
      FloatVector b1 = FloatVector.fromArray(F, bk, o1);
      s01 = b1.fma(x0, s01);
      s11 = b1.fma(x1, s11);
      s21 = b1.fma(x2, s21);
      s31 = b1.fma(x3, s31);
      FloatVector b2 = FloatVector.fromArray(F, bk, o2);
      s02 = b2.fma(x0, s02);
      s12 = b2.fma(x1, s12);
      s22 = b2.fma(x2, s22);
      s32 = b2.fma(x3, s32);
      FloatVector b3 = FloatVector.fromArray(F, bk, o3);
      s03 = b3.fma(x0, s03);
      s13 = b3.fma(x1, s13);
      s23 = b3.fma(x2, s23);
      s33 = b3.fma(x3, s33);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s03.intoArray(c0, o3);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s12.intoArray(c1, o2);
    s13.intoArray(c1, o3);
    s20.intoArray(c2, o0);
    s21.intoArray(c2, o1);
    s22.intoArray(c2, o2);
    s23.intoArray(c2, o3);
    s30.intoArray(c3, o0);
    s31.intoArray(c3, o1);
    s32.intoArray(c3, o2);
    s33.intoArray(c3, o3);
  }

  /** c[i..i+4)[o..o+lanes) += a[k][i..i+4)·b[k][o..o+lanes) for the 3 offsets o, k in [kFrom, kTo). */
  private static void columns4x3(
      float[][] c, float[][] a, float[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2) {
    float[] c0 = c[i];
    float[] c1 = c[i + 1];
    float[] c2 = c[i + 2];
    float[] c3 = c[i + 3];
    FloatVector s00 = FloatVector.fromArray(F, c0, o0);
    FloatVector s01 = FloatVector.fromArray(F, c0, o1);
    FloatVector s02 = FloatVector.fromArray(F, c0, o2);
    FloatVector s10 = FloatVector.fromArray(F, c1, o0);
    FloatVector s11 = FloatVector.fromArray(F, c1, o1);
    FloatVector s12 = FloatVector.fromArray(F, c1, o2);
    FloatVector s20 = FloatVector.fromArray(F, c2, o0);
    FloatVector s21 = FloatVector.fromArray(F, c2, o1);
    FloatVector s22 = FloatVector.fromArray(F, c2, o2);
    FloatVector s30 = FloatVector.fromArray(F, c3, o0);
    FloatVector s31 = FloatVector.fromArray(F, c3, o1);
    FloatVector s32 = FloatVector.fromArray(F, c3, o2);
    for (int k = kFrom; k < kTo; k++) {
      float[] bk = b[k];
      float[] ak = a[k];
      FloatVector x0 = FloatVector.broadcast(F, ak[i]);
      FloatVector x1 = FloatVector.broadcast(F, ak[i + 1]);
      FloatVector x2 = FloatVector.broadcast(F, ak[i + 2]);
      FloatVector x3 = FloatVector.broadcast(F, ak[i + 3]);
      FloatVector b0 = FloatVector.fromArray(F, bk, o0);
      s00 = b0.fma(x0, s00);
      s10 = b0.fma(x1, s10);
      s20 = b0.fma(x2, s20);
      s30 = b0.fma(x3, s30);
      FloatVector b1 = FloatVector.fromArray(F, bk, o1);
      s01 = b1.fma(x0, s01);
      s11 = b1.fma(x1, s11);
      s21 = b1.fma(x2, s21);
      s31 = b1.fma(x3, s31);
      FloatVector b2 = FloatVector.fromArray(F, bk, o2);
      s02 = b2.fma(x0, s02);
      s12 = b2.fma(x1, s12);
      s22 = b2.fma(x2, s22);
      s32 = b2.fma(x3, s32);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s12.intoArray(c1, o2);
    s20.intoArray(c2, o0);
    s21.intoArray(c2, o1);
    s22.intoArray(c2, o2);
    s30.intoArray(c3, o0);
    s31.intoArray(c3, o1);
    s32.intoArray(c3, o2);
  }

  /** c[i..i+4)[o..o+lanes) = Σ_k a[k][i..i+4)·b[k][o..o+lanes) for the 3 offsets o, k in [kFrom, kTo). */
  private static void columnsFirst4x3(
      float[][] c, float[][] a, float[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2) {
    float[] c0 = c[i];
    float[] c1 = c[i + 1];
    float[] c2 = c[i + 2];
    float[] c3 = c[i + 3];
    FloatVector s00 = FloatVector.zero(F);
    FloatVector s01 = FloatVector.zero(F);
    FloatVector s02 = FloatVector.zero(F);
    FloatVector s10 = FloatVector.zero(F);
    FloatVector s11 = FloatVector.zero(F);
    FloatVector s12 = FloatVector.zero(F);
    FloatVector s20 = FloatVector.zero(F);
    FloatVector s21 = FloatVector.zero(F);
    FloatVector s22 = FloatVector.zero(F);
    FloatVector s30 = FloatVector.zero(F);
    FloatVector s31 = FloatVector.zero(F);
    FloatVector s32 = FloatVector.zero(F);
    for (int k = kFrom; k < kTo; k++) {
      float[] bk = b[k];
      float[] ak = a[k];
      FloatVector x0 = FloatVector.broadcast(F, ak[i]);
      FloatVector x1 = FloatVector.broadcast(F, ak[i + 1]);
      FloatVector x2 = FloatVector.broadcast(F, ak[i + 2]);
      FloatVector x3 = FloatVector.broadcast(F, ak[i + 3]);
      FloatVector b0 = FloatVector.fromArray(F, bk, o0);
      s00 = b0.fma(x0, s00);
      s10 = b0.fma(x1, s10);
      s20 = b0.fma(x2, s20);
      s30 = b0.fma(x3, s30);
      FloatVector b1 = FloatVector.fromArray(F, bk, o1);
      s01 = b1.fma(x0, s01);
      s11 = b1.fma(x1, s11);
      s21 = b1.fma(x2, s21);
      s31 = b1.fma(x3, s31);
      FloatVector b2 = FloatVector.fromArray(F, bk, o2);
      s02 = b2.fma(x0, s02);
      s12 = b2.fma(x1, s12);
      s22 = b2.fma(x2, s22);
      s32 = b2.fma(x3, s32);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s12.intoArray(c1, o2);
    s20.intoArray(c2, o0);
    s21.intoArray(c2, o1);
    s22.intoArray(c2, o2);
    s30.intoArray(c3, o0);
    s31.intoArray(c3, o1);
    s32.intoArray(c3, o2);
  }

  /** c[i..i+4)[o..o+lanes) += a[k][i..i+4)·b[k][o..o+lanes) for the 2 offsets o, k in [kFrom, kTo). */
  private static void columns4x2(
      float[][] c, float[][] a, float[][] b, int i, int kFrom, int kTo, int o0, int o1) {
    float[] c0 = c[i];
    float[] c1 = c[i + 1];
    float[] c2 = c[i + 2];
    float[] c3 = c[i + 3];
    FloatVector s00 = FloatVector.fromArray(F, c0, o0);
    FloatVector s01 = FloatVector.fromArray(F, c0, o1);
    FloatVector s10 = FloatVector.fromArray(F, c1, o0);
    FloatVector s11 = FloatVector.fromArray(F, c1, o1);
    FloatVector s20 = FloatVector.fromArray(F, c2, o0);
    FloatVector s21 = FloatVector.fromArray(F, c2, o1);
    FloatVector s30 = FloatVector.fromArray(F, c3, o0);
    FloatVector s31 = FloatVector.fromArray(F, c3, o1);
    for (int k = kFrom; k < kTo; k++) {
      float[] bk = b[k];
      float[] ak = a[k];
      FloatVector x0 = FloatVector.broadcast(F, ak[i]);
      FloatVector x1 = FloatVector.broadcast(F, ak[i + 1]);
      FloatVector x2 = FloatVector.broadcast(F, ak[i + 2]);
      FloatVector x3 = FloatVector.broadcast(F, ak[i + 3]);
      FloatVector b0 = FloatVector.fromArray(F, bk, o0);
      s00 = b0.fma(x0, s00);
      s10 = b0.fma(x1, s10);
      s20 = b0.fma(x2, s20);
      s30 = b0.fma(x3, s30);
      FloatVector b1 = FloatVector.fromArray(F, bk, o1);
      s01 = b1.fma(x0, s01);
      s11 = b1.fma(x1, s11);
      s21 = b1.fma(x2, s21);
      s31 = b1.fma(x3, s31);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s20.intoArray(c2, o0);
    s21.intoArray(c2, o1);
    s30.intoArray(c3, o0);
    s31.intoArray(c3, o1);
  }

  /** c[i..i+4)[o..o+lanes) = Σ_k a[k][i..i+4)·b[k][o..o+lanes) for the 2 offsets o, k in [kFrom, kTo). */
  private static void columnsFirst4x2(
      float[][] c, float[][] a, float[][] b, int i, int kFrom, int kTo, int o0, int o1) {
    float[] c0 = c[i];
    float[] c1 = c[i + 1];
    float[] c2 = c[i + 2];
    float[] c3 = c[i + 3];
    FloatVector s00 = FloatVector.zero(F);
    FloatVector s01 = FloatVector.zero(F);
    FloatVector s10 = FloatVector.zero(F);
    FloatVector s11 = FloatVector.zero(F);
    FloatVector s20 = FloatVector.zero(F);
    FloatVector s21 = FloatVector.zero(F);
    FloatVector s30 = FloatVector.zero(F);
    FloatVector s31 = FloatVector.zero(F);
    for (int k = kFrom; k < kTo; k++) {
      float[] bk = b[k];
      float[] ak = a[k];
      FloatVector x0 = FloatVector.broadcast(F, ak[i]);
      FloatVector x1 = FloatVector.broadcast(F, ak[i + 1]);
      FloatVector x2 = FloatVector.broadcast(F, ak[i + 2]);
      FloatVector x3 = FloatVector.broadcast(F, ak[i + 3]);
      FloatVector b0 = FloatVector.fromArray(F, bk, o0);
      s00 = b0.fma(x0, s00);
      s10 = b0.fma(x1, s10);
      s20 = b0.fma(x2, s20);
      s30 = b0.fma(x3, s30);
      FloatVector b1 = FloatVector.fromArray(F, bk, o1);
      s01 = b1.fma(x0, s01);
      s11 = b1.fma(x1, s11);
      s21 = b1.fma(x2, s21);
      s31 = b1.fma(x3, s31);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s20.intoArray(c2, o0);
    s21.intoArray(c2, o1);
    s30.intoArray(c3, o0);
    s31.intoArray(c3, o1);
  }

  /** c[i..i+2)[o..o+lanes) += a[k][i..i+2)·b[k][o..o+lanes) for the 4 offsets o, k in [kFrom, kTo). */
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

  /** c[i..i+2)[o..o+lanes) = Σ_k a[k][i..i+2)·b[k][o..o+lanes) for the 4 offsets o, k in [kFrom, kTo). */
  private static void columnsFirst2x4(
      float[][] c, float[][] a, float[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2, int o3) {
    float[] c0 = c[i];
    float[] c1 = c[i + 1];
    FloatVector s00 = FloatVector.zero(F);
    FloatVector s01 = FloatVector.zero(F);
    FloatVector s02 = FloatVector.zero(F);
    FloatVector s03 = FloatVector.zero(F);
    FloatVector s10 = FloatVector.zero(F);
    FloatVector s11 = FloatVector.zero(F);
    FloatVector s12 = FloatVector.zero(F);
    FloatVector s13 = FloatVector.zero(F);
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

  /** c[i..i+2)[o..o+lanes) += a[k][i..i+2)·b[k][o..o+lanes) for the 3 offsets o, k in [kFrom, kTo). */
  private static void columns2x3(
      float[][] c, float[][] a, float[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2) {
    float[] c0 = c[i];
    float[] c1 = c[i + 1];
    FloatVector s00 = FloatVector.fromArray(F, c0, o0);
    FloatVector s01 = FloatVector.fromArray(F, c0, o1);
    FloatVector s02 = FloatVector.fromArray(F, c0, o2);
    FloatVector s10 = FloatVector.fromArray(F, c1, o0);
    FloatVector s11 = FloatVector.fromArray(F, c1, o1);
    FloatVector s12 = FloatVector.fromArray(F, c1, o2);
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
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s12.intoArray(c1, o2);
  }

  /** c[i..i+2)[o..o+lanes) = Σ_k a[k][i..i+2)·b[k][o..o+lanes) for the 3 offsets o, k in [kFrom, kTo). */
  private static void columnsFirst2x3(
      float[][] c, float[][] a, float[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2) {
    float[] c0 = c[i];
    float[] c1 = c[i + 1];
    FloatVector s00 = FloatVector.zero(F);
    FloatVector s01 = FloatVector.zero(F);
    FloatVector s02 = FloatVector.zero(F);
    FloatVector s10 = FloatVector.zero(F);
    FloatVector s11 = FloatVector.zero(F);
    FloatVector s12 = FloatVector.zero(F);
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
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
    s12.intoArray(c1, o2);
  }

  /** c[i..i+2)[o..o+lanes) += a[k][i..i+2)·b[k][o..o+lanes) for the 2 offsets o, k in [kFrom, kTo). */
  private static void columns2x2(
      float[][] c, float[][] a, float[][] b, int i, int kFrom, int kTo, int o0, int o1) {
    float[] c0 = c[i];
    float[] c1 = c[i + 1];
    FloatVector s00 = FloatVector.fromArray(F, c0, o0);
    FloatVector s01 = FloatVector.fromArray(F, c0, o1);
    FloatVector s10 = FloatVector.fromArray(F, c1, o0);
    FloatVector s11 = FloatVector.fromArray(F, c1, o1);
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
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
  }

  /** c[i..i+2)[o..o+lanes) = Σ_k a[k][i..i+2)·b[k][o..o+lanes) for the 2 offsets o, k in [kFrom, kTo). */
  private static void columnsFirst2x2(
      float[][] c, float[][] a, float[][] b, int i, int kFrom, int kTo, int o0, int o1) {
    float[] c0 = c[i];
    float[] c1 = c[i + 1];
    FloatVector s00 = FloatVector.zero(F);
    FloatVector s01 = FloatVector.zero(F);
    FloatVector s10 = FloatVector.zero(F);
    FloatVector s11 = FloatVector.zero(F);
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
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s10.intoArray(c1, o0);
    s11.intoArray(c1, o1);
  }

  /** c[i..i+1)[o..o+lanes) += a[k][i..i+1)·b[k][o..o+lanes) for the 4 offsets o, k in [kFrom, kTo). */
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

  /** c[i..i+1)[o..o+lanes) = Σ_k a[k][i..i+1)·b[k][o..o+lanes) for the 4 offsets o, k in [kFrom, kTo). */
  private static void columnsFirst1x4(
      float[][] c, float[][] a, float[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2, int o3) {
    float[] c0 = c[i];
    FloatVector s00 = FloatVector.zero(F);
    FloatVector s01 = FloatVector.zero(F);
    FloatVector s02 = FloatVector.zero(F);
    FloatVector s03 = FloatVector.zero(F);
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

  /** c[i..i+1)[o..o+lanes) += a[k][i..i+1)·b[k][o..o+lanes) for the 3 offsets o, k in [kFrom, kTo). */
  private static void columns1x3(
      float[][] c, float[][] a, float[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2) {
    float[] c0 = c[i];
    FloatVector s00 = FloatVector.fromArray(F, c0, o0);
    FloatVector s01 = FloatVector.fromArray(F, c0, o1);
    FloatVector s02 = FloatVector.fromArray(F, c0, o2);
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
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
  }

  /** c[i..i+1)[o..o+lanes) = Σ_k a[k][i..i+1)·b[k][o..o+lanes) for the 3 offsets o, k in [kFrom, kTo). */
  private static void columnsFirst1x3(
      float[][] c, float[][] a, float[][] b, int i, int kFrom, int kTo, int o0, int o1, int o2) {
    float[] c0 = c[i];
    FloatVector s00 = FloatVector.zero(F);
    FloatVector s01 = FloatVector.zero(F);
    FloatVector s02 = FloatVector.zero(F);
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
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
    s02.intoArray(c0, o2);
  }

  /** c[i..i+1)[o..o+lanes) += a[k][i..i+1)·b[k][o..o+lanes) for the 2 offsets o, k in [kFrom, kTo). */
  private static void columns1x2(
      float[][] c, float[][] a, float[][] b, int i, int kFrom, int kTo, int o0, int o1) {
    float[] c0 = c[i];
    FloatVector s00 = FloatVector.fromArray(F, c0, o0);
    FloatVector s01 = FloatVector.fromArray(F, c0, o1);
    for (int k = kFrom; k < kTo; k++) {
      float[] bk = b[k];
      float[] ak = a[k];
      FloatVector x0 = FloatVector.broadcast(F, ak[i]);
      FloatVector b0 = FloatVector.fromArray(F, bk, o0);
      s00 = b0.fma(x0, s00);
      FloatVector b1 = FloatVector.fromArray(F, bk, o1);
      s01 = b1.fma(x0, s01);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
  }

  /** c[i..i+1)[o..o+lanes) = Σ_k a[k][i..i+1)·b[k][o..o+lanes) for the 2 offsets o, k in [kFrom, kTo). */
  private static void columnsFirst1x2(
      float[][] c, float[][] a, float[][] b, int i, int kFrom, int kTo, int o0, int o1) {
    float[] c0 = c[i];
    FloatVector s00 = FloatVector.zero(F);
    FloatVector s01 = FloatVector.zero(F);
    for (int k = kFrom; k < kTo; k++) {
      float[] bk = b[k];
      float[] ak = a[k];
      FloatVector x0 = FloatVector.broadcast(F, ak[i]);
      FloatVector b0 = FloatVector.fromArray(F, bk, o0);
      s00 = b0.fma(x0, s00);
      FloatVector b1 = FloatVector.fromArray(F, bk, o1);
      s01 = b1.fma(x0, s01);
    }
    s00.intoArray(c0, o0);
    s01.intoArray(c0, o1);
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
