package dev.nnc.spark;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Preprocessing;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What runs on one block, wherever it lives: the column sums that fit the preprocessing, the
 * preprocessing itself, and the loss and gradient. Every function works through the block's rows in
 * their order and returns a fresh vector for the {@link BlockTree}.
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
   * {@code [rows · loss, rows · ∂loss/∂p…]} of one preprocessed block at {@code parameters}, with
   * the penalty's m the whole training set's {@code totalRows}. Weighting by rows makes the tree's
   * sum divided by the selected rows the loss of all of them (each block's loss is its mean).
   */
  static double[] lossAndGradient(
      NetworkFactory factory, int blockRows, int totalRows, double[] parameters, DataBlock block) {
    NetworkFactory.Worker worker = factory.borrow(blockRows);
    try {
      Network network = worker.network();
      Batch batch = worker.batch();
      network.setParameters(parameters);
      network.setPenaltyExampleCount(totalRows);
      System.arraycopy(block.x(), 0, batch.x, 0, block.x().length);
      if (batch.labels != null) {
        System.arraycopy(block.labels(), 0, batch.labels, 0, block.rows());
      } else {
        System.arraycopy(block.targets(), 0, batch.targets, 0, block.targets().length);
      }
      batch.setRows(block.rows());
      double loss = network.lossAndGradient(batch);
      double[] gradient = worker.gradient();
      network.getGradient(gradient);
      double[] out = new double[gradient.length + 1];
      double rows = block.rows();
      out[0] = rows * loss;
      for (int i = 0; i < gradient.length; i++) {
        out[i + 1] = rows * gradient[i];
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
