package dev.nnc.runtime.data;

import java.util.Objects;

/**
 * Examples held in memory, row-major: inputs ({@code rows × inputWidth}) and either dense targets
 * ({@code rows × targetWidth}) or integer labels. Immutable by convention: loaders build a new one.
 *
 * <p>The inputs are either an array of doubles ({@link #x()}), or, for images read from IDX files,
 * one unsigned byte per input and a scale ({@link #ofBytes}): input = {@code (byte & 0xff) ×
 * scale}, the same double {@link Idx#read} computed for each pixel value. Such a dataset holds an
 * eighth of the memory (MNIST's 8,000 training rows: 6.3 MB instead of 50 MB, which the JVM's first
 * touch of fresh memory made cost about 0.2 s at start-up), and {@link #copyInputs}, which the
 * trainer and the evaluation fill their batches with, decodes rows from it (reading the 50 MB of
 * doubles in a shuffled order ran at the memory's speed: about 5 ms of every Nielsen epoch). {@link
 * #x()} gives the doubles all the same, decoded once on first use; the values are the same bits
 * either way.
 *
 * <p>It was a record; it keeps a record's accessors, {@code equals} (components compared as a
 * record compares them: arrays by identity) and {@code hashCode}. {@link #source()} is where the
 * rows came from, for error messages (a file name, or "inline").
 */
public final class Dataset {
  private final String source;
  private final int rows;
  private final int inputWidth;
  private final int targetWidth;
  private final double[] targets;
  private final int[] labels;

  /** The inputs as unsigned bytes, or null when {@link #x} is the inputs as given. */
  private final byte[] codes;

  /** Multiplies every code (NaN without codes). */
  private final double scale;

  /** The inputs as doubles; with codes, null until first asked for. */
  private volatile double[] x;

  public Dataset(
      String source,
      int rows,
      int inputWidth,
      double[] x,
      int targetWidth,
      double[] targets,
      int[] labels) {
    this(
        source,
        rows,
        inputWidth,
        Objects.requireNonNull(x, "x"),
        null,
        Double.NaN,
        targetWidth,
        targets,
        labels);
  }

  private Dataset(
      String source,
      int rows,
      int inputWidth,
      double[] x,
      byte[] codes,
      double scale,
      int targetWidth,
      double[] targets,
      int[] labels) {
    int inputs = codes != null ? codes.length : x.length;
    if (inputs != rows * inputWidth) {
      throw new IllegalArgumentException(
          source + ": " + inputs + " input values for " + rows + " rows");
    }
    if ((targets == null) == (labels == null)) {
      throw new IllegalArgumentException(source + ": need either dense targets or labels");
    }
    if (targets != null && targets.length != rows * targetWidth) {
      throw new IllegalArgumentException(
          source + ": " + targets.length + " target values for " + rows + " rows");
    }
    if (labels != null && labels.length != rows) {
      throw new IllegalArgumentException(
          source + ": " + labels.length + " labels for " + rows + " rows");
    }
    this.source = source;
    this.rows = rows;
    this.inputWidth = inputWidth;
    this.x = x;
    this.codes = codes;
    this.scale = scale;
    this.targetWidth = targetWidth;
    this.targets = targets;
    this.labels = labels;
  }

  /**
   * Inputs coded as unsigned bytes: input {@code i} is {@code (codes[i] & 0xff) * scale}, computed
   * as that double expression (so the same bits as a table of {@code v * scale} for v in 0..255).
   * The codes are kept, not copied.
   */
  public static Dataset ofBytes(
      String source,
      int rows,
      int inputWidth,
      byte[] codes,
      double scale,
      int targetWidth,
      double[] targets,
      int[] labels) {
    return new Dataset(
        source,
        rows,
        inputWidth,
        null,
        Objects.requireNonNull(codes, "codes"),
        scale,
        targetWidth,
        targets,
        labels);
  }

  public String source() {
    return source;
  }

  public int rows() {
    return rows;
  }

  public int inputWidth() {
    return inputWidth;
  }

