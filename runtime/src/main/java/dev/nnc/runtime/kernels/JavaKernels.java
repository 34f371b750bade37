package dev.nnc.runtime.kernels;

import dev.nnc.runtime.NncMath;
import java.util.Arrays;

/**
 * The kernels in plain Java, as generated classes had them inline before: the rows of {@code b}
 * four at a time ({@code axpy4}, which quarters the loads and stores of {@code c}), each pass a
 * loop along the row that C2 vectorises (the axpy form is the only form of a matrix product it
 * vectorises; a dot product is a reduction it must keep in order). k is taken in slices whose rows
 * of {@code b} fit in 16 KB, half of a small L1 data cache, so that every row of {@code c} reuses
 * them from L1 ({@link #rowsFittingL1}); a slice boundary changes no result (the sum is stored and
 * read back, and k still ascends).
 */
public final class JavaKernels implements Kernels {
  /**
   * How many {@code width}-wide rows of {@code bytes}-byte numbers fit in 16 KB, as a multiple of
   * 4, at least 4.
   */
  static int rowsFittingL1(int width, int bytes) {
    int rows = 16 * 1024 / Math.max(1, width * bytes);
    return Math.max(4, rows / 4 * 4);
  }

  @Override
  public void exp(double[] x, double[] y, int n) {
    for (int j = 0; j < n; j++) {
      y[j] = NncMath.exp(x[j]);
    }
  }

  @Override
  public void log1p(double[] x, double[] y, int n) {
    for (int j = 0; j < n; j++) {
      y[j] = NncMath.log1p(x[j]);
    }
  }

  @Override
  public void sigmoid(double[] z, double[] a, int n) {
    for (int j = 0; j < n; j++) {
      a[j] = 1.0 / (1.0 + NncMath.exp(-z[j]));
    }
  }

  @Override
  public void sigmoid(double[][] z, double[][] a, int from, int to, int n) {
    for (int r = from; r < to; r++) {
      sigmoid(z[r], a[r], n);
    }
  }

  @Override
  public void sigmoid(float[] z, float[] a, int n) {
    for (int j = 0; j < n; j++) {
      a[j] = 1.0f / (1.0f + (float) NncMath.exp(-z[j]));
    }
  }

  @Override
  public void sigmoid(float[][] z, float[][] a, int from, int to, int n) {
    for (int r = from; r < to; r++) {
      sigmoid(z[r], a[r], n);
    }
  }

  @Override
  public void softplus(double[][] z, double[][] y, int from, int to, int n) {
    for (int r = from; r < to; r++) {
      double[] zr = z[r];
      double[] yr = y[r];
      for (int j = 0; j < n; j++) {
        double v = zr[j];
        yr[j] = Math.max(v, 0.0) + NncMath.log1p(NncMath.exp(-Math.abs(v)));
      }
    }
  }

  @Override
  public void softplus(float[][] z, double[][] y, int from, int to, int n) {
    for (int r = from; r < to; r++) {
      float[] zr = z[r];
      double[] yr = y[r];
      for (int j = 0; j < n; j++) {
        double v = zr[j];
        yr[j] = Math.max(v, 0.0) + NncMath.log1p(NncMath.exp(-Math.abs(v)));
      }
    }
  }

  @Override
  public void matmulRows(
      double[][] c, double[][] a, double[][] b, int rFrom, int rTo, int kFrom, int kTo, int n) {
    matmulRowsPlain(c, a, b, rFrom, rTo, kFrom, kTo, n);
  }

  /** Reads b itself: plain loops have no use for a panel. */
  @Override
  public void matmulRowsPanel(
      double[][] c,
      double[][] a,
      double[][] b,
      double[] p,
      int rFrom,
      int rTo,
      int kFrom,
      int kTo,
      int n) {
    matmulRowsPlain(c, a, b, rFrom, rTo, kFrom, kTo, n);
  }

  /** Empty: {@link #matmulRowsPanel} reads b. */
  @Override
  public double[] newPanel(double[][] b) {
    return new double[0];
  }

