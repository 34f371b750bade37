package dev.nnc.runtime.kernels;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Vector API kernels, in the surefire execution {@code vector} whose JVM runs with {@code
 * --add-modules jdk.incubator.vector} (as a user would). They are chosen, and they give exactly
 * what the plain-Java kernels give, bit for bit: each lane does the same fused multiply-adds in the
 * same order as the scalar loop (tolerance 0, on every row width through all the groupings of
 * vectors, the overlapping last vector and the rows narrower than a vector, and with NaN,
 * infinities, signed zeros and subnormals).
 */
class KernelsVectorTest {
  private static final int[] WIDTHS = widths();
  // past the slices of k: 32 batch rows (VectorKernels.matmulColumns), 256 rows of b (matmulRows),
  // and the plain kernels' 16 KB
  private static final int[] DEPTHS = {0, 1, 4, 5, 20, 33, 70, 300};

  @AfterEach
  void clearProperty() {
    System.clearProperty(KernelLoader.PROPERTY);
  }

  @Test
  void withTheModuleTheKernelsAreTheVectorApi() {
    assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isPresent();
    // fails on a machine whose vectors are narrower than 256 bits, where plain Java is kept
    assertThat(Kernels.INSTANCE.vectorized()).isTrue();
    assertThat(Kernels.INSTANCE.getClass().getName()).isEqualTo(KernelLoader.VECTOR_CLASS);
    assertThat(Kernels.INSTANCE.description()).startsWith("Vector API, ");
  }

  @Test
  void nncVectorFalseForcesPlainJava() {
    System.setProperty(KernelLoader.PROPERTY, "false");
    assertThat(KernelLoader.load()).isInstanceOf(JavaKernels.class);
    System.setProperty(KernelLoader.PROPERTY, "true");
    assertThat(KernelLoader.load().vectorized()).isTrue();
  }

  @Test
  void kernelsAreBitIdenticalToPlainJava() {
    Kernels vector = Kernels.INSTANCE;
    Kernels plain = new JavaKernels();
    SplittableRandom random = new SplittableRandom(11);
    for (int n : WIDTHS) {
      for (int depth : DEPTHS) {
        // tiles of 8 rows (4 for a row of four vectors), then 4, 2 and 1 left over: 1 to 15 rows
        for (int rows = 1; rows <= 15; rows++) {
          boolean special = random.nextInt(3) == 0;
          KernelsTest.Case d = KernelsTest.Case.random(random, rows + 1, depth + 2, n + 3, special);
          double[][] at = KernelsTest.transpose(d.a());
          double[][] expected = KernelsTest.copy(d.c());
          double[][] actual = KernelsTest.copy(d.c());
          plain.matmulRows(expected, d.a(), d.b(), 1, rows + 1, 1, depth + 1, n);
          vector.matmulRows(actual, d.a(), d.b(), 1, rows + 1, 1, depth + 1, n);
          assertThat(actual).isEqualTo(expected);
          // the forward product from W's panel (rows exactly n wide, as a layer's W)
          double[][] w = KernelsTest.columns(d.b(), n);
          double[] panel = vector.newPanel(w);
          plain.matmulRowsPanel(
              expected, d.a(), w, plain.newPanel(w), 1, rows + 1, 1, depth + 1, n);
          vector.matmulRowsPanel(actual, d.a(), w, panel, 1, rows + 1, 1, depth + 1, n);
          assertThat(actual).isEqualTo(expected);
          plain.matmulColumns(expected, at, d.b(), 1, rows + 1, 1, depth + 1, n);
          vector.matmulColumns(actual, at, d.b(), 1, rows + 1, 1, depth + 1, n);
          assertThat(actual).isEqualTo(expected);
          plain.matmulColumnsAdd(expected, at, d.b(), 1, rows + 1, 1, depth + 1, n);
          vector.matmulColumnsAdd(actual, at, d.b(), 1, rows + 1, 1, depth + 1, n);
          assertThat(actual).isEqualTo(expected);

          float[][] af = KernelsTest.toFloat(d.a());
          float[][] atf = KernelsTest.toFloat(at);
          float[][] bf = KernelsTest.toFloat(d.b());
          float[][] expectedF = KernelsTest.toFloat(d.c());
          float[][] actualF = KernelsTest.toFloat(d.c());
          plain.matmulRows(expectedF, af, bf, 1, rows + 1, 1, depth + 1, n);
          vector.matmulRows(actualF, af, bf, 1, rows + 1, 1, depth + 1, n);
          assertThat(actualF).isEqualTo(expectedF);
          float[][] wf = KernelsTest.toFloat(w);
          float[] panelF = vector.newPanel(wf);
          plain.matmulRowsPanel(
              expectedF, af, wf, plain.newPanel(wf), 1, rows + 1, 1, depth + 1, n);
          vector.matmulRowsPanel(actualF, af, wf, panelF, 1, rows + 1, 1, depth + 1, n);
          assertThat(actualF).isEqualTo(expectedF);
          plain.matmulColumns(expectedF, atf, bf, 1, rows + 1, 1, depth + 1, n);
          vector.matmulColumns(actualF, atf, bf, 1, rows + 1, 1, depth + 1, n);
          assertThat(actualF).isEqualTo(expectedF);
          plain.matmulColumnsAdd(expectedF, atf, bf, 1, rows + 1, 1, depth + 1, n);
          vector.matmulColumnsAdd(actualF, atf, bf, 1, rows + 1, 1, depth + 1, n);
          assertThat(actualF).isEqualTo(expectedF);
        }
      }
    }
  }

