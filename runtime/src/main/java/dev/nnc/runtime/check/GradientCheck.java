package dev.nnc.runtime.check;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Holds a network's analytic gradient against central differences of its loss, in double, on the
 * flat parameter vector: for each entry p, {@code (loss(p + ε) − loss(p − ε)) / 2ε}.
 *
 * <p>Defaults follow the network's precision: ε = 1e-6 and threshold 1e-6 for double, ε = 1e-3 and
 * threshold 1e-2 for float (a float loss has only ~7 digits, so a smaller ε drowns in rounding).
 * The network's parameters are restored afterwards, even when the loss throws.
 *
 * <pre>
 * GradientReport report = new GradientCheck(network).maxPerTensor(50).run(batch);
 * if (!report.passed()) System.err.print(report.format());
 * </pre>
 */
public final class GradientCheck {
  private final Network network;
  private double epsilon;
  private double threshold;
  private int maxPerTensor = Integer.MAX_VALUE;
  private long seed = 0;
  private final boolean isFloat;

  public GradientCheck(Network network) {
    this.network = network;
    this.isFloat = network.spec().precision() == NetworkSpec.Precision.FLOAT;
    this.epsilon = isFloat ? 1e-3 : 1e-6;
    this.threshold = isFloat ? 1e-2 : 1e-6;
  }

  /** Checks every entry of every tensor with the default ε and threshold. */
  public static GradientReport check(Network network, Batch batch) {
    return new GradientCheck(network).run(batch);
  }

  /** The central-difference step (default 1e-6 for double networks, 1e-3 for float). */
  public GradientCheck epsilon(double newEpsilon) {
    if (!(newEpsilon > 0) || !Double.isFinite(newEpsilon)) {
      throw new IllegalArgumentException("ε must be positive, got " + newEpsilon);
    }
    this.epsilon = newEpsilon;
    return this;
  }

  /** The largest relative error that passes (default 1e-6 for double networks, 1e-2 for float). */
  public GradientCheck threshold(double newThreshold) {
    if (!(newThreshold >= 0)) {
      throw new IllegalArgumentException("threshold must be ≥ 0, got " + newThreshold);
    }
    this.threshold = newThreshold;
    return this;
  }

  /**
   * Checks at most this many entries per tensor, drawn without repetition from {@link #seed}; a big
   * tensor otherwise costs two loss evaluations per entry. Default: all entries.
   */
  public GradientCheck maxPerTensor(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("need at least one entry per tensor, got " + count);
    }
    this.maxPerTensor = count;
    return this;
  }

  /** Seeds the choice of sampled entries (default 0). */
  public GradientCheck seed(long newSeed) {
    this.seed = newSeed;
    return this;
  }

  /** {@code |a − n| / max(1e-8, |a| + |n|)}: relative, yet quiet where both are about zero. */
  public static double relativeError(double analytic, double numeric) {
    return Math.abs(analytic - numeric) / Math.max(1e-8, Math.abs(analytic) + Math.abs(numeric));
  }

  /** Runs the check on {@code batch}; the parameters are unchanged afterwards. */
  public GradientReport run(Batch batch) {
    NetworkSpec spec = network.spec();
    int count = spec.parameterCount();
    double[] original = new double[count];
    network.getParameters(original);
    double[] analytic = new double[count];
    double[] probe = original.clone();
    Rng rng = new Rng(seed);
    List<TensorCheck> checks = new ArrayList<>();
    try {
      network.lossAndGradient(batch);
      network.getGradient(analytic);
      for (TensorSpec tensor : spec.tensors()) {
        int[] indices = entriesToCheck(tensor, rng);
        double worstError = -1;
        int worstIndex = -1;
        double worstAnalytic = Double.NaN;
        double worstNumeric = Double.NaN;
        for (int index : indices) {
          double numeric = centralDifference(probe, index, batch);
          double error = relativeError(analytic[index], numeric);
          // The first NaN error is kept: nothing is worse than a gradient that is not a number.
          boolean worse = !Double.isNaN(worstError) && (Double.isNaN(error) || error > worstError);
          if (worse) {
            worstError = error;
            worstIndex = index;
            worstAnalytic = analytic[index];
            worstNumeric = numeric;
          }
        }
        checks.add(
            new TensorCheck(
                tensor,
                indices.length,
                indices.length == 0 ? 0 : worstError,
                worstIndex,
                worstAnalytic,
                worstNumeric,
                threshold));
      }
    } finally {
      network.setParameters(original);
    }
    return new GradientReport(
        spec.name(), spec.sourceFile(), epsilon, threshold, maxPerTensor, checks);
  }

  private double centralDifference(double[] probe, int index, Batch batch) {
    double saved = probe[index];
    try {
      probe[index] = saved + epsilon;
      network.setParameters(probe);
      double plus = network.loss(batch);
      probe[index] = saved - epsilon;
      network.setParameters(probe);
      double minus = network.loss(batch);
      // Divide by the step actually taken: rounding (to float, in a float network) changes it.
      double stepTaken =
          isFloat
              ? (double) (float) (saved + epsilon) - (double) (float) (saved - epsilon)
              : (saved + epsilon) - (saved - epsilon);
      return (plus - minus) / stepTaken;
    } finally {
      probe[index] = saved;
    }
  }

  /** All flat indices of the tensor, or a sorted seeded sample of {@link #maxPerTensor}. */
  private int[] entriesToCheck(TensorSpec tensor, Rng rng) {
    int size = tensor.size();
    int[] all = new int[size];
    for (int i = 0; i < size; i++) {
      all[i] = tensor.offset() + i;
    }
    if (size <= maxPerTensor) {
      return all;
    }
    // A partial Fisher-Yates shuffle: the first maxPerTensor slots become a uniform sample.
    for (int i = 0; i < maxPerTensor; i++) {
      int j = i + rng.nextInt(size - i);
      int swap = all[i];
      all[i] = all[j];
      all[j] = swap;
    }
    int[] sample = Arrays.copyOf(all, maxPerTensor);
    Arrays.sort(sample);
    return sample;
  }
}
