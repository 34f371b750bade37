package dev.nnc.runtime.data;

import java.util.Map;

/**
 * Helpers on {@link Dataset}s: one-hot targets, subsets by rows, a train/validation split, a check
 * that every value is finite, and a dataset from arrays of an {@code .npz} archive. Subsets copy
 * their rows and keep the source's name, so errors about them still name the file.
 */
public final class Datasets {
  private Datasets() {}

  /** Two parts of a dataset: its first rows and the rest. */
  public record Split(Dataset first, Dataset rest) {}

  /**
   * Row-major one-hot rows ({@code labels.length × classes}): row r has a 1 in column {@code
   * labels[r]}.
   *
   * @throws IllegalArgumentException when a label is outside {@code 0 .. classes − 1}
   */
  public static double[] oneHot(int[] labels, int classes) {
    if (classes <= 0) {
      throw new IllegalArgumentException("need at least one class, got " + classes);
    }
    double[] encoded = new double[labels.length * classes];
    for (int r = 0; r < labels.length; r++) {
      if (labels[r] < 0 || labels[r] >= classes) {
        throw new IllegalArgumentException(
            "label " + labels[r] + " in row " + r + " is outside 0.." + (classes - 1));
      }
      encoded[r * classes + labels[r]] = 1;
    }
    return encoded;
  }

  /** The dataset with its labels replaced by one-hot dense targets of width {@code classes}. */
  public static Dataset oneHot(Dataset data, int classes) {
    if (!data.hasLabels()) {
      throw new IllegalArgumentException(data.source() + " has dense targets, not labels");
    }
    return new Dataset(
        data.source(),
        data.rows(),
        data.inputWidth(),
        data.x(),
        classes,
        oneHot(data.labels(), classes),
        null);
  }

  /** The first {@code rows} rows (all of them when there are fewer). */
  public static Dataset head(Dataset data, int rows) {
    if (rows < 0) {
      throw new IllegalArgumentException("rows must be ≥ 0, got " + rows);
    }
    return range(data, 0, Math.min(rows, data.rows()));
  }

  /** The rows at {@code indices}, in that order (repeats allowed). */
  public static Dataset rows(Dataset data, int[] indices) {
    int inputs = data.inputWidth();
    int width = data.targetWidth();
    double[] x = new double[indices.length * inputs];
    double[] targets = data.hasLabels() ? null : new double[indices.length * width];
    int[] labels = data.hasLabels() ? new int[indices.length] : null;
    for (int i = 0; i < indices.length; i++) {
      int row = indices[i];
      if (row < 0 || row >= data.rows()) {
        throw new IllegalArgumentException(
            "index " + row + " at position " + i + " is outside 0.." + (data.rows() - 1));
      }
      System.arraycopy(data.x(), row * inputs, x, i * inputs, inputs);
      if (labels != null) {
        labels[i] = data.labels()[row];
      } else {
        System.arraycopy(data.targets(), row * width, targets, i * width, width);
      }
    }
    return new Dataset(data.source(), indices.length, inputs, x, width, targets, labels);
  }

  /** The first {@code firstRows} rows and the remaining ones (either part may be empty). */
  public static Split split(Dataset data, int firstRows) {
    if (firstRows < 0 || firstRows > data.rows()) {
      throw new IllegalArgumentException(
          "cannot split " + data.rows() + " rows after row " + firstRows);
    }
    return new Split(range(data, 0, firstRows), range(data, firstRows, data.rows()));
  }

  /** Mixed into the seed so the split draws its own stream ("splitnnc"). */
  static final long SPLIT_STREAM = 0x73706C69746E6E63L;

