package dev.nnc.runtime.check;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.TensorSpec;
import dev.nnc.runtime.parallel.BlockSums;
import dev.nnc.runtime.parallel.DataParallel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks a network's analytic gradient so that a wrong backward pass does not get through.
 *
 * <p><b>What is run.</b> For every parameter point and every batch (a <em>case</em>): first one
 * call on a batch of {@code maxRows} rows of large random inputs, so that every buffer holds values
 * the case does not write; then {@code lossAndGradient(b)}, {@code loss(b)}, {@code
 * lossAndGradient(b)}, {@code loss(b)}. The losses must agree ({@code lossAndGradient} with {@code
 * loss} within {@link #lossBound}: the two may sum in another order; the rest bit for bit), and the
 * two gradients bit for bit (a backward pass that does not clear a buffer, or reads a row its batch
 * did not write, differs). A {@link DataParallel} network's per-block path ({@code
 * blockLossAndGradient}, what a cluster runs), summed over the blocks, must equal the step to
 * rounding on every batch; a batch of at least its {@code splitRows()} is run again on 2 and 3
 * threads (where it accepts them): loss and gradient must equal the 1-thread ones bit for bit, as
 * the interface promises; and its split path is compared with the whole one (S whole, S twice and
 * three times split: evenly spaced gradients). Such a batch is run at the first parameter point
 * only, and not by finite differences (a relu network has a kink every few 1e-6 on a batch that
 * large).
 *
 * <p><b>Double networks</b> are checked against finite differences of {@link Network#loss} (an
 * independent forward pass, never the value {@code lossAndGradient} returns): per entry p the
 * Richardson-extrapolated central difference {@code n = (4·D(ε) − D(2ε)) / 3}, {@code D(h) =
 * (f(p+h) − f(p−h)) / 2h}, whose truncation error is O(ε⁴). Its rounding error is bounded by the
 * <em>floor</em> {@code 1.5 · 2R / 2ε}, R = (16 + 2√(rows·outputs)) ulps of the loss. An entry is
 * <em>verified</em> when {@code |a − n| ≤ threshold·(|a| + |n|) + floor} and the gradient is
 * resolvable ({@code max(|a|, |n|) ≥ 4·floor}, or a = n); <em>unverifiable</em> when it agrees but
 * is below that resolution, or, in a network with a non-smooth op ({@link #nonSmooth}), when a
 * disagreeing entry sits at a kink (its analytic value lies between the one-sided slopes at ε and
 * at ε/10 and that bracket does not shrink with the step); <em>failed</em> otherwise. There is one
 * bound per entry, never relaxed by a retry.
 *
 * <p><b>Float networks</b> are checked against a {@link #reference double twin} (the same network
 * generated in double, given the same parameters and the same inputs rounded to float): the twin is
 * checked by finite differences as above, and every float gradient entry must match the twin's to
 * {@code FLOAT_ULPS · 2⁻²⁴ · S}, where S is the entry's scale before cancellation: |g| plus the sum
 * over rows of the per-row gradients' magnitudes (float rounding is relative to the terms summed,
 * not to their sum). Without a twin a float network gets finite differences in float (ε = 1e-2),
 * which resolve far less.
 *
 * <p><b>Dropout.</b> Every case runs at one set of dropout masks, those of step 0 drawn from the
 * check's {@link #seed} ({@link Network#setDropout}): fixed masks make the loss one smooth function
 * whose gradient is the dropout backward's (the split path's comparison of a batch with its copies
 * runs without dropout, as copies of a row at other batch rows draw other masks). Dropout is off
 * again afterwards.
 *
 * <p>A tensor passes with no failed entry, at least one verified one, and at most {@link
 * #maxUnverifiableShare} unverifiable (default {@value #DEFAULT_MAX_UNVERIFIABLE_SHARE}). The
 * parameters (and the thread count) are restored afterwards, even when the network throws.
 *
 * <pre>
 * GradientReport report = new GradientCheck(network)
 *     .nonSmooth(false)                 // no relu: a disagreement is never a kink
 *     .run(List.of(batch1, batch2));    // several batches: every unit active somewhere
 * if (!report.passed()) System.err.print(report.format());
 * </pre>
 */
public final class GradientCheck {
  /** The share of a tensor's checked entries that may stay unverifiable (5%). */
  public static final double DEFAULT_MAX_UNVERIFIABLE_SHARE = 0.05;

  /** An agreeing gradient counts as verified when it is at least this many floors large. */
  public static final int RESOLUTION = 4;

  /** The float gradient's bound against the double twin, in float unit roundoffs of its scale. */
  public static final double FLOAT_ULPS = 512;

  /** The split-path comparison's bound, in unit roundoffs per row summed, of the entry's scale. */
  static final double SPLIT_ULPS = 16;

  /** ... plus this share of the tensor's largest scale (row sums cancel). */
  static final double SPLIT_TENSOR_SHARE = 0.01;

  private static final double FLOAT_U = 0x1p-24;
  private static final double DOUBLE_U = 0x1p-53;

  private final Network network;
  private final boolean isFloat;
  private Network reference;
  private boolean nonSmooth = true;
  private Double epsilon;
  private double threshold;
  private int maxPerTensor = Integer.MAX_VALUE;
  private long seed = 0;
  private double maxUnverifiableShare = DEFAULT_MAX_UNVERIFIABLE_SHARE;
  private final List<double[]> extraPoints = new ArrayList<>();

  public GradientCheck(Network network) {
    this.network = network;
    this.isFloat = network.spec().precision() == NetworkSpec.Precision.FLOAT;
    this.threshold = isFloat ? 1e-3 : 1e-6;
  }

  /** The step in use: the one set, or the default for the precision and smoothness. */
  public double epsilon() {
    return epsilon != null ? epsilon : isFloat ? 1e-2 : doubleStep();
  }

  private double doubleStep() {
    return nonSmooth ? 1e-6 : 1e-5;
  }

  /** Checks every entry of every tensor with the defaults, on one batch. */
  public static GradientReport check(Network network, Batch batch) {
    return new GradientCheck(network).run(batch);
  }

  /**
   * The double twin of a float network: the same {@code .nn} generated in double precision. The
   * float gradient is then held to float rounding of the twin's, and the twin to finite
   * differences.
   */
  public GradientCheck reference(Network doubleTwin) {
    if (doubleTwin.spec().precision() != NetworkSpec.Precision.DOUBLE) {
      throw new IllegalArgumentException("the reference must be a double network");
    }
    if (doubleTwin.spec().parameterCount() != network.spec().parameterCount()) {
      throw new IllegalArgumentException(
          "the reference has "
              + doubleTwin.spec().parameterCount()
              + " parameters, the network "
              + network.spec().parameterCount());
    }
    this.reference = doubleTwin;
    return this;
  }

  /**
   * Whether the network has a non-smooth op (relu, max pool): only then can a disagreeing entry be
   * a kink, counted as unverifiable. Default true (the runtime cannot see the layers); say false
   * for a smooth network and every disagreement fails.
   */
  public GradientCheck nonSmooth(boolean value) {
    this.nonSmooth = value;
    return this;
  }

  /**
   * The finite-difference step (default for double networks 1e-5, or 1e-6 with a non-smooth op,
   * where a smaller step crosses fewer kinks; 1e-2 for float ones checked without a twin).
   */
  public GradientCheck epsilon(double newEpsilon) {
    if (!(newEpsilon > 0) || !Double.isFinite(newEpsilon)) {
      throw new IllegalArgumentException("ε must be positive, got " + newEpsilon);
    }
    this.epsilon = newEpsilon;
    return this;
  }

  /**
   * The relative part of the bound, {@code |a − n| ≤ threshold·(|a| + |n|) + floor} (default 1e-6
   * for double networks, 1e-3 for float ones checked without a twin).
   */
  public GradientCheck threshold(double newThreshold) {
    if (!(newThreshold >= 0) || !Double.isFinite(newThreshold)) {
      throw new IllegalArgumentException("threshold must be ≥ 0, got " + newThreshold);
    }
    this.threshold = newThreshold;
    return this;
  }

  /**
   * Checks at most this many entries per tensor by finite differences: the first two and last two
   * rows and columns' corners always, the rest drawn from {@link #seed}. Default: all entries.
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

  /** The share of unverifiable entries a tensor may have and pass (default 5%). */
  public GradientCheck maxUnverifiableShare(double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("share must be in [0, 1], got " + share);
    }
    this.maxUnverifiableShare = share;
    return this;
  }

  /** Checks at these parameters too (each with every batch), besides the network's current ones. */
  public GradientCheck alsoAt(double[] parameters) {
    if (parameters.length != network.spec().parameterCount()) {
      throw new IllegalArgumentException(
          "need " + network.spec().parameterCount() + " parameters, got " + parameters.length);
    }
    extraPoints.add(parameters.clone());
    return this;
  }

  /** {@code |a − n| / max(1e-8, |a| + |n|)}, the relative error of older reports. */
  public static double relativeError(double analytic, double numeric) {
    return Math.abs(analytic - numeric) / Math.max(1e-8, Math.abs(analytic) + Math.abs(numeric));
  }

  /**
   * How far {@code lossAndGradient} may be from {@code loss} on a batch of {@code rows} rows and
   * {@code outputs} outputs: the losses are sums of non-negative terms, which two summation orders
   * give to within {@code 2·(rows·outputs + 8)} unit roundoffs of the loss.
   */
  public static double lossBound(double loss, int rows, int outputs, boolean isFloat) {
    double u = isFloat ? FLOAT_U : DOUBLE_U;
    return 2.0 * ((double) rows * outputs + 8) * u * Math.abs(loss) + Double.MIN_NORMAL;
  }

  /** Sets the dropout masks of the network and of its double twin alike. */
  private void setDropout(long dropoutSeed, long step) {
    network.setDropout(dropoutSeed, step);
    if (reference != null) {
      reference.setDropout(dropoutSeed, step);
    }
  }

  public GradientReport run(Batch batch) {
    return run(List.of(batch));
  }

  /** Runs every case; the parameters and the thread count are unchanged afterwards. */
  public GradientReport run(List<Batch> batches) {
    if (batches.isEmpty()) {
      throw new IllegalArgumentException("need at least one batch");
    }
    NetworkSpec spec = network.spec();
    int count = spec.parameterCount();
    double[] original = new double[count];
    network.getParameters(original);
    List<double[]> points = new ArrayList<>();
    points.add(original);
    points.addAll(extraPoints);
    Rng rng = new Rng(seed);
    List<Tally> tallies = new ArrayList<>();
    List<Tally> referenceTallies = new ArrayList<>();
    for (TensorSpec tensor : spec.tensors()) {
      int[] sample = entriesToCheck(tensor, rng);
      if (reference != null) {
        tallies.add(new Tally(tensor, allEntries(tensor)));
        referenceTallies.add(new Tally(tensor, sample));
      } else {
        tallies.add(new Tally(tensor, sample));
      }
    }
    Run run = new Run(tallies, referenceTallies);
    DataParallel parallel = network instanceof DataParallel p ? p : null;
    int threadsBefore = parallel == null ? 1 : parallel.threads();
    // Dropout: every case runs at the masks of one step (step 0 of the check's seed), so loss and
    // lossAndGradient differentiate one function and the dropout backward is checked with them
    setDropout(seed, 0);
    try {
      for (int k = 0; k < points.size(); k++) {
        for (Batch batch : batches) {
          if (k > 0 && parallel != null && batch.rows() >= parallel.splitRows()) {
            continue; // the split path is checked at the first point only: it is the costly case
          }
          network.setParameters(points.get(k));
          run.runCase(isFloat ? roundedToFloat(batch) : batch, k, points.size() > 1);
        }
      }
    } finally {
      setDropout(seed, -1);
      network.setParameters(original);
      if (parallel != null) {
        parallel.setThreads(threadsBefore);
      }
    }
    String method =
        reference != null
            ? String.format(
                Locale.ROOT,
                "float gradient against the double twin (bound %.0f float ulps of each entry's"
                    + " scale); the twin by central differences of loss(), ε = %.1e",
                FLOAT_ULPS,
                doubleStep())
            : String.format(
                Locale.ROOT,
                "central differences of loss() (Richardson, ε = %.1e), bound %.1e·(|a|+|n|) +"
                    + " rounding floor%s",
                epsilon(),
                threshold,
                isFloat ? "; float without a double twin: weak" : "");
    List<TensorCheck> checks = tallies.stream().map(t -> t.result(maxUnverifiableShare)).toList();
    List<TensorCheck> referenceChecks =
        referenceTallies.stream().map(t -> t.result(maxUnverifiableShare)).toList();
    return new GradientReport(
        spec.name(),
        spec.sourceFile(),
        method,
        run.cases,
        checks,
        referenceChecks,
        new ArrayList<>(run.problems));
  }

  /**
   * One call on a batch of {@code maxRows} rows of large random inputs (±30) before each case, its
   * results discarded: every buffer row then holds values no case writes, so a backward pass that
   * reads a row its batch did not write (a range off by one, a row not loaded) shows as a large
   * error instead of meeting the zeros of a fresh instance.
   */
  private void poisonBuffers(Run run) {
    NetworkSpec spec = network.spec();
    int rows = network.maxRows();
    Batch poison = Batch.forSpec(spec, rows);
    Rng rng = new Rng(seed ^ 0x706f69736f6eL);
    for (int i = 0; i < rows * spec.inputWidth(); i++) {
      poison.x[i] = 60 * rng.nextDouble() - 30;
    }
    if (poison.hasLabels()) {
      for (int r = 0; r < rows; r++) {
        poison.labels[r] = rng.nextInt(spec.targetWidth());
      }
    } else {
      for (int i = 0; i < rows * spec.targetWidth(); i++) {
        poison.targets[i] = rng.nextDouble();
      }
    }
    poison.setRows(rows);
    try {
      network.lossAndGradient(poison);
      network.loss(poison);
    } catch (RuntimeException e) {
      run.problems.add("a batch of " + rows + " rows: the network threw " + e);
    }
  }

  /** The state of one check: its tallies, cases and problems. */
  private final class Run {
    final List<Tally> tallies;
    final List<Tally> referenceTallies;
    final List<String> cases = new ArrayList<>();
    final Set<String> problems = new LinkedHashSet<>();

    Run(List<Tally> tallies, List<Tally> referenceTallies) {
      this.tallies = tallies;
      this.referenceTallies = referenceTallies;
    }

    void runCase(Batch batch, int point, boolean namePoint) {
      NetworkSpec spec = network.spec();
      int rows = batch.rows();
      String label = rows + (rows == 1 ? " row" : " rows") + (namePoint ? ", point " + point : "");
      int count = spec.parameterCount();
      double[] first = new double[count];
      double[] gradient = new double[count];
      DataParallel parallel = network instanceof DataParallel p ? p : null;
      boolean split = parallel != null && rows >= parallel.splitRows();
      StringBuilder caseText = new StringBuilder(label);
      try {
        if (parallel != null) {
          parallel.setThreads(1);
        }
        poisonBuffers(this);
        double loss1 = network.lossAndGradient(batch);
        network.getGradient(first);
        double loss0 = network.loss(batch);
        double loss2 = network.lossAndGradient(batch);
        network.getGradient(gradient);
        double loss3 = network.loss(batch);
        caseText.append(": lossAndGradient(), loss(), lossAndGradient(), loss()");
        if (Double.doubleToLongBits(loss0) != Double.doubleToLongBits(loss3)) {
          problems.add(label + ": loss() gave " + loss0 + ", then " + loss3 + " on the same batch");
        }
        if (Double.doubleToLongBits(loss1) != Double.doubleToLongBits(loss2)) {
          problems.add(
              label
                  + ": lossAndGradient returned "
                  + loss1
                  + ", then "
                  + loss2
                  + " on the same batch (state left over from the first call?)");
        }
        double bound = lossBound(loss0, rows, spec.outputWidth(), isFloat);
        if (!(Math.abs(loss1 - loss0) <= bound)) {
          problems.add(
              String.format(
                  Locale.ROOT,
                  "%s: lossAndGradient returned %.17g but loss() is %.17g (|difference| %.1e,"
                      + " bound %.1e): the loss written with the gradient is wrong",
                  label,
                  loss1,
                  loss0,
                  Math.abs(loss1 - loss0),
                  bound));
        }
        secondCall(label, first, gradient);
        if (split) {
          caseText.append("; threads 1");
          for (int threads = 2; threads <= 3; threads++) {
            try {
              parallel.setThreads(threads);
            } catch (IllegalArgumentException notSupported) {
              continue;
            }
            caseText.append(", ").append(threads);
            // three times, each after a poisoning call on 1 thread: a part of the weights phase
            // that the threads leave undone keeps the poison, and a race gets three chances
            for (int repeat = 0; repeat < 3; repeat++) {
              parallel.setThreads(1);
              poisonBuffers(this);
              parallel.setThreads(threads);
              double lossT = network.lossAndGradient(batch);
              network.getGradient(first);
              if (Double.doubleToLongBits(lossT) != Double.doubleToLongBits(loss2)) {
                problems.add(
                    label
                        + ": the loss on "
                        + threads
                        + " threads is "
                        + lossT
                        + ", on 1 "
                        + loss2);
              }
              differingEntries(label, threads + " threads", first, gradient);
            }
            parallel.setThreads(1);
          }
          caseText.append(" (split at ").append(parallel.splitRows()).append(" rows)");
        }
        if (parallel != null) {
          caseText.append("; ").append(blocksAgainstWhole(parallel, batch, label, loss2, gradient));
        }
        if (split) {
          caseText.append("; ").append(splitAgainstWhole(batch, label, parallel.splitRows()));
        }
        if (reference == null) {
          if (!split) {
            differences(network, batch, gradient, loss0, tallies, false);
          }
        } else {
          againstTwin(batch, label, gradient, loss0, split);
        }
      } catch (RuntimeException | StackOverflowError e) {
        problems.add(label + ": the network threw " + e);
      }
      cases.add(caseText.toString());
    }

    /**
     * The per-block path a cluster runs ({@link DataParallel#blockLossAndGradient}) against the
     * step: the block losses and gradients, summed in the pairwise tree of {@link BlockSums}, must
     * equal {@code lossAndGradient}'s to rounding. Each dW element is then a tree of per-block
     * chains instead of one chain over the rows: the bound is {@link #SPLIT_ULPS} unit roundoffs
     * per row of Σ_b |g_b| (plus {@link #SPLIT_TENSOR_SHARE} of the tensor's largest, for the
     * cancellation inside a block). The losses are the same block chains in the same tree, in
     * double whatever the precision (only the penalty joins block 0 instead of the total): within
     * 8·(blocks + 1) double unit roundoffs of Σ_b |loss_b|. Run on every batch: on a batch of one
     * block, that block alone must be the whole (the penalty in block 0, not another).
     */
    String blocksAgainstWhole(
        DataParallel parallel, Batch batch, String label, double loss, double[] gradient) {
      NetworkSpec spec = network.spec();
      int count = spec.parameterCount();
      int rows = batch.rows();
      int blocks = parallel.blocks(rows);
      double[][] perBlock = new double[blocks][count];
      double[] losses = new double[blocks];
      // a step at other parameters first: a per-block path that reuses the step's state (Wᵀ)
      // instead of computing its own then reads stale values
      double[] parameters = new double[count];
      network.getParameters(parameters);
      double[] other = parameters.clone();
      for (int i = 0; i < count; i++) {
        other[i] = 1.5 * other[i] + 0.01;
      }
      network.setParameters(other);
      poisonBuffers(this);
      network.setParameters(parameters);
      for (int b = 0; b < blocks; b++) {
        Arrays.fill(perBlock[b], Double.NaN);
        losses[b] = parallel.blockLossAndGradient(batch, b, perBlock[b]);
      }
      double blockLoss = BlockSums.pairwise(losses, 0, blocks);
      double[] sum = new double[count];
      BlockSums.pairwise(perBlock, blocks, sum);
      double lossSum = 0;
      for (double l : losses) {
        lossSum += Math.abs(l);
      }
      double lossLimit = 8.0 * (blocks + 1) * DOUBLE_U * lossSum + Double.MIN_NORMAL;
      if (!(Math.abs(blockLoss - loss) <= lossLimit)) {
        problems.add(
            String.format(
                Locale.ROOT,
                "%s: the %d block losses (blockLossAndGradient) sum to %.17g, lossAndGradient"
                    + " returned %.17g (bound %.1e)",
                label,
                blocks,
                blockLoss,
                loss,
                lossLimit));
      }
      double u = isFloat ? FLOAT_U : DOUBLE_U;
      for (Tally tally : tallies) {
        TensorSpec tensor = tally.tensor;
        double[] scale = new double[tensor.size()];
        double largest = 0;
        for (int i = 0; i < tensor.size(); i++) {
          for (int b = 0; b < blocks; b++) {
            scale[i] += Math.abs(perBlock[b][tensor.offset() + i]);
          }
          largest = Math.max(largest, scale[i]);
        }
        int differing = 0;
        int worst = -1;
        double worstRatio = 0;
        for (int i = 0; i < tensor.size(); i++) {
          int at = tensor.offset() + i;
          double bound = SPLIT_ULPS * rows * u * (scale[i] + largest * SPLIT_TENSOR_SHARE);
          double gap = Math.abs(sum[at] - gradient[at]);
          if (!(gap <= bound)) {
            differing++;
            double ratio = bound > 0 ? gap / bound : Double.POSITIVE_INFINITY;
            if (worst < 0 || !(ratio <= worstRatio)) {
              worst = i;
              worstRatio = ratio;
            }
          }
        }
        if (differing > 0) {
          problems.add(
              String.format(
                  Locale.ROOT,
                  "%s: the %d blocks' gradients (blockLossAndGradient) sum to another %s than"
                      + " lossAndGradient's in %d entries, e.g. [%d, %d]: %.9g vs %.9g",
                  label,
                  blocks,
                  tensor.name(),
                  differing,
                  worst / tensor.cols(),
                  worst % tensor.cols(),
                  sum[tensor.offset() + worst],
                  gradient[tensor.offset() + worst]));
        }
      }
      return blocks
          + (blocks == 1 ? " block" : " blocks")
          + " (blockLossAndGradient) against the whole";
    }

    /**
     * The split path against the whole one, with no finite difference (a relu network's loss has a
     * kink every few 1e-6 on a batch this large): S, the first n rows of the batch (n < split ≤ 2n,
     * computed whole), and S repeated twice and three times (both split). Whatever the loss's
     * reduction (a mean or a sum over the rows), with the penalty's m fixed the gradient is affine
     * in the number of copies: g(3S) − g(2S) = g(2S) − g(S), within rounding of the row sums.
     */
    String splitAgainstWhole(Batch batch, String label, int splitRows) {
      int n = (splitRows + 1) / 2;
      if (n >= splitRows || 3 * n > network.maxRows() || n > batch.rows()) {
        return "split path against the whole: not run (needs " + 3 * n + " rows of buffers)";
      }
      NetworkSpec spec = network.spec();
      int count = spec.parameterCount();
      double[][] g = new double[3][count];
      network.setPenaltyExampleCount(3 * n);
      // without dropout: the copies of a row sit at other batch rows, which draw other masks
      network.setDropout(seed, -1);
      try {
        for (int copies = 1; copies <= 3; copies++) {
          Batch repeated = Batch.forSpec(spec, copies * n);
          for (int c = 0; c < copies; c++) {
            System.arraycopy(
                batch.x, 0, repeated.x, c * n * spec.inputWidth(), n * spec.inputWidth());
            if (batch.hasLabels()) {
              System.arraycopy(batch.labels, 0, repeated.labels, c * n, n);
            } else {
              System.arraycopy(
                  batch.targets,
                  0,
                  repeated.targets,
                  c * n * spec.targetWidth(),
                  n * spec.targetWidth());
            }
          }
          repeated.setRows(copies * n);
          network.lossAndGradient(repeated);
          network.getGradient(g[copies - 1]);
        }
      } finally {
        network.setPenaltyExampleCount(0);
        network.setDropout(seed, 0);
      }
      double u = isFloat ? FLOAT_U : DOUBLE_U;
      for (Tally tally : tallies) {
        TensorSpec tensor = tally.tensor;
        double largest = 0;
        for (int i = tensor.offset(); i < tensor.offset() + tensor.size(); i++) {
          largest = Math.max(largest, Math.abs(g[0][i]) + Math.abs(g[1][i]) + Math.abs(g[2][i]));
        }
        int differing = 0;
        int worst = -1;
        double worstRatio = 0;
        for (int i = tensor.offset(); i < tensor.offset() + tensor.size(); i++) {
          double scale = Math.abs(g[0][i]) + Math.abs(g[1][i]) + Math.abs(g[2][i]);
          double bound = SPLIT_ULPS * 3 * n * u * (scale + largest * SPLIT_TENSOR_SHARE);
          double gap = Math.abs((g[2][i] - g[1][i]) - (g[1][i] - g[0][i]));
          if (!(gap <= bound)) {
            differing++;
            double ratio = bound > 0 ? gap / bound : Double.POSITIVE_INFINITY;
            if (worst < 0 || !(ratio <= worstRatio)) {
              worst = i;
              worstRatio = ratio;
            }
          }
        }
        if (differing > 0) {
          int local = worst - tensor.offset();
          problems.add(
              String.format(
                  Locale.ROOT,
                  "%s: the split path (batches of %d and %d rows) disagrees with the whole one"
                      + " (%d rows) in %d entries of %s, e.g. [%d, %d]: g(S) %.9g, g(2S) %.9g,"
                      + " g(3S) %.9g are not evenly spaced",
                  label,
                  2 * n,
                  3 * n,
                  n,
                  differing,
                  tensor.name(),
                  local / tensor.cols(),
                  local % tensor.cols(),
                  g[0][worst],
                  g[1][worst],
                  g[2][worst]));
        }
      }
      return "split path: " + n + " rows whole against " + 2 * n + " and " + 3 * n + " split";
    }

    /** The second call's gradient must equal the first bit for bit. */
    void secondCall(String label, double[] first, double[] second) {
      differingEntries(
          label,
          "a second lossAndGradient call (the first came right after a larger batch)",
          first,
          second);
    }

    void differingEntries(String label, String what, double[] expected, double[] actual) {
      for (Tally tally : tallies) {
        TensorSpec tensor = tally.tensor;
        int differing = 0;
        int firstIndex = -1;
        for (int i = tensor.offset(); i < tensor.offset() + tensor.size(); i++) {
          if (Double.doubleToLongBits(expected[i]) != Double.doubleToLongBits(actual[i])) {
            if (differing++ == 0) {
              firstIndex = i;
            }
          }
        }
        if (differing > 0) {
          int local = firstIndex - tensor.offset();
          problems.add(
              String.format(
                  Locale.ROOT,
                  "%s: %s gives another %s in %d entries (first [%d, %d]: %.17g vs %.17g)",
                  label,
                  what,
                  tensor.name(),
                  differing,
                  local / tensor.cols(),
                  local % tensor.cols(),
                  actual[firstIndex],
                  expected[firstIndex]));
        }
      }
    }

    /** Float network: every entry against the double twin, the twin by finite differences. */
    void againstTwin(
        Batch batch, String label, double[] gradient, double floatLoss, boolean split) {
      NetworkSpec spec = network.spec();
      int count = spec.parameterCount();
      double[] parameters = new double[count];
      network.getParameters(parameters);
      reference.setParameters(parameters);
      double twinLoss = reference.loss(batch);
      double twinLossAndGradient = reference.lossAndGradient(batch);
      double[] twinGradient = new double[count];
      reference.getGradient(twinGradient);
      int rows = batch.rows();
      if (!(Math.abs(twinLossAndGradient - twinLoss)
          <= lossBound(twinLoss, rows, spec.outputWidth(), false))) {
        problems.add(
            label
                + ": the double twin's lossAndGradient returned "
                + twinLossAndGradient
                + " but its loss() is "
                + twinLoss);
      }
      double floatBound =
          FLOAT_ULPS * FLOAT_U * Math.abs(twinLoss) * Math.sqrt(rows * spec.outputWidth() + 1.0);
      if (!(Math.abs(floatLoss - twinLoss) <= floatBound)) {
        problems.add(
            String.format(
                Locale.ROOT,
                "%s: the float loss is %.9g, the double twin's %.9g (bound %.1e)",
                label,
                floatLoss,
                twinLoss,
                floatBound));
      }
      double[] scale = entryScales(batch, twinGradient);
      if (split) {
        for (Tally twin : referenceTallies) {
          Arrays.fill(twin.last, NONE);
        }
      } else {
        differences(reference, batch, twinGradient, twinLoss, referenceTallies, false);
      }
      for (int t = 0; t < tallies.size(); t++) {
        Tally tally = tallies.get(t);
        Tally twin = referenceTallies.get(t);
        for (int k = 0; k < tally.indices.length; k++) {
          int index = tally.indices[k];
          double a = gradient[index];
          double d = twinGradient[index];
          double bound = FLOAT_ULPS * FLOAT_U * scale[index] + Float.MIN_NORMAL;
          double error = Math.abs(a - d);
          byte outcome;
          if (!(error <= bound)) {
            outcome = FAILED;
          } else {
            byte twinOutcome = twin.lastOutcome(index);
            outcome = twinOutcome == NONE ? VERIFIED : twinOutcome;
          }
          tally.record(k, outcome, a, d, error, bound);
        }
      }
    }

    /**
     * The scale of each gradient entry before cancellation: |g| plus c · Σ_r |g_r|, g_r the twin's
     * gradient on row r alone and c the batch's reduction (fitted: g ≈ c · Σ_r g_r).
     */
    double[] entryScales(Batch batch, double[] twinGradient) {
      NetworkSpec spec = network.spec();
      int count = spec.parameterCount();
      int rows = batch.rows();
      double[] sumAbs = new double[count];
      double[] sum = new double[count];
      double[] rowGradient = new double[count];
      Batch one = Batch.forSpec(spec, 1);
      for (int r = 0; r < rows; r++) {
        System.arraycopy(batch.x, r * spec.inputWidth(), one.x, 0, spec.inputWidth());
        if (batch.hasLabels()) {
          one.labels[0] = batch.labels[r];
        } else {
          System.arraycopy(
              batch.targets, r * spec.targetWidth(), one.targets, 0, spec.targetWidth());
        }
        one.setRows(1);
        reference.lossAndGradient(one);
        reference.getGradient(rowGradient);
        for (int i = 0; i < count; i++) {
          sumAbs[i] += Math.abs(rowGradient[i]);
          sum[i] += rowGradient[i];
        }
      }
      double dot = 0;
      double norm = 0;
      for (int i = 0; i < count; i++) {
        dot += twinGradient[i] * sum[i];
        norm += sum[i] * sum[i];
      }
      double c = norm > 0 ? dot / norm : 1;
      c = Math.max(1.0 / rows, Math.min(1.0, c));
      double[] scale = new double[count];
      for (int i = 0; i < count; i++) {
        scale[i] = Math.abs(twinGradient[i]) + c * sumAbs[i];
      }
      return scale;
    }

    /** Finite differences of {@code net.loss} for the tallies' entries. */
    void differences(
        Network net,
        Batch batch,
        double[] gradient,
        double center,
        List<Tally> into,
        boolean fewEntries) {
      boolean floatNet = net.spec().precision() == NetworkSpec.Precision.FLOAT;
      double step = net == reference ? doubleStep() : epsilon();
      double relative = net == reference ? 1e-6 : threshold;
      double[] probe = new double[net.spec().parameterCount()];
      net.getParameters(probe);
      double ulps = 16 + 2 * Math.sqrt((double) batch.rows() * net.spec().outputWidth());
      try {
        for (Tally tally : into) {
          Arrays.fill(tally.last, NONE);
          int limit = fewEntries ? Math.min(tally.indices.length, 24) : tally.indices.length;
          for (int k = 0; k < limit; k++) {
            int index = tally.indices[k];
            Entry entry =
                entry(net, probe, index, batch, center, gradient[index], step, relative, ulps);
            tally.record(
                k, entry.outcome, gradient[index], entry.numeric, entry.error, entry.bound);
          }
        }
      } finally {
        net.setParameters(probe);
      }
    }

    Entry entry(
        Network net,
        double[] probe,
        int index,
        Batch batch,
        double center,
        double analytic,
        double step,
        double relative,
        double ulps) {
      boolean floatNet = net.spec().precision() == NetworkSpec.Precision.FLOAT;
      Side one = side(net, probe, index, batch, step, floatNet);
      Side two = side(net, probe, index, batch, 2 * step, floatNet);
      double largest =
          Math.max(
              Math.abs(center),
              Math.max(
                  Math.max(Math.abs(one.plus), Math.abs(one.minus)),
                  Math.max(Math.abs(two.plus), Math.abs(two.minus))));
      double ulp = floatNet ? Math.ulp((float) largest) : Math.ulp(largest);
      double rounding = ulps * ulp;
      double numeric = (4 * one.central() - two.central()) / 3;
      double floor =
          (4.0 / 3) * 2 * rounding / one.width() + (1.0 / 3) * 2 * rounding / two.width();
      double error = Math.abs(analytic - numeric);
      double bound = relative * (Math.abs(analytic) + Math.abs(numeric)) + floor;
      if (!Double.isFinite(analytic)) {
        return new Entry(FAILED, numeric, error, bound);
      }
      if (!Double.isFinite(numeric)) {
        return new Entry(BELOW_RESOLUTION, numeric, error, bound);
      }
      if (error <= bound) {
        boolean resolved =
            analytic == numeric
                || Math.max(Math.abs(analytic), Math.abs(numeric)) >= RESOLUTION * floor;
        return new Entry(resolved ? VERIFIED : BELOW_RESOLUTION, numeric, error, bound);
      }
      if (nonSmooth) {
        byte verdict = kink(analytic, center, one, two, rounding, relative);
        if (verdict == NONE) {
          // not smooth at ε, and the analytic value on neither side: look closer, at ε/10
          Side closeOne = side(net, probe, index, batch, step / 10, floatNet);
          Side closeTwo = side(net, probe, index, batch, step / 5, floatNet);
          verdict = kink(analytic, center, closeOne, closeTwo, rounding, relative);
          if (verdict == NONE) {
            verdict = oneSide(analytic, center, one, two, closeOne, closeTwo, rounding, relative);
          } else if (verdict == SMOOTH) {
            // smooth at ε/10: judged there, and never counted as verified after a second look
            double closer = (4 * closeOne.central() - closeTwo.central()) / 3;
            double closeFloor =
                (4.0 / 3) * 2 * rounding / closeOne.width()
                    + (1.0 / 3) * 2 * rounding / closeTwo.width();
            double closeBound = relative * (Math.abs(analytic) + Math.abs(closer)) + closeFloor;
            verdict = Math.abs(analytic - closer) <= closeBound ? KINK : FAILED;
          }
        }
        if (verdict == KINK) {
          return new Entry(KINK, numeric, error, bound);
        }
      }
      return new Entry(FAILED, numeric, error, bound);
    }

    /**
     * At steps h and 2h: the one-sided Richardson slopes {@code 2·S(h) − S(2h)} from the left and
     * from the right. SMOOTH when they agree (then the central difference is trustworthy), KINK
     * when they disagree and the analytic gradient equals one of them (the derivative on the side
     * without the kink), NONE when they disagree and it equals neither.
     */
    byte kink(double analytic, double center, Side one, Side two, double rounding, double rel) {
      double left = 2 * one.left(center) - two.left(center);
      double right = 2 * one.right(center) - two.right(center);
      double h = one.width() / 2;
      double sideFloor = 5 * rounding / h;
      double leftBound = rel * (Math.abs(left) + Math.abs(analytic)) + sideFloor;
      double rightBound = rel * (Math.abs(right) + Math.abs(analytic)) + sideFloor;
      // Smooth, R(h) = f′ + f″h/2 + f‴h²/6 and L(h) = f′ − f″h/2 + f‴h²/6: the one-sided slopes
      // agree after extrapolation, and they change by the same f″h/2 from h to 2h on both sides (a
      // kink at distance d < 2h breaks one of the two, whatever d).
      double curvatureRight = two.right(center) - one.right(center);
      double curvatureLeft = one.left(center) - two.left(center);
      double slopes = Math.abs(one.left(center)) + Math.abs(one.right(center));
      boolean smooth =
          Math.abs(left - right) <= rel * (Math.abs(left) + Math.abs(right)) + 2 * sideFloor
              && Math.abs(curvatureRight - curvatureLeft) <= rel * slopes + 2 * sideFloor;
      if (smooth) {
        return SMOOTH;
      }
      if (Math.abs(analytic - left) <= leftBound || Math.abs(analytic - right) <= rightBound) {
        return KINK;
      }
      return NONE;
    }

    /**
     * Neither side agrees at ε or at ε/10: a side on which the loss is smooth has slopes linear in
     * the step, R(h) = f′ + f″h/2 (to O(h²)) at h = ε/10, ε/5, ε and 2ε. If a side is, the analytic
     * gradient must be its extrapolation to h = 0 (FAILED otherwise); if neither is, there are
     * kinks on both sides within 2ε and nothing can be said (KINK).
     */
    byte oneSide(
        double analytic,
        double center,
        Side one,
        Side two,
        Side closeOne,
        Side closeTwo,
        double rounding,
        double rel) {
      double h = closeOne.width() / 2;
      double floor = 2 * rounding / h;
      boolean anySmooth = false;
      for (int sign = -1; sign <= 1; sign += 2) {
        double s1 = sign > 0 ? closeOne.right(center) : closeOne.left(center);
        double s2 = sign > 0 ? closeTwo.right(center) : closeTwo.left(center);
        double s10 = sign > 0 ? one.right(center) : one.left(center);
        double s20 = sign > 0 ? two.right(center) : two.left(center);
        double zero = 2 * s1 - s2;
        double perStep = (s2 - s1) / h;
        double scale = rel * (Math.abs(s1) + Math.abs(s10) + Math.abs(s20));
        boolean linear =
            Math.abs(zero + perStep * 10 * h - s10) <= scale + 30 * floor
                && Math.abs(zero + perStep * 20 * h - s20) <= scale + 60 * floor;
        if (linear) {
          anySmooth = true;
          if (Math.abs(analytic - zero)
              <= rel * (Math.abs(analytic) + Math.abs(zero)) + 5 * floor) {
            return KINK;
          }
        }
      }
      return anySmooth ? FAILED : KINK;
    }

    /** f(p − h) and f(p + h), and the parameter values actually set. */
    Side side(Network net, double[] probe, int index, Batch batch, double h, boolean floatNet) {
      double saved = probe[index];
      try {
        double up = floatNet ? (float) (saved + h) : saved + h;
        double down = floatNet ? (float) (saved - h) : saved - h;
        double at = floatNet ? (float) saved : saved;
        probe[index] = up;
        net.setParameters(probe);
        double plus = net.loss(batch);
        probe[index] = down;
        net.setParameters(probe);
        double minus = net.loss(batch);
        return new Side(minus, plus, down, at, up);
      } finally {
        probe[index] = saved;
      }
    }
  }

  private record Entry(byte outcome, double numeric, double error, double bound) {}

  /** The loss at p − h and p + h, with the parameter values p − h, p, p + h actually taken. */
  private record Side(double minus, double plus, double down, double at, double up) {
    double width() {
      return up - down;
    }

    double central() {
      return (plus - minus) / width();
    }

    double right(double center) {
      return (plus - center) / (up - at);
    }

    double left(double center) {
      return (center - minus) / (at - down);
    }
  }

  static final byte NONE = 0;
  static final byte VERIFIED = 1;
  static final byte KINK = 2;
  static final byte BELOW_RESOLUTION = 3;
  static final byte FAILED = 4;
  static final byte SMOOTH = 5;

  /** The outcomes of one tensor's checked entries over every case. */
  private static final class Tally {
    final TensorSpec tensor;
    final int[] indices;
    final byte[] state;
    final byte[] last;
    final boolean[] exercised;
    int shownFailed = -1;
    double shownFailedRatio = -1;
    int shownVerified = -1;
    double shownVerifiedRatio = -1;
    final double[] shown = new double[8];
    final java.util.Map<Integer, Integer> position = new java.util.HashMap<>();

    Tally(TensorSpec tensor, int[] indices) {
      this.tensor = tensor;
      this.indices = indices;
      this.state = new byte[indices.length];
      this.last = new byte[indices.length];
      this.exercised = new boolean[indices.length];
      for (int k = 0; k < indices.length; k++) {
        position.put(indices[k], k);
      }
    }

    /** The outcome of {@code index} in the latest case, or NONE when it was not checked there. */
    byte lastOutcome(int index) {
      Integer k = position.get(index);
      return k == null ? NONE : last[k];
    }

    void record(int k, byte outcome, double analytic, double numeric, double error, double bound) {
      last[k] = outcome;
      if (analytic != 0 || numeric != 0) {
        exercised[k] = true;
      }
      if (outcome == FAILED) {
        state[k] = FAILED;
      } else if (outcome == VERIFIED) {
        if (state[k] != FAILED) {
          state[k] = VERIFIED;
        }
      } else if (state[k] == NONE || state[k] == KINK || state[k] == BELOW_RESOLUTION) {
        state[k] = outcome;
      }
      double ratio = bound > 0 ? error / bound : (error == 0 ? 0 : Double.POSITIVE_INFINITY);
      if (Double.isNaN(ratio)) {
        ratio = Double.POSITIVE_INFINITY;
      }
      if (outcome == FAILED && ratio > shownFailedRatio) {
        shownFailedRatio = ratio;
        shownFailed = indices[k];
        shown[0] = analytic;
        shown[1] = numeric;
        shown[2] = error;
        shown[3] = bound;
      } else if (outcome == VERIFIED && ratio > shownVerifiedRatio) {
        shownVerifiedRatio = ratio;
        shownVerified = indices[k];
        shown[4] = analytic;
        shown[5] = numeric;
        shown[6] = error;
        shown[7] = bound;
      }
    }

    TensorCheck result(double share) {
      int verified = 0;
      int kinks = 0;
      int below = 0;
      int failed = 0;
      int checked = 0;
      int notExercised = 0;
      for (int k = 0; k < indices.length; k++) {
        switch (state[k]) {
          case VERIFIED -> verified++;
          case KINK -> kinks++;
          case BELOW_RESOLUTION -> below++;
          case FAILED -> failed++;
          default -> {
            continue;
          }
        }
        checked++;
        if (!exercised[k]) {
          notExercised++;
        }
      }
      boolean showFailed = shownFailed >= 0;
      int at = showFailed ? shownFailed : shownVerified;
      int base = showFailed ? 0 : 4;
      return new TensorCheck(
          tensor,
          checked,
          verified,
          kinks + below,
          failed,
          kinks,
          below,
          notExercised,
          at,
          at < 0 ? Double.NaN : shown[base],
          at < 0 ? Double.NaN : shown[base + 1],
          at < 0 ? Double.NaN : shown[base + 2],
          at < 0 ? Double.NaN : shown[base + 3],
          share);
    }
  }

  /**
   * A copy of the batch with inputs and dense targets rounded to float, as a float network reads.
   */
  static Batch roundedToFloat(Batch batch) {
    Batch copy = new Batch(batch.rows(), batch.inputWidth, batch.targetWidth, batch.hasLabels());
    for (int i = 0; i < batch.rows() * batch.inputWidth; i++) {
      copy.x[i] = (float) batch.x[i];
    }
    if (batch.hasLabels()) {
      System.arraycopy(batch.labels, 0, copy.labels, 0, batch.rows());
    } else {
      for (int i = 0; i < batch.rows() * batch.targetWidth; i++) {
        copy.targets[i] = (float) batch.targets[i];
      }
    }
    copy.setRows(batch.rows());
    return copy;
  }

  private static int[] allEntries(TensorSpec tensor) {
    int[] all = new int[tensor.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = tensor.offset() + i;
    }
    return all;
  }

  /**
   * All flat indices of the tensor, or a sample of {@link #maxPerTensor}: the corners of the first
   * two and last two rows and columns first (where a loop bound or a kernel range off by one
   * shows), then a seeded uniform draw; sorted, but the corners are checked first when a case
   * checks only a few entries.
   */
  private int[] entriesToCheck(TensorSpec tensor, Rng rng) {
    int size = tensor.size();
    int rowsT = tensor.rows();
    int cols = tensor.cols();
    LinkedHashSet<Integer> chosen = new LinkedHashSet<>();
    int[] edgeRows = {0, 1, rowsT - 2, rowsT - 1};
    int[] edgeCols = {0, 1, cols - 2, cols - 1};
    for (int r : edgeRows) {
      for (int c : edgeCols) {
        if (r >= 0 && c >= 0 && r < rowsT && c < cols && chosen.size() < maxPerTensor) {
          chosen.add(tensor.offset() + r * cols + c);
        }
      }
    }
    if (size <= maxPerTensor) {
      for (int i = 0; i < size; i++) {
        chosen.add(tensor.offset() + i);
      }
    } else {
      int[] all = allEntries(tensor);
      for (int i = 0; i < size && chosen.size() < maxPerTensor; i++) {
        int j = i + rng.nextInt(size - i);
        int swap = all[i];
        all[i] = all[j];
        all[j] = swap;
        chosen.add(all[i]);
      }
    }
    int[] corners = chosen.stream().mapToInt(Integer::intValue).limit(16).toArray();
    int[] sample = chosen.stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(sample);
    // The few-entry cases take the first 24: put the corners there, keep the rest sorted.
    int[] ordered = new int[sample.length];
    Set<Integer> cornerSet = new LinkedHashSet<>();
    for (int c : corners) {
      cornerSet.add(c);
    }
    int n = 0;
    for (int c : cornerSet) {
      ordered[n++] = c;
    }
    for (int s : sample) {
      if (!cornerSet.contains(s)) {
        ordered[n++] = s;
      }
    }
    return ordered;
  }
}