  /**
   * A panel follows its matrix row by row: after rows of W change (as sgdStep and setParameters
   * change them), packRow of exactly those rows makes the product from the panel the product from W
   * again, bit for bit, on every row width; a row left unpacked shows (the test can fail), and a
   * panel of another shape is refused.
   */
  @Test
  void packRowKeepsThePanelOnItsMatrix() {
    Kernels vector = Kernels.INSTANCE;
    Kernels plain = new JavaKernels();
    SplittableRandom random = new SplittableRandom(13);
    for (int n : WIDTHS) {
      int depth = 37;
      KernelsTest.Case d = KernelsTest.Case.random(random, 12, depth, n, false);
      double[][] w = d.b();
      double[] panel = vector.newPanel(w);
      float[][] wf = KernelsTest.toFloat(w);
      float[] panelF = vector.newPanel(wf);
      for (int k = 0; k < depth; k += 3) { // every third row changes
        for (int j = 0; j < n; j++) {
          w[k][j] = random.nextDouble() - 0.5;
          wf[k][j] = (float) w[k][j];
        }
      }
      // one changed row not packed yet: the panel's product must differ (where it is read at all)
      double[][] expected = KernelsTest.copy(d.c());
      double[][] actual = KernelsTest.copy(d.c());
      plain.matmulRows(expected, d.a(), w, 0, 12, 0, depth, n);
      for (int k = 3; k < depth; k += 3) {
        vector.packRow(w, k, panel);
        vector.packRow(wf, k, panelF);
      }
      vector.matmulRowsPanel(actual, d.a(), w, panel, 0, 12, 0, depth, n);
      if (panel.length > 0) {
        assertWithMessage("width %s: row 0 not packed", n).that(actual).isNotEqualTo(expected);
      }
      vector.packRow(w, 0, panel);
      vector.packRow(wf, 0, panelF);
      actual = KernelsTest.copy(d.c());
      vector.matmulRowsPanel(actual, d.a(), w, panel, 0, 12, 0, depth, n);
      assertWithMessage("width %s", n).that(actual).isEqualTo(expected);
      assertThat(panel).isEqualTo(vector.newPanel(w));

      float[][] af = KernelsTest.toFloat(d.a());
      float[][] expectedF = KernelsTest.toFloat(d.c());
      float[][] actualF = KernelsTest.toFloat(d.c());
      plain.matmulRows(expectedF, af, wf, 0, 12, 0, depth, n);
      vector.matmulRowsPanel(actualF, af, wf, panelF, 0, 12, 0, depth, n);
      assertWithMessage("width %s, float", n).that(actualF).isEqualTo(expectedF);
      assertThat(panelF).isEqualTo(vector.newPanel(wf));
      if (panel.length > 0) {
        double[] other = new double[panel.length + 1];
        IllegalArgumentException e =
            assertThrows(
                IllegalArgumentException.class,
                () -> vector.matmulRowsPanel(actualCopy(d), d.a(), w, other, 0, 12, 0, depth, n));
        assertThat(e).hasMessageThat().contains("newPanel makes " + panel.length);
      }
    }
  }

  private static double[][] actualCopy(KernelsTest.Case d) {
    return KernelsTest.copy(d.c());
  }