  /**
   * Holds out {@code fraction} of the rows for validation ({@code validate split(f)}): seeded from
   * {@code seed}, and stratified when the rows have classes (labels, or a single 0/1 target
   * column): each class gives round(f · its rows) rows, so both parts keep the class shares. Either
   * way both parts keep the rows in their original order. {@link Split#first()} is the training
   * part, {@link Split#rest()} the validation part.
   *
   * @throws IllegalArgumentException when either part would be empty
   */
  public static Split holdOut(Dataset data, double fraction, long seed) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("the split must be in (0, 1), got " + fraction);
    }
    int m = data.rows();
    int[] keys = new int[m];
    boolean stratified = data.hasLabels();
    if (stratified) {
      System.arraycopy(data.labels(), 0, keys, 0, m);
    } else if (data.targetWidth() == 1) {
      stratified = true;
      for (int r = 0; r < m && stratified; r++) {
        double t = data.targets()[r];
        stratified = t == 0 || t == 1;
        keys[r] = (int) t;
      }
      if (!stratified) {
        java.util.Arrays.fill(keys, 0);
      }
    }
    java.util.Map<Integer, Integer> counts = new java.util.TreeMap<>();
    for (int key : keys) {
      counts.merge(key, 1, Integer::sum);
    }
    java.util.Map<Integer, Integer> quota = new java.util.HashMap<>();
    counts.forEach((key, count) -> quota.put(key, (int) Math.round(fraction * count)));
    int[] order = new int[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    new dev.nnc.runtime.Rng(seed ^ SPLIT_STREAM).shuffle(order);
    boolean[] held = new boolean[m];
    int heldCount = 0;
    for (int row : order) {
      int left = quota.get(keys[row]);
      if (left > 0) {
        quota.put(keys[row], left - 1);
        held[row] = true;
        heldCount++;
      }
    }
    if (heldCount == 0 || heldCount == m) {
      throw new IllegalArgumentException(
          data.source()
              + ": "
              + m
              + " rows cannot be split "
              + Math.round(100 * (1 - fraction))
              + "/"
              + Math.round(100 * fraction)
              + ": one part would have no rows");
    }
    int[] training = new int[m - heldCount];
    int[] validation = new int[heldCount];
    int t = 0;
    int v = 0;
    for (int r = 0; r < m; r++) {
      if (held[r]) {
        validation[v++] = r;
      } else {
        training[t++] = r;
      }
    }
    return new Split(rows(data, training), rows(data, validation));
  }

  private static Dataset range(Dataset data, int from, int to) {
    int[] indices = new int[to - from];
    for (int i = 0; i < indices.length; i++) {
      indices[i] = from + i;
    }
    return rows(data, indices);
  }

  /**
   * Throws unless every input and dense target is finite: {@code data.csv: record 4, input 2: NaN
   * is not finite} (record and column 0-based, as rows and columns of the arrays).
   *
   * @return {@code data}, for chaining
   */
  public static Dataset checkFinite(Dataset data) {
    // IDX images with a finite scale: finite by construction, and their doubles are not made
    if (!data.inputsFiniteByConstruction()) {
      checkFinite(data.source(), data.x(), data.inputWidth(), "input");
    }
    if (data.targets() != null) {
      checkFinite(data.source(), data.targets(), data.targetWidth(), "target");
    }
    return data;
  }

  private static void checkFinite(String source, double[] values, int width, String what) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new DataFormatException(
            source
                + ": record "
                + i / width
                + ", "
                + what
                + " "
                + i % width
                + ": "
                + values[i]
                + " is not finite");
      }
    }
  }

  /**
   * A dataset from arrays of an {@code .npz} archive: {@code inputMember} of shape (rows, D), and
   * {@code targetMember} either labels of shape (rows,) (integers ≥ 0, in any dtype) or dense
   * targets of shape (rows, K) — or (rows,), read as K = 1. Every value must be finite.
   *
   * @param file the archive's name, for messages: {@code weights.npz: member 'X': shape (5,),
   *     expected 2 dimensions}
   * @throws DataFormatException a missing member, a wrong number of dimensions, row counts that
   *     differ, a label that is not a non-negative integer, a value that is not finite
   */
  public static Dataset fromNpz(
      Map<String, NpyArray> arrays,
      String file,
      String inputMember,
      String targetMember,
      boolean labels) {
    NpyArray inputs = Npz.member(arrays, file, inputMember);
    NpyArray targets = Npz.member(arrays, file, targetMember);
    if (inputs.ndim() != 2) {
      throw wrongDimensions(file, inputMember, inputs, "2 dimensions");
    }
    int rows = inputs.shape()[0];
    int width = inputs.shape()[1];
    int targetRows = targets.ndim() == 0 ? -1 : targets.shape()[0];
    if (labels ? targets.ndim() != 1 : targets.ndim() != 1 && targets.ndim() != 2) {
      throw wrongDimensions(
          file, targetMember, targets, labels ? "1 dimension (labels)" : "1 or 2 dimensions");
    }
    if (targetRows != rows) {
      throw new DataFormatException(
          file
              + ": member '"
              + targetMember
              + "' has "
              + targetRows
              + " rows, member '"
              + inputMember
              + "' has "
              + rows);
    }
    String source = file;
    checkFinite(file + ": member '" + inputMember + "'", inputs.data(), width, "input");
    if (labels) {
      int[] classes = new int[rows];
      int largest = -1;
      double[] values = targets.data();
      for (int r = 0; r < rows; r++) {
        double v = values[r];
        if (!(v >= 0) || v != Math.rint(v) || v > Integer.MAX_VALUE) {
          throw new DataFormatException(
              file
                  + ": member '"
                  + targetMember
                  + "': record "
                  + r
                  + ": "
                  + v
                  + " is not a label (a non-negative integer)");
        }
        classes[r] = (int) v;
        largest = Math.max(largest, classes[r]);
      }
      return new Dataset(source, rows, width, inputs.data().clone(), largest + 1, null, classes);
    }
    int targetWidth = targets.ndim() == 2 ? targets.shape()[1] : 1;
    checkFinite(file + ": member '" + targetMember + "'", targets.data(), targetWidth, "target");
    return new Dataset(
        source, rows, width, inputs.data().clone(), targetWidth, targets.data().clone(), null);
  }

  private static DataFormatException wrongDimensions(
      String file, String member, NpyArray array, String expected) {
    return new DataFormatException(
        file + ": member '" + member + "': shape " + array.shapeText() + ", expected " + expected);
  }
}
