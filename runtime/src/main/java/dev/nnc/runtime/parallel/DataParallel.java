package dev.nnc.runtime.parallel;

import dev.nnc.runtime.Batch;

/**
 * A network whose training step splits a batch over threads, with results that do not depend on the
 * thread count. The contract, which any other executor of the same decomposition (a cluster) can
 * rely on:
 *
 * <ul>
 *   <li><b>Blocks.</b> A batch of {@code rows} rows is cut into {@code ceil(rows / blockRows())}
 *       blocks of {@link #blockRows()} consecutive rows (the last one shorter). The block size is a
 *       constant of the network (about 2 MFLOP of matrix products per block), never of the thread
 *       count.
 *   <li><b>Rows phase.</b> Each block computes the forward pass, its share of the loss and the
 *       backward pass's δ and dx of its rows alone. {@code lossAndGradient} adds the block losses
 *       in the fixed pairwise tree of {@link BlockSums#pairwise(double[], int, int)}.
 *   <li><b>Weights phase.</b> In {@code lossAndGradient}, each element of a looped layer's dW and
 *       db is one chain of fused multiply-adds over all the rows of the batch, in row order;
 *       threads take slices of dW's rows, which changes no element. Chosen over a tree of per-block
 *       dW because it needs no per-block gradient buffers (S2's dW is 2.4 MB), adds no arithmetic,
 *       and gives exactly the bits of the one-block step.
 *   <li>So {@code setThreads(1)}, {@code 2}, {@code 3}, … give bit-identical losses and gradients;
 *       the threads claim blocks and slices dynamically ({@link WorkerPool}), so a thread that gets
 *       no core slows a step down but never changes it.
 * </ul>
 *
 * <p>A cluster, whose executors hold different blocks, cannot run one chain over the whole batch:
 * it computes {@link #blockLossAndGradient} per block and sums the results with {@link
 * BlockSums#pairwise(double[][], int, double[])}. That sum is the same bits for any partitioning of
 * the blocks over executors, and equals {@code lossAndGradient} to rounding (a dW element is then a
 * tree of per-block chains instead of one chain: a relative difference of order 1e-16 per element).
 */
public interface DataParallel {
  /**
   * The threads a training step uses (any count ≥ 1; 1, the default, runs without any other
   * thread). Changing it never changes a result. Threads beyond 1 are daemon threads that park when
   * the network is idle; {@code setThreads(1)} ends them.
   */
  void setThreads(int threads);

  /** The threads set by {@link #setThreads}. */
  int threads();

  /** Rows per block of a batch: a constant of the network. */
  int blockRows();

  /** The smallest batch that has two blocks, so that more than one thread has work. */
  default int splitRows() {
    return blockRows() + 1;
  }

  /** The blocks of a batch of {@code rows} rows. */
  default int blocks(int rows) {
    return (rows + blockRows() - 1) / blockRows();
  }

  /**
   * Block {@code block}'s share of the batch's loss and gradient: the loss of its rows scaled as
   * part of the whole batch (a mean divides by the batch's rows), block 0 with the penalty, and the
   * gradient of that, written to {@code gradient} (the flat layout of {@code getGradient}). Summed
   * over the blocks in the pairwise tree of {@link BlockSums}, these are {@code lossAndGradient}'s
   * loss and gradient to rounding; the network's gradient buffers are overwritten.
   */
  double blockLossAndGradient(Batch batch, int block, double[] gradient);

  /**
   * The same share, given only the block's rows: {@code rows} holds the {@code n} rows (1 to {@link
   * #blockRows()}) of block {@code block} of a batch of {@code batchRows} rows, its row 0 being the
   * batch's row {@code block · blockRows()}. The loss is scaled as part of {@code batchRows} rows,
   * block 0 carries the penalty. The bits equal {@link #blockLossAndGradient(Batch, int, double[])}
   * on the whole batch: each row is computed alone and each dW element is the same chain over the
   * same rows. This is what a cluster's executor calls: it holds blocks, never the batch (nor
   * buffers for it). A block of fewer than {@code blockRows()} rows other than the last is
   * accepted: a batch assembled from such blocks is then cut at the blocks given.
   */
  double blockLossAndGradient(Batch rows, int batchRows, int block, double[] gradient);
}