  /**
   * matmulColumns on a batch of at least {@code TRANSPOSED_DEPTH} rows computes the transpose of c
   * chunk by chunk of columns: still the plain kernels' bits, for ranges of rows of c that start
   * anywhere (the threads' slices of dW), span one chunk, a chunk and a remainder, or several, in
   * double (chunks of 256 columns) and float (512), with every narrow and wide n.
   */
  @Test
  void deepBatchesTakeTheTransposeWithTheSameBits() {
    Kernels vector = Kernels.INSTANCE;
    Kernels plain = new JavaKernels();
    SplittableRandom random = new SplittableRandom(12);
    int[] depths = {VectorKernels.TRANSPOSED_DEPTH - 1, VectorKernels.TRANSPOSED_DEPTH, 200, 300};
    int[][] ranges = {
      {0, 7}, {0, 8}, {3, 19}, {1, 25}, {4, 34}, {5, 270}, {0, 400}, {2, 531}, {16, 1100}
    };
    int[] widths = {1, 2, 7, 8, 9, 10, 15, 16, 17, 25, 30, 33, 100};
    for (int depth : depths) {
      for (int[] range : ranges) {
        for (int n : widths) {
          boolean special = random.nextInt(4) == 0;
          KernelsTest.Case d =
              KernelsTest.Case.random(random, depth + 2, range[1] + 2, n + 2, special);
          // a: depth+2 batch rows of range[1]+2 columns; c: one row per column of a
          double[][] c = new double[range[1] + 2][n + 2];
          for (double[] row : c) {
            java.util.Arrays.fill(row, 7.0); // outside [iFrom, iTo) × [0, n): left alone
          }
          double[][] expected = KernelsTest.copy(c);
          double[][] actual = KernelsTest.copy(c);
          plain.matmulColumns(expected, d.a(), d.c(), range[0], range[1], 1, depth + 1, n);
          vector.matmulColumns(actual, d.a(), d.c(), range[0], range[1], 1, depth + 1, n);
          assertThat(actual).isEqualTo(expected);
          // the transposed form continuing c's chains (its scratch starts as c's transpose)
          plain.matmulColumnsAdd(expected, d.a(), d.c(), range[0], range[1], 1, depth + 1, n);
          vector.matmulColumnsAdd(actual, d.a(), d.c(), range[0], range[1], 1, depth + 1, n);
          assertThat(actual).isEqualTo(expected);

          float[][] af = KernelsTest.toFloat(d.a());
          float[][] bf = KernelsTest.toFloat(d.c());
          float[][] expectedF = KernelsTest.toFloat(c);
          float[][] actualF = KernelsTest.toFloat(c);
          plain.matmulColumns(expectedF, af, bf, range[0], range[1], 1, depth + 1, n);
          vector.matmulColumns(actualF, af, bf, range[0], range[1], 1, depth + 1, n);
          assertThat(actualF).isEqualTo(expectedF);
          plain.matmulColumnsAdd(expectedF, af, bf, range[0], range[1], 1, depth + 1, n);
          vector.matmulColumnsAdd(actualF, af, bf, range[0], range[1], 1, depth + 1, n);
          assertThat(actualF).isEqualTo(expectedF);
        }
      }
    }
  }