  /**
   * The inputs, {@code rows × inputWidth} doubles, row-major. For a dataset of {@link #ofBytes}
   * codes they are decoded on the first call (a new array, then the same one on every call).
   */
  public double[] x() {
    double[] values = x;
    return values != null ? values : decodeAll();
  }

  /** Whether {@link #x()} exists as doubles (always, but for codes not yet decoded): for tests. */
  boolean decoded() {
    return x != null;
  }

  private synchronized double[] decodeAll() {
    if (x == null) {
      double[] values = new double[codes.length];
      decode(codes, 0, values, 0, codes.length, scale);
      x = values;
    }
    return x;
  }

  /**
   * Copies the inputs of rows {@code [row, row + count)} to {@code into[offset ..]}: the values of
   * {@link #x()}, decoded from the codes of an {@link #ofBytes} dataset without making {@link
   * #x()}.
   */
  public void copyInputs(int row, int count, double[] into, int offset) {
    int from = row * inputWidth;
    int n = count * inputWidth;
    if (codes != null) {
      Objects.checkFromIndexSize(from, n, codes.length);
      Objects.checkFromIndexSize(offset, n, into.length);
      decode(codes, from, into, offset, n, scale);
    } else {
      System.arraycopy(x, from, into, offset, n);
    }
  }

  /**
   * Copies the inputs of row {@code row} to {@code into[0 .. inputWidth)}, each rounded to float:
   * {@code (float)} of the double {@link #x()} holds, decoded from the codes of an {@link #ofBytes}
   * dataset without making {@link #x()} (the same bits), in one pass.
   */
  public void copyInputs(int row, float[] into) {
    int from = row * inputWidth;
    int n = inputWidth;
    Objects.checkFromIndexSize(0, n, into.length);
    if (codes != null) {
      Objects.checkFromIndexSize(from, n, codes.length);
      for (int i = 0; i < n; i++) {
        into[i] = (float) ((codes[from + i] & 0xff) * scale);
      }
    } else {
      double[] values = x;
      Objects.checkFromIndexSize(from, n, values.length);
      for (int i = 0; i < n; i++) {
        into[i] = (float) values[from + i];
      }
    }
  }

  /**
   * Whether every input is finite for certain without reading them: inputs of codes whose every
   * value, 0 to 255 times the scale, is finite. False says nothing (read {@link #x()}).
   */
  public boolean inputsFiniteByConstruction() {
    return codes != null && Double.isFinite(scale) && Double.isFinite(255 * scale);
  }

  /** {@code into[offset + i] = (codes[from + i] & 0xff) * scale} for i < n. */
  private static void decode(
      byte[] codes, int from, double[] into, int offset, int n, double scale) {
    for (int i = 0; i < n; i++) {
      into[offset + i] = (codes[from + i] & 0xff) * scale;
    }
  }

  public int targetWidth() {
    return targetWidth;
  }

  public double[] targets() {
    return targets;
  }

  public int[] labels() {
    return labels;
  }

  public boolean hasLabels() {
    return labels != null;
  }

  /** As a record's: every component equal, arrays by identity (the same array). */
  @Override
  public boolean equals(Object other) {
    return other instanceof Dataset that
        && Objects.equals(source, that.source)
        && rows == that.rows
        && inputWidth == that.inputWidth
        && targetWidth == that.targetWidth
        && targets == that.targets
        && labels == that.labels
        && (codes != null
            ? codes == that.codes && Double.compare(scale, that.scale) == 0
            : that.codes == null && x == that.x);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        source,
        rows,
        inputWidth,
        System.identityHashCode(codes != null ? codes : x),
        targetWidth,
        System.identityHashCode(targets),
        System.identityHashCode(labels));
  }

  @Override
  public String toString() {
    return "Dataset[source="
        + source
        + ", rows="
        + rows
        + ", inputWidth="
        + inputWidth
        + (codes != null ? ", bytes × " + scale : "")
        + ", targetWidth="
        + targetWidth
        + (labels != null ? ", labels" : ", dense targets")
        + "]";
  }
}
