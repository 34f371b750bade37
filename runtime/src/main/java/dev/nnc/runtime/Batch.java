package dev.nnc.runtime;

import dev.nnc.runtime.data.Dataset;

/**
 * Rows of examples laid out row-major: inputs {@code x} ({@code rows × inputWidth}) and either
 * dense targets ({@code rows × targetWidth}) or integer class labels. Allocated once per size and
 * refilled, so a training loop does not allocate.
 *
 * <p>A <em>float batch</em> ({@link #forSpecInFloat}, or {@link Network#newBatch} of a network that
 * computes in float) holds its inputs as float rows instead ({@link #floatRows}; {@code x} is then
 * null): what a float network computes with, so that it lends them to its input buffer instead of
 * converting doubles in every call. A row is written converted once ({@link #setInputs}: the double
 * rounded to float, the bits a float network's own conversion gives), so a float network computes
 * the same bits from a float batch as from a batch of the same doubles. Networks that compute in
 * double refuse float batches.
 */
public final class Batch {
  public final int inputWidth;
  public final int targetWidth;

  /** The inputs ({@code rows × inputWidth}, row-major); null in a float batch. */
  public final double[] x;

  /**
   * The inputs of a float batch, one array of {@code inputWidth} floats per row; null in a batch of
   * doubles ({@link #x}).
   */
  public final float[][] floatRows;

  /** Dense targets, or null when the network takes labels. */
  public final double[] targets;

  /** Class labels in [0, classes), or null when the network takes dense targets. */
  public final int[] labels;

  private int rows;

  public Batch(int capacityRows, int inputWidth, int targetWidth, boolean labels) {
    this(capacityRows, inputWidth, targetWidth, labels, false);
  }

  private Batch(
      int capacityRows, int inputWidth, int targetWidth, boolean labels, boolean floatInputs) {
    if (capacityRows <= 0) {
      throw new IllegalArgumentException("a batch needs at least one row, got " + capacityRows);
    }
    this.inputWidth = inputWidth;
    this.targetWidth = targetWidth;
    this.x = floatInputs ? null : new double[capacityRows * inputWidth];
    this.floatRows = floatInputs ? new float[capacityRows][inputWidth] : null;
    this.targets = labels ? null : new double[capacityRows * targetWidth];
    this.labels = labels ? new int[capacityRows] : null;
    this.rows = capacityRows;
  }

  /** A batch shaped for {@code spec}'s inputs and targets. */
  public static Batch forSpec(NetworkSpec spec, int capacityRows) {
    return new Batch(
        capacityRows,
        spec.inputWidth(),
        spec.targetWidth(),
        spec.targetKind() == NetworkSpec.TargetKind.LABELS);
  }

  /**
   * A float batch shaped for {@code spec}'s inputs and targets: its inputs are {@link #floatRows},
   * for a network that computes in float (see {@link Network#newBatch}).
   */
  public static Batch forSpecInFloat(NetworkSpec spec, int capacityRows) {
    return new Batch(
        capacityRows,
        spec.inputWidth(),
        spec.targetWidth(),
        spec.targetKind() == NetworkSpec.TargetKind.LABELS,
        true);
  }

  /** A float batch of these widths (the float form of the public constructor). */
  static Batch forSpecInFloat(int capacityRows, int inputWidth, int targetWidth, boolean labels) {
    return new Batch(capacityRows, inputWidth, targetWidth, labels, true);
  }

  /** Whether the inputs are {@link #floatRows} (a float batch) rather than {@link #x}. */
  public boolean floatInputs() {
    return floatRows != null;
  }

  /**
   * Row {@code row}'s inputs from row {@code dataRow} of {@code data}: its doubles ({@link
   * Dataset#copyInputs}), rounded to float in a float batch, in one pass.
   */
  public void setInputs(int row, Dataset data, int dataRow) {
    if (floatRows != null) {
      data.copyInputs(dataRow, floatRows[row]);
    } else {
      data.copyInputs(dataRow, 1, x, row * inputWidth);
    }
  }

  /**
   * Copies {@code from}'s rows into this batch (of the same widths and kind of target): inputs,
   * targets or labels, row count; the inputs rounded to float when this is a float batch and {@code
   * from} is not. A float batch's rows cannot be copied into a batch of doubles (their doubles are
   * gone).
   */
  public void copyFrom(Batch from) {
    int n = from.rows();
    if (from.inputWidth != inputWidth
        || from.targetWidth != targetWidth
        || from.hasLabels() != hasLabels()
        || n > (x != null ? x.length / Math.max(1, inputWidth) : floatRows.length)
        || (from.floatRows != null && floatRows == null)) {
      throw new IllegalArgumentException(
          "a batch of "
              + n
              + (from.floatInputs() ? " float" : "")
              + " rows × "
              + from.inputWidth
              + " does not fit a batch of "
              + capacity()
              + (floatInputs() ? " float" : "")
              + " rows × "
              + inputWidth);
    }
    for (int r = 0; r < n; r++) {
      float[] into = floatRows != null ? floatRows[r] : null;
      if (from.floatRows != null) {
        System.arraycopy(from.floatRows[r], 0, into, 0, inputWidth);
      } else if (into != null) {
        for (int i = 0, base = r * inputWidth; i < inputWidth; i++) {
          into[i] = (float) from.x[base + i];
        }
      }
    }
    if (floatRows == null) {
      System.arraycopy(from.x, 0, x, 0, n * inputWidth);
    }
    if (hasLabels()) {
      System.arraycopy(from.labels, 0, labels, 0, n);
    } else {
      System.arraycopy(from.targets, 0, targets, 0, n * targetWidth);
    }
    setRows(n);
  }

