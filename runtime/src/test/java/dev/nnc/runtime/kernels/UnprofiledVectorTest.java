package dev.nnc.runtime.kernels;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernels allocate nothing even when C2 compiles them without receiver type profiles. Runs in
 * the surefire execution {@code vector-unprofiled}, whose JVM has {@code -XX:-UseTypeProfile
 * -XX:-UseTypeSpeculation}: C2 then inlines no virtual call on the strength of a profile, as it
 * does at any call site whose profile is missing. That is what happened in the training JVMs that
 * allocated 301,056 bytes per Nielsen step (about 1 in 8): the 4 × 4 tile of the weight gradient
 * was compiled from C1's tier 2, without a profile at its stores after the k loop, and stored its
 * 16 accumulators through boxed vectors (bench/README.md, "Seventh round (issue 14):
 * allocation-free in every JVM"). In such a JVM the tiles must be compiled as in every other one,
 * so this test fails on any kernel whose vectors need a profile to be intrinsified, in every run
 * rather than in one JVM of eight.
 */
class UnprofiledVectorTest {
  /** The execution's JVM flags: without them these tests would measure an ordinary JVM. */
  private static void assertUnprofiled() {
    List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments();
    assertThat(flags).containsAtLeast("-XX:-UseTypeProfile", "-XX:-UseTypeSpeculation");
    assertThat(Kernels.INSTANCE.vectorized()).isTrue();
  }

  /**
   * KernelsVectorTest's calls: every kernel (products, panels, transposes, exp, sigmoids,
   * softplus).
   */
  @Test
  void everyKernelAllocatesNothingWithoutTypeProfiles() {
    assertUnprofiled();
    new KernelsVectorTest().kernelsAllocateNothing();
  }

  @Test
  void productsAllocateNothingWithoutTypeProfiles() {
    assertUnprofiled();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long least = Long.MAX_VALUE;
    // until C2 has compiled every tile (C1 boxes vectors), up to 10 attempts, stopping at 0
    for (int attempt = 0; attempt < 10 && least > 0; attempt++) {
      for (int i = 0; i < 20_000; i++) {
        run();
      }
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 5_000; i++) {
        run();
      }
      least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
    }
    if (least > 0) { // which calls: each one 5,000 times on its own
      StringBuilder each = new StringBuilder();
      for (int call = 0; call < CALLS; call++) {
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 5_000; i++) {
          call(call);
        }
        each.append(
            String.format(" %d: %,d B;", call, threads.getCurrentThreadAllocatedBytes() - before));
      }
      assertWithMessage("bytes in 5,000 rounds; 5,000 of each call alone:%s", each)
          .that(least)
          .isEqualTo(0);
    }
  }

  // 11 rows of c: tiles of 8, 2 and 1 rows (4, 4, 2 and 1 for rows of four vectors); widths of
  // 30 (four double vectors, Nielsen's hidden layer; two float ones), 24 (three double vectors)
  // and 100 (13 double vectors: a group of three and five of two; 7 float ones)
  private static final double[][] A = new double[20][100];
  private static final double[][] B = new double[20][100];
  private static final double[][] C = new double[11][100];
  private static final float[][] AF = new float[20][100];
  private static final float[][] BF = new float[20][100];
  private static final float[][] CF = new float[11][100];
  private static final int[] WIDTHS = {30, 24, 100};
  // W of each width and its panel, for the forward product from the panel and the update's copy
  private static final double[][][] W = {
    new double[20][30], new double[20][24], new double[20][100]
  };
  private static final float[][][] WF = {new float[20][30], new float[20][24], new float[20][100]};
  private static final double[][] PANEL = new double[WIDTHS.length][];
  private static final float[][] PANEL_F = new float[WIDTHS.length][];

  static {
    for (int w = 0; w < WIDTHS.length; w++) {
      PANEL[w] = Kernels.INSTANCE.newPanel(W[w]);
      PANEL_F[w] = Kernels.INSTANCE.newPanel(WF[w]);
    }
  }

  private static final int KINDS = 10;
  private static final int CALLS = KINDS * WIDTHS.length;

  private static void run() {
    for (int call = 0; call < CALLS; call++) {
      call(call);
    }
  }

  private static void call(int call) {
    Kernels kernels = Kernels.INSTANCE;
    int w = call / KINDS;
    int n = WIDTHS[w];
    switch (call % KINDS) {
      case 0 -> kernels.matmulRows(C, A, B, 0, 11, 0, 20, n);
      case 1 -> kernels.matmulRows(CF, AF, BF, 0, 11, 0, 20, n);
      // c = aᵀ·b: the packed tiles (the first slice from zeros) and the added form
      case 2 -> kernels.matmulColumns(C, A, B, 0, 11, 0, 20, n);
      case 3 -> kernels.matmulColumns(CF, AF, BF, 0, 11, 0, 20, n);
      case 4 -> kernels.matmulColumnsAdd(C, A, B, 0, 11, 0, 20, n);
      case 5 -> kernels.matmulColumnsAdd(CF, AF, BF, 0, 11, 0, 20, n);
      // x·W from W's panel, and the copy of a row of W into it
      case 6 -> kernels.matmulRowsPanel(C, A, W[w], PANEL[w], 0, 11, 0, 20, n);
      case 7 -> kernels.matmulRowsPanel(CF, AF, WF[w], PANEL_F[w], 0, 11, 0, 20, n);
      case 8 -> kernels.packRow(W[w], 3, PANEL[w]);
      default -> kernels.packRow(WF[w], 3, PANEL_F[w]);
    }
  }
}