  @Override
  public void packRow(double[][] b, int k, double[] p) {}

  static void matmulRowsPlain(
      double[][] c, double[][] a, double[][] b, int rFrom, int rTo, int kFrom, int kTo, int n) {
    int slice = rowsFittingL1(n, 8);
    for (int k0 = kFrom; k0 < kTo; k0 += slice) {
      int k1 = Math.min(k0 + slice, kTo);
      for (int r = rFrom; r < rTo; r++) {
        double[] cr = c[r];
        double[] ar = a[r];
        int k = k0;
        for (; k + 4 <= k1; k += 4) {
          axpy4(cr, ar[k], b[k], ar[k + 1], b[k + 1], ar[k + 2], b[k + 2], ar[k + 3], b[k + 3], n);
        }
        for (; k < k1; k++) {
          axpy1(cr, ar[k], b[k], n);
        }
      }
    }
  }

  @Override
  public void matmulColumns(
      double[][] c, double[][] a, double[][] b, int iFrom, int iTo, int kFrom, int kTo, int n) {
    matmulColumnsPlain(c, a, b, iFrom, iTo, kFrom, kTo, n, false);
  }

  @Override
  public void matmulColumnsAdd(
      double[][] c, double[][] a, double[][] b, int iFrom, int iTo, int kFrom, int kTo, int n) {
    matmulColumnsPlain(c, a, b, iFrom, iTo, kFrom, kTo, n, true);
  }

  /** matmulColumns, or with {@code add} matmulColumnsAdd (c's chains continued, not restarted). */
  static void matmulColumnsPlain(
      double[][] c,
      double[][] a,
      double[][] b,
      int iFrom,
      int iTo,
      int kFrom,
      int kTo,
      int n,
      boolean add) {
    if (kFrom >= kTo) {
      if (!add) {
        for (int i = iFrom; i < iTo; i++) {
          Arrays.fill(c[i], 0, n, 0.0);
        }
      }
      return;
    }
    int block = rowsFittingL1(n, 8);
    for (int k0 = kFrom; k0 < kTo; k0 += block) {
      int k1 = Math.min(k0 + block, kTo);
      for (int i = iFrom; i < iTo; i++) {
        double[] ci = c[i];
        if (k0 == kFrom && !add) {
          Arrays.fill(ci, 0, n, 0.0); // c is written, not added to
        }
        int k = k0;
        for (; k + 4 <= k1; k += 4) {
          axpy4(
              ci,
              a[k][i],
              b[k],
              a[k + 1][i],
              b[k + 1],
              a[k + 2][i],
              b[k + 2],
              a[k + 3][i],
              b[k + 3],
              n);
        }
        for (; k < k1; k++) {
          axpy1(ci, a[k][i], b[k], n);
        }
      }
    }
  }

  /**
   * c[j] += a0·b0[j] + a1·b1[j] + a2·b2[j] + a3·b3[j]: four rows per pass quarter the traffic of c.
   */
  private static void axpy4(
      double[] c,
      double a0,
      double[] b0,
      double a1,
      double[] b1,
      double a2,
      double[] b2,
      double a3,
      double[] b3,
      int n) {
    for (int j = 0; j < n; j++) {
      c[j] =
          Math.fma(a3, b3[j], Math.fma(a2, b2[j], Math.fma(a1, b1[j], Math.fma(a0, b0[j], c[j]))));
    }
  }

  private static void axpy1(double[] c, double a, double[] b, int n) {
    for (int j = 0; j < n; j++) {
      c[j] = Math.fma(a, b[j], c[j]);
    }
  }

  @Override
  public void matmulRows(
      float[][] c, float[][] a, float[][] b, int rFrom, int rTo, int kFrom, int kTo, int n) {
    matmulRowsPlain(c, a, b, rFrom, rTo, kFrom, kTo, n);
  }