  /**
   * A batch holding every row of {@code data} (already preprocessed to the spec's widths).
   *
   * @throws IllegalArgumentException when the data's input width, kind of target (labels or dense
   *     targets), target width or a label does not fit {@code spec}, naming what it expected
   */
  public static Batch of(NetworkSpec spec, Dataset data) {
    checkFits(spec, data);
    Batch batch = forSpec(spec, data.rows());
    System.arraycopy(data.x(), 0, batch.x, 0, data.x().length);
    if (data.hasLabels()) {
      System.arraycopy(data.labels(), 0, batch.labels, 0, data.rows());
    } else {
      System.arraycopy(data.targets(), 0, batch.targets, 0, data.targets().length);
    }
    batch.setRows(data.rows());
    return batch;
  }

  /** Refuses {@code data} that {@code spec}'s network cannot take, saying what it expected. */
  static void checkFits(NetworkSpec spec, Dataset data) {
    String what = data.source() + ": ";
    if (data.inputWidth() != spec.inputWidth()) {
      throw new IllegalArgumentException(
          what
              + data.inputWidth()
              + " input columns, network "
              + spec.name()
              + " takes "
              + spec.inputWidth()
              + (data.inputWidth() == spec.rawInputWidth()
                  ? " (the raw columns: apply the Preprocessing first)"
                  : ""));
    }
    boolean wantsLabels = spec.targetKind() == NetworkSpec.TargetKind.LABELS;
    if (wantsLabels != data.hasLabels()) {
      throw new IllegalArgumentException(
          what
              + (data.hasLabels() ? "class labels" : "dense targets")
              + ", network "
              + spec.name()
              + " takes "
              + (wantsLabels
                  ? "class labels '" + spec.targetName() + "'"
                  : "dense targets '" + spec.targetName() + "', " + spec.targetWidth() + " wide"));
    }
    if (wantsLabels) {
      int[] labels = data.labels();
      for (int r = 0; r < labels.length; r++) {
        if (labels[r] < 0 || labels[r] >= spec.targetWidth()) {
          throw new IllegalArgumentException(
              what
                  + "label "
                  + labels[r]
                  + " in row "
                  + r
                  + " is outside 0.."
                  + (spec.targetWidth() - 1)
                  + " (the classes of '"
                  + spec.targetName()
                  + "')");
        }
      }
    } else if (data.targetWidth() != spec.targetWidth()) {
      throw new IllegalArgumentException(
          what
              + data.targetWidth()
              + " target columns, network "
              + spec.name()
              + " takes '"
              + spec.targetName()
              + "', "
              + spec.targetWidth()
              + " wide");
    }
  }

  /**
   * A seeded batch of {@code rows} rows for {@code spec}, for tests and benchmarks: inputs uniform
   * in [−1, 1), dense targets uniform in (0.05, 0.95) (legal for binary cross-entropy too), labels
   * uniform over the classes.
   */
  public static Batch random(NetworkSpec spec, int rows, long seed) {
    Rng rng = new Rng(seed);
    Batch batch = forSpec(spec, rows);
    for (int i = 0; i < rows * spec.inputWidth(); i++) {
      batch.x[i] = 2 * rng.nextDouble() - 1;
    }
    if (batch.hasLabels()) {
      for (int r = 0; r < rows; r++) {
        batch.labels[r] = rng.nextInt(spec.targetWidth());
      }
    } else {
      for (int i = 0; i < rows * spec.targetWidth(); i++) {
        batch.targets[i] = 0.05 + 0.9 * rng.nextDouble();
      }
    }
    return batch;
  }

  public int rows() {
    return rows;
  }

  public int capacity() {
    return labels != null ? labels.length : targets.length / Math.max(1, targetWidth);
  }

  public void setRows(int rows) {
    if (rows < 1 || (x != null ? rows * inputWidth > x.length : rows > floatRows.length)) {
      throw new IllegalArgumentException("rows " + rows + " outside 1.." + capacity());
    }
    this.rows = rows;
  }

  public boolean hasLabels() {
    return labels != null;
  }
}
