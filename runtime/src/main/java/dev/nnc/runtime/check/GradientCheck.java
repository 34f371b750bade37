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
 *
 * <p>Two honest limits of central differences are recognised instead of reported as failures. An
 * entry whose |a − n| is below the <em>rounding floor</em> {@value #ROUNDING_ULPS} · ulp(loss) / 2ε
 * (the loss is only known to a few ulps, and that error is divided by 2ε) passes: there the
 * difference cannot resolve the gradient better; so does one on which the central difference at 10ε
 * ε/10 or ε/100 agrees. And an entry whose analytic gradient lies between the one-sided differences
 * (f(p+ε) − f(p)) / ε and (f(p) − f(p−ε)) / ε, at ε and at ε/10 alike, with a bracket that does not
 * shrink with the step, is skipped as a kink (a relu input crossing 0 within ±ε): where the loss is
 * smooth that bracket is f″·ε wide and shrinks tenfold. Rounding-limited entries and kinks are
 * counted in the report. A wrong derivative does not hide in either: its errors are far above the
 * floor, no step size agrees with it, and it does not sit between the one-sided slopes. The
 * network's parameters are restored afterwards, even when the loss throws.
 *
 * <pre>
 * GradientReport report = new GradientCheck(network).maxPerTensor(50).run(batch);
 * if (!report.passed()) System.err.print(report.format());
 * </pre>
 */
public final class GradientCheck {
  /** The loss's rounding error assumed, in ulps (calibrated on the seeds: 0.1-1 ulp measured). */
  public static final int ROUNDING_ULPS = 16;

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
      double center = network.lossAndGradient(batch);
      network.getGradient(analytic);
      for (TensorSpec tensor : spec.tensors()) {
        int[] indices = entriesToCheck(tensor, rng);
        double worstError = 0;
        int worstIndex = -1;
        double worstAnalytic = Double.NaN;
        double worstNumeric = Double.NaN;
        int roundingLimited = 0;
        int kinks = 0;
        for (int index : indices) {
          double a = analytic[index];
          Difference difference = centralDifference(probe, index, batch, center, epsilon);
          double numeric = difference.central();
          double error = relativeError(a, numeric);
          if (error > threshold && !Double.isNaN(error)) {
            Verdict verdict = secondOpinion(probe, index, batch, center, a, difference);
            if (verdict == Verdict.AGREES_AT_ANOTHER_STEP) {
              error = 0;
            } else if (verdict == Verdict.ROUNDING) {
              roundingLimited++;
              error = 0;
            } else if (verdict == Verdict.KINK) {
              kinks++;
              continue;
            }
          }
          // The first NaN error is kept: nothing is worse than a gradient that is not a number.
          boolean worse =
              worstIndex < 0
                  || (!Double.isNaN(worstError) && (Double.isNaN(error) || error > worstError));
          if (worse) {
            worstError = error;
            worstIndex = index;
            worstAnalytic = a;
            worstNumeric = numeric;
          }
        }
        checks.add(
            new TensorCheck(
                tensor,
                indices.length - kinks,
                worstError,
                worstIndex,
                worstAnalytic,
                worstNumeric,
                threshold,
                roundingLimited,
                kinks));
      }
    } finally {
      network.setParameters(original);
    }
    return new GradientReport(
        spec.name(), spec.sourceFile(), epsilon, threshold, maxPerTensor, checks);
  }

  /**
   * The loss at p − ε, p and p + ε for one entry, with the step actually taken (rounding, to float
   * in a float network, changes it).
   */
  private record Difference(
      double minus, double center, double plus, double step, boolean isFloat) {
    double central() {
      return (plus - minus) / step;
    }

    /**
     * The loss's rounding error, {@link #ROUNDING_ULPS} ulps of its largest value, over the step.
     */
    double roundingFloor() {
      double largest = Math.max(Math.abs(center), Math.max(Math.abs(plus), Math.abs(minus)));
      double ulp = isFloat ? Math.ulp((float) largest) : Math.ulp(largest);
      return ROUNDING_ULPS * ulp / step;
    }

    /** (f(p+ε) − f(p)) / ε. */
    double rightSlope() {
      return (plus - center) / (step / 2);
    }

    /** (f(p) − f(p−ε)) / ε. */
    double leftSlope() {
      return (center - minus) / (step / 2);
    }

    /** {@code analytic} lies between the one-sided slopes, within the rounding floor. */
    boolean brackets(double analytic) {
      double slack = roundingFloor();
      return analytic >= Math.min(leftSlope(), rightSlope()) - slack
          && analytic <= Math.max(leftSlope(), rightSlope()) + slack;
    }

    double bracketWidth() {
      return Math.abs(rightSlope() - leftSlope());
    }
  }

  private enum Verdict {
    FAILS,
    AGREES_AT_ANOTHER_STEP,
    ROUNDING,
    KINK
  }

  /**
   * An entry the central difference at ε rejects gets a second look before it counts against its
   * tensor: it agrees when the difference at 10ε or ε/10 agrees (ε was too small for the loss's
   * rounding, or too large for its curvature, or it stepped over a kink that ε/100 avoids), or when
   * the disagreement is below the rounding floor; and it is a kink when the analytic gradient lies
   * between the one-sided slopes at both ε and ε/10 and that bracket does not shrink with the step
   * (where the loss is smooth its width is f″·ε, ten times smaller at ε/10; at a kink it is about
   * the jump in slope, whatever the step).
   */
  private Verdict secondOpinion(
      double[] probe,
      int index,
      Batch batch,
      double center,
      double analytic,
      Difference atEpsilon) {
    if (Math.abs(analytic - atEpsilon.central()) <= atEpsilon.roundingFloor()) {
      return Verdict.ROUNDING;
    }
    Difference larger = centralDifference(probe, index, batch, center, epsilon * 10);
    if (relativeError(analytic, larger.central()) <= threshold) {
      return Verdict.AGREES_AT_ANOTHER_STEP;
    }
    Difference smaller = centralDifference(probe, index, batch, center, epsilon / 10);
    if (relativeError(analytic, smaller.central()) <= threshold) {
      return Verdict.AGREES_AT_ANOTHER_STEP;
    }
    if (Math.abs(analytic - smaller.central()) <= smaller.roundingFloor()) {
      return Verdict.ROUNDING;
    }
    // A kink closer than ε/10 may still be stepped over at ε/100.
    Difference smallest = centralDifference(probe, index, batch, center, epsilon / 100);
    if (relativeError(analytic, smallest.central()) <= threshold
        || Math.abs(analytic - smallest.central()) <= smallest.roundingFloor()) {
      return Verdict.AGREES_AT_ANOTHER_STEP;
    }
    // Smooth: the bracket shrinks to a tenth at ε/10. A kink at distance d keeps (1 − 10d/ε) /
    // (1 − d/ε) of it: more than a quarter for every d below ε/13.
    boolean kink =
        atEpsilon.brackets(analytic)
            && smaller.brackets(analytic)
            && smaller.bracketWidth() >= 0.25 * atEpsilon.bracketWidth();
    return kink ? Verdict.KINK : Verdict.FAILS;
  }

  private Difference centralDifference(
      double[] probe, int index, Batch batch, double center, double epsilon) {
    double saved = probe[index];
    try {
      probe[index] = saved + epsilon;
      network.setParameters(probe);
      double plus = network.loss(batch);
      probe[index] = saved - epsilon;
      network.setParameters(probe);
      double minus = network.loss(batch);
      double stepTaken =
          isFloat
              ? (double) (float) (saved + epsilon) - (double) (float) (saved - epsilon)
              : (saved + epsilon) - (saved - epsilon);
      return new Difference(minus, center, plus, stepTaken, isFloat);
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
