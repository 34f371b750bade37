package dev.nnc.spark;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Preprocessing;
import dev.nnc.runtime.parallel.DataParallel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What runs on one block, wherever it lives: the column sums that fit the preprocessing, the
 * preprocessing itself, and the loss and gradient (the generated network's own block step). Every
 * function works through the block's rows in their order and returns a fresh vector for the tree
 * ({@link dev.nnc.runtime.parallel.BlockTree} on a cluster, {@link
 * dev.nnc.runtime.parallel.BlockSums} in one JVM: the same sums).
 */
final class BlockMath {
  private BlockMath() {}

  /** The spec without standardisation: {@link Preprocessing} then only expands the powers. */
  static NetworkSpec withoutStandardization(NetworkSpec spec) {
    return new NetworkSpec(
        spec.name(),
        spec.sourceFile(),
        spec.precision(),
        spec.inputName(),
        spec.rawInputWidth(),
        spec.featurePowers(),
        spec.inputWidth(),
        -1,
        spec.outputWidth(),
        spec.targetName(),
        spec.targetKind(),
        spec.targetWidth(),
        -1,
        spec.tensors(),
        spec.parameterCount());
  }

  static boolean standardizesTargets(NetworkSpec spec) {
    return spec.targetKind() == NetworkSpec.TargetKind.DENSE && spec.targetStandardizeDdof() >= 0;
  }

  /** The block's inputs after {@code powers(…)}, before standardisation. */
  static Dataset expanded(NetworkSpec spec, DataBlock block) {
    NetworkSpec plain = withoutStandardization(spec);
    Dataset raw = block.dataset();
    return Preprocessing.fit(plain, raw).apply(raw);
  }

  /**
   * Per column, Σ (value − centre)ᵖ over the block's rows (p = 1 with centres 0: sums; p = 2 with
   * the means: squared deviations): the standardised input columns, then the standardised target
   * columns.
   */
  static double[] columnMoments(
      NetworkSpec spec, DataBlock block, double[] inputCentres, double[] targetCentres, int p) {
    int inputs = spec.inputStandardizeDdof() >= 0 ? spec.inputWidth() : 0;
    int targets = standardizesTargets(spec) ? spec.targetWidth() : 0;
    double[] out = new double[inputs + targets];
    if (inputs > 0) {
      double[] x = expanded(spec, block).x();
      accumulate(x, block.rows(), inputs, inputCentres, p, out, 0);
    }
    if (targets > 0) {
      accumulate(block.targets(), block.rows(), targets, targetCentres, p, out, inputs);
    }
    return out;
  }

  private static void accumulate(
      double[] values, int rows, int width, double[] centres, int p, double[] out, int at) {
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < width; c++) {
        double d = values[r * width + c] - (centres == null ? 0 : centres[c]);
        out[at + c] += p == 1 ? d : d * d;
      }
    }
  }

  /** The fitted statistics as {@link Preprocessing#stats()} names them. */
  static Preprocessing preprocessing(NetworkSpec spec, Map<String, double[]> stats) {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    stats.forEach((name, values) -> arrays.put(name, NpyArray.ofDoubles(values, values.length)));
    return Preprocessing.fromStats(spec, arrays);
  }

  /** The block preprocessed (powers, standardisation) as the network sees it. */
  static DataBlock preprocess(NetworkSpec spec, Map<String, double[]> stats, DataBlock block) {
    return DataBlock.of(block.index(), preprocessing(spec, stats).apply(block.dataset()));
  }

  /**
   * {@code [loss_b, ∇loss_b…]}: the share of one preprocessed block, as block {@code leaf} of a
   * batch of {@code batchRows} rows, at {@code parameters}, with the penalty's m the training set's
   * {@code penaltyRows}. Summed over the batch's blocks in the tree of {@link
   * dev.nnc.runtime.parallel.BlockSums}, that is the batch's loss and gradient.
   *
   * <p>A {@link DataParallel} network (one with a looped layer) computes it itself: {@link
   * DataParallel#blockLossAndGradient(Batch, int, int, double[])}, the block of the runtime's own
   * decomposition (block 0 carries the penalty). A network of unrolled layers only has no blocks of
   * its own: its whole-step loss and gradient on the block's rows, times {@code rows / batchRows}.
   */
  static double[] lossAndGradient(
      NetworkFactory factory,
      int blockRows,
      int penaltyRows,
      double[] parameters,
      DataBlock block,
      long leaf,
      int batchRows) {
    NetworkFactory.Worker worker = factory.borrow(blockRows);
    try {
      Network network = worker.network();
      Batch batch = worker.batch();
      network.setParameters(parameters);
      network.setPenaltyExampleCount(penaltyRows);
      System.arraycopy(block.x(), 0, batch.x, 0, block.x().length);
      if (batch.labels != null) {
        System.arraycopy(block.labels(), 0, batch.labels, 0, block.rows());
      } else {
        System.arraycopy(block.targets(), 0, batch.targets, 0, block.targets().length);
      }
      batch.setRows(block.rows());
      double[] gradient = worker.gradient();
      double[] out = new double[gradient.length + 1];
      if (network instanceof DataParallel parallel) {
        out[0] = parallel.blockLossAndGradient(batch, batchRows, (int) leaf, gradient);
        System.arraycopy(gradient, 0, out, 1, gradient.length);
        return out;
      }
      double loss = network.lossAndGradient(batch);
      network.getGradient(gradient);
      double share = (double) block.rows() / batchRows;
      out[0] = share * loss;
      for (int i = 0; i < gradient.length; i++) {
        out[i + 1] = share * gradient[i];
      }
      return out;
    } finally {
      factory.release(worker);
    }
  }

  /** A fingerprint of the block's values (raw, before preprocessing) and its index. */
  static long fingerprint(DataBlock block) {
    long hash = mix(0x6E6E632D626C6BL, block.index());
    hash = mix(hash, block.rows());
    for (double value : block.x()) {
      hash = mix(hash, Double.doubleToLongBits(value));
    }
    if (block.labels() != null) {
      for (int label : block.labels()) {
        hash = mix(hash, label);
      }
    } else {
      for (double value : block.targets()) {
        hash = mix(hash, Double.doubleToLongBits(value));
      }
    }
    return hash;
  }

  static long mix(long hash, long value) {
    long z = (hash ^ value) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 32)) * 0xBF58476D1CE4E5B9L;
    return z ^ (z >>> 29);
  }
}