  /** Reads b itself: plain loops have no use for a panel. */
  @Override
  public void matmulRowsPanel(
      float[][] c,
      float[][] a,
      float[][] b,
      float[] p,
      int rFrom,
      int rTo,
      int kFrom,
      int kTo,
      int n) {
    matmulRowsPlain(c, a, b, rFrom, rTo, kFrom, kTo, n);
  }

  /** Empty: {@link #matmulRowsPanel} reads b. */
  @Override
  public float[] newPanel(float[][] b) {
    return new float[0];
  }

  @Override
  public void packRow(float[][] b, int k, float[] p) {}

  static void matmulRowsPlain(
      float[][] c, float[][] a, float[][] b, int rFrom, int rTo, int kFrom, int kTo, int n) {
    int slice = rowsFittingL1(n, 4);
    for (int k0 = kFrom; k0 < kTo; k0 += slice) {
      int k1 = Math.min(k0 + slice, kTo);
      for (int r = rFrom; r < rTo; r++) {
        float[] cr = c[r];
        float[] ar = a[r];
        int k = k0;
        for (; k + 4 <= k1; k += 4) {
          axpy4(cr, ar[k], b[k], ar[k + 1], b[k + 1], ar[k + 2], b[k + 2], ar[k + 3], b[k + 3], n);
        }
        for (; k < k1; k++) {
          axpy1(cr, ar[k], b[k], n);
        }
      }
    }
  }

  @Override
  public void matmulColumns(
      float[][] c, float[][] a, float[][] b, int iFrom, int iTo, int kFrom, int kTo, int n) {
    matmulColumnsPlain(c, a, b, iFrom, iTo, kFrom, kTo, n, false);
  }

  @Override
  public void matmulColumnsAdd(
      float[][] c, float[][] a, float[][] b, int iFrom, int iTo, int kFrom, int kTo, int n) {
    matmulColumnsPlain(c, a, b, iFrom, iTo, kFrom, kTo, n, true);
  }

  /** matmulColumns, or with {@code add} matmulColumnsAdd (c's chains continued, not restarted). */
  static void matmulColumnsPlain(
      float[][] c,
      float[][] a,
      float[][] b,
      int iFrom,
      int iTo,
      int kFrom,
      int kTo,
      int n,
      boolean add) {
    if (kFrom >= kTo) {
      if (!add) {
        for (int i = iFrom; i < iTo; i++) {
          Arrays.fill(c[i], 0, n, 0f);
        }
      }
      return;
    }
    int block = rowsFittingL1(n, 4);
    for (int k0 = kFrom; k0 < kTo; k0 += block) {
      int k1 = Math.min(k0 + block, kTo);
      for (int i = iFrom; i < iTo; i++) {
        float[] ci = c[i];
        if (k0 == kFrom && !add) {
          Arrays.fill(ci, 0, n, 0f); // c is written, not added to
        }
        int k = k0;
        for (; k + 4 <= k1; k += 4) {
          axpy4(
              ci,
              a[k][i],
              b[k],
              a[k + 1][i],
              b[k + 1],
              a[k + 2][i],
              b[k + 2],
              a[k + 3][i],
              b[k + 3],
              n);
        }
        for (; k < k1; k++) {
          axpy1(ci, a[k][i], b[k], n);
        }
      }
    }
  }

  /**
   * c[j] += a0·b0[j] + a1·b1[j] + a2·b2[j] + a3·b3[j]: four rows per pass quarter the traffic of c.
   */
  private static void axpy4(
      float[] c,
      float a0,
      float[] b0,
      float a1,
      float[] b1,
      float a2,
      float[] b2,
      float a3,
      float[] b3,
      int n) {
    for (int j = 0; j < n; j++) {
      c[j] =
          Math.fma(a3, b3[j], Math.fma(a2, b2[j], Math.fma(a1, b1[j], Math.fma(a0, b0[j], c[j]))));
    }
  }

  private static void axpy1(float[] c, float a, float[] b, int n) {
    for (int j = 0; j < n; j++) {
      c[j] = Math.fma(a, b[j], c[j]);
    }
  }

  @Override
  public String description() {
    return "plain Java";
  }
}
