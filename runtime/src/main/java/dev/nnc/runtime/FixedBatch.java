package dev.nnc.runtime;

import dev.nnc.runtime.data.Dataset;

/**
 * A copy of a {@link Batch}'s rows (inputs, targets or labels, row count) that nobody can change:
 * the rows CG and L-BFGS evaluate their objective on, many times ({@code optim.NetworkObjective}).
 *
 * <p>Because a fixed batch never changes, a network may prepare its inputs once and keep them
 * between calls of {@link Network#lossAndGradient(FixedBatch)}: generated classes keep them as rows
 * of their own precision (a float network converts each input once per fixed batch instead of once
 * per call, which is memory-bound: about a fifth of S3's float objective). No result can come from
 * a stale copy: {@link #copyOf} copies the rows, so writing into the batch it was made from
 * afterwards changes nothing here (make a new fixed batch to evaluate the new rows), and this class
 * hands its rows to no one but a {@link Network}'s methods, which only read them.
 */
public final class FixedBatch {
  /** The copy; never handed out except to a network's methods (Network's default methods). */
  final Batch rows;

  private FixedBatch(Batch rows) {
    this.rows = rows;
  }

  /**
   * A fixed copy of the first {@code batch.rows()} rows of {@code batch}: its inputs, its targets
   * or labels. Later writes into {@code batch} do not reach the copy.
   */
  public static FixedBatch copyOf(Batch batch) {
    int n = batch.rows();
    if (batch.floatInputs()) { // a float batch's copy is one too
      Batch copy = Batch.forSpecInFloat(n, batch.inputWidth, batch.targetWidth, batch.hasLabels());
      copy.copyFrom(batch);
      return new FixedBatch(copy);
    }
    Batch copy = new Batch(n, batch.inputWidth, batch.targetWidth, batch.hasLabels());
    System.arraycopy(batch.x, 0, copy.x, 0, n * batch.inputWidth);
    if (batch.hasLabels()) {
      System.arraycopy(batch.labels, 0, copy.labels, 0, n);
    } else {
      System.arraycopy(batch.targets, 0, copy.targets, 0, n * batch.targetWidth);
    }
    return new FixedBatch(copy);
  }

  /**
   * Every row of {@code data} (already preprocessed to the spec's widths), in order, as a fixed
   * batch: {@link Batch#of} without a second copy.
   *
   * @throws IllegalArgumentException as {@link Batch#of} does, when the data does not fit {@code
   *     spec}
   */
  public static FixedBatch of(NetworkSpec spec, Dataset data) {
    Batch.checkFits(spec, data);
    int n = data.rows();
    Batch rows = Batch.forSpec(spec, n);
    data.copyInputs(0, n, rows.x, 0);
    if (data.hasLabels()) {
      System.arraycopy(data.labels(), 0, rows.labels, 0, n);
    } else {
      System.arraycopy(data.targets(), 0, rows.targets, 0, n * data.targetWidth());
    }
    return new FixedBatch(rows);
  }

  /** The number of rows. */
  public int rows() {
    return rows.rows();
  }

  public int inputWidth() {
    return rows.inputWidth;
  }

  public int targetWidth() {
    return rows.targetWidth;
  }

  public boolean hasLabels() {
    return rows.hasLabels();
  }

  /** Input {@code column} of row {@code row} (a float batch's float, widened). */
  public double input(int row, int column) {
    int i = index(row, column, rows.inputWidth);
    return rows.floatRows != null ? rows.floatRows[row][column] : rows.x[i];
  }

  /** Dense target {@code column} of row {@code row} (a batch of dense targets only). */
  public double target(int row, int column) {
    if (rows.targets == null) {
      throw new IllegalStateException("a batch of class labels has no dense targets");
    }
    return rows.targets[index(row, column, rows.targetWidth)];
  }

  /** The class label of row {@code row} (a batch of labels only). */
  public int label(int row) {
    if (rows.labels == null) {
      throw new IllegalStateException("a batch of dense targets has no class labels");
    }
    return rows.labels[index(row, 0, 1)];
  }

  /**
   * Whether {@code batch} is this fixed batch's own copy of its rows: what a network's {@link
   * Network#lossAndGradientOfFixed} checks before it trusts the rows to stay as they are.
   */
  public boolean holds(Batch batch) {
    return batch == rows;
  }

  private int index(int row, int column, int width) {
    if (row < 0 || row >= rows.rows() || column < 0 || column >= width) {
      throw new IndexOutOfBoundsException(
          "row " + row + ", column " + column + " of " + rows.rows() + " × " + width);
    }
    return row * width + column;
  }
}
