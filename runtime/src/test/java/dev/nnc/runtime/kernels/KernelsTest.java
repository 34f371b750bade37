package dev.nnc.runtime.kernels;

import static com.google.common.truth.Truth.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The kernels on a JVM started without {@code --add-modules jdk.incubator.vector} (the default test
 * run): plain Java, and each element one chain of fused multiply-adds in the documented order.
 * {@link KernelsVectorTest} runs the Vector API kernels against these.
 */
class KernelsTest {
  @Test
  void withoutTheModuleTheKernelsArePlainJava() {
    assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isEmpty();
    assertThat(Kernels.INSTANCE).isInstanceOf(JavaKernels.class);
    assertThat(Kernels.INSTANCE.vectorized()).isFalse();
    assertThat(Kernels.INSTANCE.description()).isEqualTo("plain Java");
  }

  @Test
  void eachElementIsOneChainOfFusedMultiplyAddsInRowOrder() {
    SplittableRandom random = new SplittableRandom(7);
    Kernels kernels = new JavaKernels();
    for (int n = 0; n <= 19; n++) {
      for (int rows = 0; rows <= 9; rows++) {
        Case d = Case.random(random, 3, rows + 2, n + 1, false);
        double[][] expected = d.expected(1, 3, 1, rows + 1, n);
        double[][] c = copy(d.c);
        kernels.matmulRows(c, d.a, d.b, 1, 3, 1, rows + 1, n);
        assertThat(c).isEqualTo(expected); // rows 0 and 3, column n, k 0 and rows + 1 left alone
        // the forward product with W's panel: plain Java has none (an empty array) and reads W
        double[][] w = columns(d.b, n);
        assertThat(kernels.newPanel(w)).isEmpty();
        double[][] c5 = copy(d.c);
        kernels.matmulRowsPanel(c5, d.a, w, kernels.newPanel(w), 1, 3, 1, rows + 1, n);
        assertThat(c5).isEqualTo(expected);
        double[][] c2 = copy(d.c);
        kernels.matmulColumns(c2, transpose(d.a), d.b, 1, 3, 1, rows + 1, n);
        // matmulColumns writes c: what zeroing the rows and then adding gives
        assertThat(c2).isEqualTo(d.zeroed(1, 3, n).expected(1, 3, 1, rows + 1, n));
        // matmulColumnsAdd continues the chains c holds
        double[][] c4 = copy(d.c);
        kernels.matmulColumnsAdd(c4, transpose(d.a), d.b, 1, 3, 1, rows + 1, n);
        assertThat(c4).isEqualTo(expected);
        float[][] cf = toFloat(d.c);
        kernels.matmulRows(cf, toFloat(d.a), toFloat(d.b), 1, 3, 1, rows + 1, n);
        assertThat(cf).isEqualTo(d.toFloat().expectedFloat(1, 3, 1, rows + 1, n));
      }
    }
  }

  @Test
  void slicesOfKChangeNoResult() {
    // 300 rows of b are several 16 KB slices for these widths: the sums are stored and read back
    SplittableRandom random = new SplittableRandom(11);
    Kernels kernels = new JavaKernels();
    for (int n : new int[] {10, 30, 100}) {
      Case d = Case.random(random, 6, 302, n + 1, false);
      double[][] c = copy(d.c);
      kernels.matmulRows(c, d.a, d.b, 1, 5, 1, 301, n);
      assertThat(c).isEqualTo(d.expected(1, 5, 1, 301, n));
      double[][] c2 = copy(d.c);
      kernels.matmulColumns(c2, transpose(d.a), d.b, 1, 5, 1, 301, n);
      assertThat(c2).isEqualTo(d.zeroed(1, 5, n).expected(1, 5, 1, 301, n));
      double[][] c3 = copy(d.c);
      kernels.matmulColumns(c3, transpose(d.a), d.b, 1, 5, 7, 7, n); // no k: zeros
      assertThat(c3).isEqualTo(d.zeroed(1, 5, n).c());
      double[][] c4 = copy(d.c);
      kernels.matmulColumnsAdd(c4, transpose(d.a), d.b, 1, 5, 7, 7, n); // no k: c as it was
      assertThat(c4).isEqualTo(d.c);
    }
  }

