package dev.nnc.runtime.parallel;

/**
 * Sums of per-block results in one fixed order, a pairwise tree over the block indices, so that the
 * sum of n block results is the same bits however the blocks were computed (by one thread, several,
 * or the executors of a cluster) and in whatever order they arrived.
 *
 * <p>The tree of n values: one value is itself; otherwise the first {@code m} values and the rest
 * are summed apart and added, {@code m} the largest power of two below n. For 5 blocks: ((b0 + b1)
 * + (b2 + b3)) + b4. Its rounding error grows with log n, not n.
 */
public final class BlockSums {
  private BlockSums() {}

  /** Σ values[from … to − 1] in the pairwise tree; 0.0 for no values. Allocates nothing. */
  public static double pairwise(double[] values, int from, int to) {
    int count = to - from;
    if (count <= 0) {
      return 0.0;
    }
    if (count == 1) {
      return values[from];
    }
    int mid = from + Integer.highestOneBit(count - 1);
    return pairwise(values, from, mid) + pairwise(values, mid, to);
  }

  /**
   * {@code out[j] = Σ_b blocks[b][j]} for b in [0, count), every j of {@code out}, each in the
   * pairwise tree of {@link #pairwise(double[], int, int)}: the gradient of a batch from the
   * gradients of its blocks.
   */
  public static void pairwise(double[][] blocks, int count, double[] out) {
    if (count > blocks.length) {
      throw new IllegalArgumentException(count + " blocks, but only " + blocks.length + " given");
    }
    for (int j = 0; j < out.length; j++) {
      out[j] = element(blocks, 0, count, j);
    }
  }

  private static double element(double[][] blocks, int from, int to, int j) {
    int count = to - from;
    if (count <= 0) {
      return 0.0;
    }
    if (count == 1) {
      return blocks[from][j];
    }
    int mid = from + Integer.highestOneBit(count - 1);
    return element(blocks, from, mid, j) + element(blocks, mid, to, j);
  }
}
