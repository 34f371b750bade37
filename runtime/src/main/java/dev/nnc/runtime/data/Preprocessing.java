package dev.nnc.runtime.data;

import dev.nnc.runtime.NetworkSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The data transforms a {@code .nn} file declares, fitted on the training set and then applied
 * unchanged to every other set (validation, test, prediction inputs).
 *
 * <ol>
 *   <li>Feature powers: with {@code powers(p₁, …, p_k)} every raw column c becomes k columns c^p₁,
 *       …, c^p_k, raw column by raw column: raw columns (a, b) with powers (1, 2) give (a, a², b,
 *       b²).
 *   <li>Standardisation, when the spec's ddof is ≥ 0: each input column (after powers), and each
 *       dense target column, becomes (v − mean) / std, with the mean and the std of the training
 *       data; the std divides the sum of squares by (m − ddof). A column whose std is 0 (constant
 *       in the training data) gets std 1, so it is only centred instead of divided by zero.
 * </ol>
 *
 * <p>The fitted statistics go beside the weights ({@link #stats()}) so a trained model preprocesses
 * new inputs exactly as it was trained, and predictions can be de-standardised with {@link
 * #inverseTargets}.
 */
public final class Preprocessing {
  private final NetworkSpec spec;

  /** Null when the inputs are not standardised. */
  private final double[] inputMeans;

  private final double[] inputStds;

  /** Null when the targets are not standardised (or are labels). */
  private final double[] targetMeans;

  private final double[] targetStds;

  private Preprocessing(
      NetworkSpec spec,
      double[] inputMeans,
      double[] inputStds,
      double[] targetMeans,
      double[] targetStds) {
    this.spec = spec;
    this.inputMeans = inputMeans;
    this.inputStds = inputStds;
    this.targetMeans = targetMeans;
    this.targetStds = targetStds;
  }

  /** Fits the statistics on {@code raw}, the training data as loaded (before powers). */
  public static Preprocessing fit(NetworkSpec spec, Dataset raw) {
    checkRaw(spec, raw);
    // the statistics only read the inputs: without powers, the raw array itself (no 50 MB copy
    // of MNIST's training set to read it once)
    double[] inputMeans = null;
    double[] inputStds = null;
    if (spec.inputStandardizeDdof() >= 0) {
      double[] expanded =
          spec.featurePowers().length == 0 ? raw.x() : expandPowers(spec, raw.x(), raw.rows());
      inputMeans = columnMeans(expanded, raw.rows(), spec.inputWidth());
      inputStds =
          columnStds(
              expanded,
              raw.rows(),
              spec.inputWidth(),
              inputMeans,
              spec.inputStandardizeDdof(),
              raw.source(),
              spec.inputName());
    }
    double[] targetMeans = null;
    double[] targetStds = null;
    if (standardizesTargets(spec)) {
      targetMeans = columnMeans(raw.targets(), raw.rows(), raw.targetWidth());
      targetStds =
          columnStds(
              raw.targets(),
              raw.rows(),
              raw.targetWidth(),
              targetMeans,
              spec.targetStandardizeDdof(),
              raw.source(),
              spec.targetName());
    }
    return new Preprocessing(spec, inputMeans, inputStds, targetMeans, targetStds);
  }

  /**
   * Rebuilds a fitted preprocessing from {@link #stats()} as saved beside the weights.
   *
   * @throws DataFormatException if a statistic the spec needs is missing or has the wrong length
   */
  public static Preprocessing fromStats(NetworkSpec spec, Map<String, NpyArray> stats) {
    double[] inputMeans = null;
    double[] inputStds = null;
    if (spec.inputStandardizeDdof() >= 0) {
      inputMeans = stat(stats, spec.inputName() + ".mean", spec.inputWidth());
      inputStds = stat(stats, spec.inputName() + ".std", spec.inputWidth());
    }
    double[] targetMeans = null;
    double[] targetStds = null;
    if (standardizesTargets(spec)) {
      targetMeans = stat(stats, spec.targetName() + ".mean", spec.targetWidth());
      targetStds = stat(stats, spec.targetName() + ".std", spec.targetWidth());
    }
    return new Preprocessing(spec, inputMeans, inputStds, targetMeans, targetStds);
  }

  /**
   * The fitted statistics, as {@code (width,)} {@code <f8} arrays named {@code <input>.mean},
   * {@code <input>.std}, {@code <target>.mean}, {@code <target>.std}; only those the spec
   * standardises are present (none at all without standardisation).
   */
  public Map<String, NpyArray> stats() {
    Map<String, NpyArray> stats = new LinkedHashMap<>();
    if (inputMeans != null) {
      stats.put(
          spec.inputName() + ".mean", NpyArray.ofDoubles(inputMeans.clone(), inputMeans.length));
      stats.put(spec.inputName() + ".std", NpyArray.ofDoubles(inputStds.clone(), inputStds.length));
    }
    if (targetMeans != null) {
      stats.put(
          spec.targetName() + ".mean", NpyArray.ofDoubles(targetMeans.clone(), targetMeans.length));
      stats.put(
          spec.targetName() + ".std", NpyArray.ofDoubles(targetStds.clone(), targetStds.length));
    }
    return stats;
  }

  /**
   * A new dataset: inputs with powers and standardisation applied, dense targets standardised. When
   * there is nothing to transform, {@code raw} itself (datasets are immutable): copying MNIST's
   * 8,000 training rows cost a 50 MB array and a garbage collection at start-up.
   */
  public Dataset apply(Dataset raw) {
    checkRaw(spec, raw);
    if (spec.featurePowers().length == 0
        && inputMeans == null
        && (raw.targets() == null || targetMeans == null)) {
      return raw;
    }
    double[] x = transformInputs(raw.x(), raw.rows());
    double[] targets = raw.targets();
    if (targets != null && targetMeans != null) {
      targets = targets.clone();
      standardize(targets, raw.rows(), raw.targetWidth(), targetMeans, targetStds);
    }
    return new Dataset(
        raw.source(), raw.rows(), spec.inputWidth(), x, raw.targetWidth(), targets, raw.labels());
  }

  /**
   * Raw input rows ({@code rows × rawInputWidth}, row-major) as the network sees them: powers, then
   * standardisation. For predicting on new inputs.
   */
  public double[] transformInputs(double[] rawX, int rows) {
    if (rawX.length != rows * spec.rawInputWidth()) {
      throw new IllegalArgumentException(
          rawX.length + " input values for " + rows + " rows of " + spec.rawInputWidth());
    }
    double[] x = expandPowers(spec, rawX, rows);
    if (inputMeans != null) {
      standardize(x, rows, spec.inputWidth(), inputMeans, inputStds);
    }
    return x;
  }

  /**
   * Network outputs in standardised target units ({@code rows × targetWidth}, row-major) back in
   * the data's own units: v · std + mean per column; a copy when targets are not standardised.
   */
  public double[] inverseTargets(double[] standardized) {
    double[] values = standardized.clone();
    if (targetMeans == null) {
      return values;
    }
    int width = targetMeans.length;
    if (values.length % width != 0) {
      throw new IllegalArgumentException(values.length + " values are not rows of " + width);
    }
    for (int i = 0; i < values.length; i++) {
      int column = i % width;
      values[i] = values[i] * targetStds[column] + targetMeans[column];
    }
    return values;
  }

  /** Whether the inputs are standardised. */
  public boolean standardizesInputs() {
    return inputMeans != null;
  }

  /** Whether the dense targets are standardised. */
  public boolean standardizesTargets() {
    return targetMeans != null;
  }

  /** The fitted input means (after powers), or null without input standardisation. */
  public double[] inputMeans() {
    return inputMeans == null ? null : inputMeans.clone();
  }

  /** The fitted input stds (zeros replaced by 1), or null without input standardisation. */
  public double[] inputStds() {
    return inputStds == null ? null : inputStds.clone();
  }

  /** The fitted target means, or null without target standardisation. */
  public double[] targetMeans() {
    return targetMeans == null ? null : targetMeans.clone();
  }

  /** The fitted target stds (zeros replaced by 1), or null without target standardisation. */
  public double[] targetStds() {
    return targetStds == null ? null : targetStds.clone();
  }

  private static boolean standardizesTargets(NetworkSpec spec) {
    return spec.targetKind() == NetworkSpec.TargetKind.DENSE && spec.targetStandardizeDdof() >= 0;
  }

  private static void checkRaw(NetworkSpec spec, Dataset raw) {
    if (raw.inputWidth() != spec.rawInputWidth()) {
      throw new IllegalArgumentException(
          raw.source()
              + ": "
              + raw.inputWidth()
              + (raw.inputWidth() == 1 ? " input column" : " input columns")
              + ", network "
              + spec.name()
              + " reads "
              + spec.rawInputWidth()
              + (spec.rawInputWidth() == 1 ? " raw column of " : " raw columns of ")
              + spec.inputName());
    }
    boolean wantsLabels = spec.targetKind() == NetworkSpec.TargetKind.LABELS;
    if (wantsLabels != raw.hasLabels()) {
      throw new IllegalArgumentException(
          raw.source()
              + ": has "
              + (raw.hasLabels() ? "labels" : "dense targets")
              + ", network "
              + spec.name()
              + " expects "
              + (wantsLabels ? "labels" : "dense targets"));
    }
    if (!wantsLabels && raw.targetWidth() != spec.targetWidth()) {
      throw new IllegalArgumentException(
          raw.source()
              + ": "
              + raw.targetWidth()
              + (raw.targetWidth() == 1 ? " target column" : " target columns")
              + ", network "
              + spec.name()
              + " expects "
              + spec.targetWidth()
              + " for "
              + spec.targetName());
    }
  }

  /** Each raw column c → c^p for each power p, raw column by raw column. */
  private static double[] expandPowers(NetworkSpec spec, double[] rawX, int rows) {
    int[] powers = spec.featurePowers();
    if (powers.length == 0) {
      return rawX.clone();
    }
    int rawWidth = spec.rawInputWidth();
    int width = rawWidth * powers.length;
    double[] x = new double[rows * width];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < rawWidth; c++) {
        double value = rawX[r * rawWidth + c];
        for (int k = 0; k < powers.length; k++) {
          x[r * width + c * powers.length + k] = power(value, powers[k]);
        }
      }
    }
    return x;
  }

  /** v^p; 1 and 2 spelled out so they are exact, as numpy's {@code x**2} is. */
  private static double power(double value, int power) {
    return switch (power) {
      case 1 -> value;
      case 2 -> value * value;
      default -> StrictMath.pow(value, power);
    };
  }

  private static double[] columnMeans(double[] values, int rows, int width) {
    double[] means = new double[width];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < width; c++) {
        means[c] += values[r * width + c];
      }
    }
    for (int c = 0; c < width; c++) {
      means[c] /= rows;
    }
    return means;
  }

  private static double[] columnStds(
      double[] values, int rows, int width, double[] means, int ddof, String source, String name) {
    if (rows - ddof <= 0) {
      throw new IllegalArgumentException(
          source
              + ": standardising "
              + name
              + " with ddof "
              + ddof
              + " needs more than "
              + ddof
              + " rows, got "
              + rows);
    }
    double[] stds = new double[width];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < width; c++) {
        double deviation = values[r * width + c] - means[c];
        stds[c] += deviation * deviation;
      }
    }
    for (int c = 0; c < width; c++) {
      stds[c] = Math.sqrt(stds[c] / (rows - ddof));
      if (stds[c] == 0) {
        stds[c] = 1; // a constant column: centre it, do not divide by zero
      }
    }
    return stds;
  }

  private static void standardize(
      double[] values, int rows, int width, double[] means, double[] stds) {
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < width; c++) {
        int i = r * width + c;
        values[i] = (values[i] - means[c]) / stds[c];
      }
    }
  }

  private static double[] stat(Map<String, NpyArray> stats, String name, int width) {
    NpyArray array = stats.get(name);
    if (array == null) {
      throw new DataFormatException(
          "preprocessing statistics: missing array '"
              + name
              + "' (have: "
              + String.join(", ", stats.keySet())
              + ")");
    }
    if (array.size() != width) {
      throw new DataFormatException(
          "preprocessing statistics: array '"
              + name
              + "' has "
              + array.size()
              + " values, expected "
              + width);
    }
    return array.data().clone();
  }
}