  /**
   * Rows of c narrower than a vector, with at least a vector's worth of rows (a 10-wide float
   * output layer over a block of 16 batch rows, S4's dW of that layer over 64): both kernels
   * compute the transpose, vectors along the rows, at any depth; still the plain kernels' bits, for
   * ranges of rows that start anywhere and leave tiles of 8, 4, 2 and 1 over.
   */
  @Test
  void narrowRowsTakeTheTransposeWithTheSameBits() {
    Kernels vector = Kernels.INSTANCE;
    Kernels plain = new JavaKernels();
    SplittableRandom random = new SplittableRandom(13);
    int[] depths = {1, 2, 5, 20, 64, 100, 300};
    int[][] ranges = {{0, 16}, {1, 17}, {3, 24}, {0, 31}, {2, 66}, {0, 200}};
    for (int depth : depths) {
      for (int[] range : ranges) {
        for (int n = 1; n < 16; n++) {
          boolean special = random.nextInt(4) == 0;
          int rows = range[1] + 2;
          KernelsTest.Case d = KernelsTest.Case.random(random, rows, depth + 2, n + 2, special);
          double[][] at = KernelsTest.transpose(d.a());
          double[][] expected = KernelsTest.copy(d.c());
          double[][] actual = KernelsTest.copy(d.c());
          plain.matmulRows(expected, d.a(), d.b(), range[0], range[1], 1, depth + 1, n);
          vector.matmulRows(actual, d.a(), d.b(), range[0], range[1], 1, depth + 1, n);
          assertThat(actual).isEqualTo(expected);
          plain.matmulColumns(expected, at, d.b(), range[0], range[1], 1, depth + 1, n);
          vector.matmulColumns(actual, at, d.b(), range[0], range[1], 1, depth + 1, n);
          assertThat(actual).isEqualTo(expected);

          float[][] af = KernelsTest.toFloat(d.a());
          float[][] atf = KernelsTest.toFloat(at);
          float[][] bf = KernelsTest.toFloat(d.b());
          float[][] expectedF = KernelsTest.toFloat(d.c());
          float[][] actualF = KernelsTest.toFloat(d.c());
          plain.matmulRows(expectedF, af, bf, range[0], range[1], 1, depth + 1, n);
          vector.matmulRows(actualF, af, bf, range[0], range[1], 1, depth + 1, n);
          assertThat(actualF).isEqualTo(expectedF);
          plain.matmulColumns(expectedF, atf, bf, range[0], range[1], 1, depth + 1, n);
          vector.matmulColumns(actualF, atf, bf, range[0], range[1], 1, depth + 1, n);
          assertThat(actualF).isEqualTo(expectedF);
        }
      }
    }
  }

