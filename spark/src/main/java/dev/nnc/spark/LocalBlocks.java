package dev.nnc.spark;

import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.parallel.BlockSums;
import java.util.Arrays;
import java.util.Map;

/**
 * The blocks in this JVM: the single-machine run a cluster run must match bit for bit. Its sums are
 * the runtime's {@link BlockSums#pairwise(double[][], int, double[])} over the leaves in order.
 */
final class LocalBlocks implements BlockSource {
  private final NetworkFactory factory;
  private final int blockRows;
  private final long rows;
  private final DataBlock[] blocks;

  LocalBlocks(NetworkFactory factory, Dataset raw, int blockRows) {
    this.factory = factory;
    this.blockRows = blockRows;
    this.rows = raw.rows();
    int count = (raw.rows() + blockRows - 1) / blockRows;
    this.blocks = new DataBlock[count];
    for (int b = 0; b < count; b++) {
      int from = b * blockRows;
      int n = Math.min(blockRows, raw.rows() - from);
      int w = raw.inputWidth();
      int t = raw.targetWidth();
      blocks[b] =
          new DataBlock(
              b,
              n,
              w,
              Arrays.copyOfRange(raw.x(), from * w, (from + n) * w),
              t,
              raw.hasLabels() ? null : Arrays.copyOfRange(raw.targets(), from * t, (from + n) * t),
              raw.hasLabels() ? Arrays.copyOfRange(raw.labels(), from, from + n) : null);
    }
  }

  @Override
  public long rows() {
    return rows;
  }

  @Override
  public int blockRows() {
    return blockRows;
  }

  @Override
  public int blocks() {
    return blocks.length;
  }

  @Override
  public double[] sum(BlockFunction f, int[] selection) {
    int leaves = selection == null ? blocks.length : selection.length;
    double[][] values = new double[leaves][];
    for (int leaf = 0; leaf < leaves; leaf++) {
      values[leaf] = f.apply(blocks[selection == null ? leaf : selection[leaf]], leaf);
    }
    double[] out = new double[values[0].length];
    BlockSums.pairwise(values, leaves, out);
    return out;
  }

  @Override
  public double[] lossAndGradient(double[] parameters, int[] selection, int batchRows) {
    int total = (int) rows;
    return sum(
        (b, leaf) ->
            BlockMath.lossAndGradient(factory, blockRows, total, parameters, b, leaf, batchRows),
        selection);
  }

  @Override
  public void preprocess(NetworkSpec spec, Map<String, double[]> stats) {
    for (int b = 0; b < blocks.length; b++) {
      blocks[b] = BlockMath.preprocess(spec, stats, blocks[b]);
    }
  }

  @Override
  public long[] fingerprints() {
    long[] out = new long[blocks.length];
    for (int b = 0; b < blocks.length; b++) {
      out[b] = BlockMath.fingerprint(blocks[b]);
    }
    return out;
  }
}