  /**
   * matmulColumns over the first blocks of batch rows, then matmulColumnsAdd block after block: the
   * bits of matmulColumns over all of them (what the one-thread training step relies on).
   */
  @Test
  void columnsBlockByBlockAreTheWholeBatchsBits() {
    SplittableRandom random = new SplittableRandom(13);
    Kernels kernels = new JavaKernels();
    for (int n : new int[] {1, 10, 25, 100}) {
      Case d = Case.random(random, 6, 302, n + 1, true);
      double[][] at = transpose(d.a);
      double[][] whole = copy(d.c);
      kernels.matmulColumns(whole, at, d.b, 1, 5, 1, 301, n);
      double[][] blocks = copy(d.c);
      float[][] wholeF = toFloat(d.c);
      kernels.matmulColumns(wholeF, toFloat(at), toFloat(d.b), 1, 5, 1, 301, n);
      float[][] blocksF = toFloat(d.c);
      for (int from = 1; from < 301; from += 32) {
        int to = Math.min(301, from + 32);
        if (from == 1) {
          kernels.matmulColumns(blocks, at, d.b, 1, 5, from, to, n);
          kernels.matmulColumns(blocksF, toFloat(at), toFloat(d.b), 1, 5, from, to, n);
        } else {
          kernels.matmulColumnsAdd(blocks, at, d.b, 1, 5, from, to, n);
          kernels.matmulColumnsAdd(blocksF, toFloat(at), toFloat(d.b), 1, 5, from, to, n);
        }
      }
      assertThat(blocks).isEqualTo(whole);
      assertThat(blocksF).isEqualTo(wholeF);
      // and from zeros with every block added (the generated one-thread step): the same bits
      double[][] added = d.zeroed(1, 5, n).c();
      for (int from = 1; from < 301; from += 32) {
        kernels.matmulColumnsAdd(added, at, d.b, 1, 5, from, Math.min(301, from + 32), n);
      }
      assertThat(added).isEqualTo(whole);
    }
  }

  /**
   * c (rows × width), a (rows × depth), b (depth × width); with specials: NaN, ±∞, ±0, subnormals.
   */
  record Case(double[][] c, double[][] a, double[][] b) {
    static Case random(SplittableRandom random, int rows, int depth, int width, boolean special) {
      return new Case(
          matrix(random, rows, width, special),
          matrix(random, rows, depth, special),
          matrix(random, depth, width, special));
    }

    double[][] expected(int rFrom, int rTo, int kFrom, int kTo, int n) {
      double[][] result = copy(c);
      for (int r = rFrom; r < rTo; r++) {
        for (int j = 0; j < n; j++) {
          for (int k = kFrom; k < kTo; k++) {
            result[r][j] = Math.fma(a[r][k], b[k][j], result[r][j]);
          }
        }
      }
      return result;
    }

    /** This case with c[rFrom..rTo)[0..n) zeroed. */
    Case zeroed(int rFrom, int rTo, int n) {
      double[][] zeroed = copy(c);
      for (int r = rFrom; r < rTo; r++) {
        java.util.Arrays.fill(zeroed[r], 0, n, 0.0);
      }
      return new Case(zeroed, a, b);
    }

    Case toFloat() {
      return this;
    }

    float[][] expectedFloat(int rFrom, int rTo, int kFrom, int kTo, int n) {
      float[][] result = KernelsTest.toFloat(c);
      float[][] af = KernelsTest.toFloat(a);
      float[][] bf = KernelsTest.toFloat(b);
      for (int r = rFrom; r < rTo; r++) {
        for (int j = 0; j < n; j++) {
          for (int k = kFrom; k < kTo; k++) {
            result[r][j] = Math.fma(af[r][k], bf[k][j], result[r][j]);
          }
        }
      }
      return result;
    }
  }

  static double[][] matrix(SplittableRandom random, int rows, int cols, boolean special) {
    double[] specials = {
      Double.NaN,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      0.0,
      -0.0,
      Double.MIN_VALUE,
      1e-310,
      1e300,
      -1e300,
      Float.MIN_VALUE,
      3e38
    };
    double[][] m = new double[rows][cols];
    for (double[] row : m) {
      for (int j = 0; j < cols; j++) {
        row[j] =
            special && random.nextInt(4) == 0
                ? specials[random.nextInt(specials.length)]
                : random.nextDouble(-1, 1);
      }
    }
    return m;
  }

  /** The first n columns of every row of m. */
  static double[][] columns(double[][] m, int n) {
    double[][] result = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      result[i] = java.util.Arrays.copyOf(m[i], n);
    }
    return result;
  }

  static double[][] copy(double[][] m) {
    double[][] result = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      result[i] = m[i].clone();
    }
    return result;
  }

  static double[][] transpose(double[][] m) {
    int cols = m.length == 0 ? 0 : m[0].length;
    double[][] result = new double[cols][m.length];
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < cols; j++) {
        result[j][i] = m[i][j];
      }
    }
    return result;
  }

  static float[][] toFloat(double[][] m) {
    float[][] result = new float[m.length][];
    for (int i = 0; i < m.length; i++) {
      result[i] = toFloat(m[i]);
    }
    return result;
  }

  static float[] toFloat(double[] values) {
    float[] result = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = (float) values[i];
    }
    return result;
  }
}
