package dev.nnc.spark;

import dev.nnc.runtime.NetworkSpec;
import java.util.Map;

/**
 * The training rows cut into fixed blocks, wherever they live: on a Spark cluster ({@link
 * SparkBlocks}) or in this JVM ({@link LocalBlocks}, the single-machine run with the same blocks).
 * Both sum per-block vectors in the tree of {@link dev.nnc.runtime.parallel.BlockSums} (on a
 * cluster piecewise, {@link dev.nnc.runtime.parallel.BlockTree}), so they give the same bits.
 */
interface BlockSource {
  /** Rows in all blocks. */
  long rows();

  /** Rows per block (the last block may have fewer). */
  int blockRows();

  /** Number of blocks: ⌈rows / blockRows⌉. */
  int blocks();

  /**
   * The tree sum of {@code f} over the selected blocks: {@code selection[i]} is the block at leaf i
   * (a block may be selected twice), or null for every block at its own index.
   */
  double[] sum(BlockFunction f, int[] selection);

  /**
   * {@link BlockMath#lossAndGradient} summed over the selection at {@code parameters}: {@code
   * [loss, gradient…]} of the batch of the selected blocks ({@code batchRows} rows in all).
   */
  double[] lossAndGradient(double[] parameters, int[] selection, int batchRows);

  /** Replaces every block by its preprocessed form (powers, standardisation with {@code stats}). */
  void preprocess(NetworkSpec spec, Map<String, double[]> stats);

  /** {@link BlockMath#fingerprint} of every block, by block index (the raw rows). */
  long[] fingerprints();

  /** Drops whatever the source keeps (cached blocks). */
  default void release() {}
}
