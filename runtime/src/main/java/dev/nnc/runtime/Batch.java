package dev.nnc.runtime;

import dev.nnc.runtime.data.Dataset;

/**
 * Rows of examples laid out row-major: inputs {@code x} ({@code rows × inputWidth}) and either
 * dense targets ({@code rows × targetWidth}) or integer class labels. Allocated once per size and
 * refilled, so a training loop does not allocate.
 */
public final class Batch {
  public final int inputWidth;
  public final int targetWidth;
  public final double[] x;

  /** Dense targets, or null when the network takes labels. */
  public final double[] targets;

  /** Class labels in [0, classes), or null when the network takes dense targets. */
  public final int[] labels;

  private int rows;

  public Batch(int capacityRows, int inputWidth, int targetWidth, boolean labels) {
    if (capacityRows <= 0) {
      throw new IllegalArgumentException("a batch needs at least one row, got " + capacityRows);
    }
    this.inputWidth = inputWidth;
    this.targetWidth = targetWidth;
    this.x = new double[capacityRows * inputWidth];
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
    if (rows < 1 || rows * inputWidth > x.length) {
      throw new IllegalArgumentException("rows " + rows + " outside 1.." + capacity());
    }
    this.rows = rows;
  }

  public boolean hasLabels() {
    return labels != null;
  }
}