  @Test
  void kernelsAllocateNothing() {
    Kernels kernels = Kernels.INSTANCE;
    double[][] b = new double[20][100];
    double[][] c = new double[5][100];
    float[][] bf = new float[20][100];
    float[][] cf = new float[5][100];
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long least = Long.MAX_VALUE;
    // until C2 has compiled every tile (C1 boxes vectors); on a loaded machine its queue takes
    // a while (one failure in a run at load 12 with 3 attempts), so up to 10, stopping at 0
    for (int attempt = 0; attempt < 10 && least > 0; attempt++) {
      for (int i = 0; i < 30_000; i++) { // warm up: C2 compiles the kernels
        run(kernels, c, b, cf, bf);
      }
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 10_000; i++) {
        run(kernels, c, b, cf, bf);
      }
      least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
    }
    if (least > 0) { // which calls: each one 10,000 times on its own, in run's order
      StringBuilder each = new StringBuilder();
      for (int call = 0; call < CALLS; call++) {
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
          call(call, kernels, c, b, cf, bf);
        }
        each.append(
            String.format(" %d: %,d B;", call, threads.getCurrentThreadAllocatedBytes() - before));
      }
      assertWithMessage("bytes in 10,000 rounds; 10,000 of each call alone:%s", each)
          .that(least)
          .isEqualTo(0);
    }
  }

  private static void run(Kernels kernels, double[][] c, double[][] b, float[][] cf, float[][] bf) {
    for (int call = 0; call < CALLS; call++) {
      call(call, kernels, c, b, cf, bf);
    }
  }

  private static final int CALLS = 29;

  private static void call(
      int call, Kernels kernels, double[][] c, double[][] b, float[][] cf, float[][] bf) {
    switch (call) {
      case 0 -> kernels.matmulRows(c, b, b, 0, 5, 0, 20, 100);
      case 1 -> kernels.matmulColumns(c, b, b, 0, 5, 0, 20, 30);
      case 2 -> kernels.matmulRows(cf, bf, bf, 0, 5, 0, 20, 100);
      case 3 -> kernels.matmulColumns(cf, bf, bf, 0, 5, 0, 20, 30);
      // the one-thread step's blocks added to dW
      case 4 -> kernels.matmulColumnsAdd(c, b, b, 0, 5, 0, 20, 30);
      case 5 -> kernels.matmulColumnsAdd(cf, bf, bf, 0, 5, 0, 20, 30);
      // a deep batch: the transposed form, whose scratch is allocated on the thread's first call
      case 6 -> kernels.matmulColumns(DEEP_C, DEEP_A, DEEP_B, 0, 24, 0, 130, 10);
      case 7 -> kernels.matmulColumns(DEEP_CF, DEEP_AF, DEEP_BF, 0, 24, 0, 130, 10);
      case 8 -> kernels.matmulColumnsAdd(DEEP_C, DEEP_A, DEEP_B, 0, 24, 0, 130, 10);
      case 9 -> kernels.matmulColumnsAdd(DEEP_CF, DEEP_AF, DEEP_BF, 0, 24, 0, 130, 10);
      // rows narrower than a vector: the transposes, with their scratch (S4's float output layer)
      case 10 -> kernels.matmulRows(NARROW_CF, NARROW_AF, DEEP_BF, 0, 64, 0, 100, 10);
      case 11 -> kernels.matmulColumns(DEEP_CF, NARROW_AF, NARROW_BF, 0, 24, 0, 64, 10);
      case 12 -> kernels.matmulRows(NARROW_C, NARROW_A, DEEP_B, 0, 64, 0, 100, 7);
      // both sigmoids and the exp, whose double scratch is made on the thread's first call, on a
      // row of vectors and one narrower than a vector. The double ones boxed every vector in this
      // JVM (after the tests above) while they were one loop (VectorMath.map; bench/README.md)
      case 13 -> kernels.sigmoid(cf[0], cf[1], 100);
      case 14 -> kernels.sigmoid(cf[2], cf[3], 3);
      case 15 -> kernels.sigmoid(NARROW_CF, SIGMOID_AF, 0, 32, 10); // a block of rows
      case 16 -> kernels.sigmoid(c[0], c[1], 100);
      case 17 -> kernels.sigmoid(c[2], c[3], 3);
      case 18 -> kernels.exp(c[0], c[4], 100);
      case 19 -> kernels.exp(c[2], c[4], 3);
      case 20 -> kernels.sigmoid(NARROW_C, SIGMOID_A, 0, 32, 10); // a block of rows
      // the binary cross-entropy's softplus (S3's 10-wide output rows, a block of 32; and rows of
      // 3)
      case 21 -> kernels.softplus(NARROW_CF, SOFTPLUS, 0, 32, 10);
      case 22 -> kernels.softplus(NARROW_C, SOFTPLUS, 32, 64, 10);
      case 23 -> kernels.softplus(NARROW_C, SOFTPLUS, 0, 2, 3);
      case 24 -> kernels.log1p(c[2], c[3], 100);
      // the forward product from W's panel, and a row of the panel rewritten (every sgdStep)
      case 25 -> kernels.matmulRowsPanel(c, b, PANEL_W, PANEL, 0, 5, 0, 20, 100);
      case 26 -> kernels.matmulRowsPanel(cf, bf, PANEL_WF, PANEL_F, 0, 5, 0, 20, 100);
      case 27 -> kernels.packRow(PANEL_W, 7, PANEL);
      case 28 -> kernels.packRow(PANEL_WF, 7, PANEL_F);
      default -> throw new IllegalArgumentException("call " + call);
    }
  }

  private static final double[][] PANEL_W = new double[100][100];
  private static final float[][] PANEL_WF = new float[100][100];
  private static final double[] PANEL = Kernels.INSTANCE.newPanel(PANEL_W);
  private static final float[] PANEL_F = Kernels.INSTANCE.newPanel(PANEL_WF);
  private static final double[][] SOFTPLUS = new double[64][10];
  private static final float[][] SIGMOID_AF = new float[64][10];
  private static final double[][] SIGMOID_A = new double[64][10];

  private static final double[][] DEEP_A = new double[130][24];
  private static final double[][] DEEP_B = new double[130][10];
  private static final double[][] DEEP_C = new double[24][10];
  private static final float[][] DEEP_AF = new float[130][24];
  private static final float[][] DEEP_BF = new float[130][10];
  private static final float[][] DEEP_CF = new float[24][10];
  private static final float[][] NARROW_AF = new float[64][100];
  private static final float[][] NARROW_BF = new float[64][10];
  private static final float[][] NARROW_CF = new float[64][10];
  private static final double[][] NARROW_A = new double[64][100];
  private static final double[][] NARROW_C = new double[64][10];

  /**
   * Every width up to 70 (all block and tail combinations of 4- to 16-lane vectors), the seeds'
   * widths.
   */
  private static int[] widths() {
    int[] widths = new int[71 + 5];
    for (int n = 0; n <= 70; n++) {
      widths[n] = n;
    }
    System.arraycopy(new int[] {100, 400, 784, 1000, 3072}, 0, widths, 71, 5);
    return widths;
  }
}
