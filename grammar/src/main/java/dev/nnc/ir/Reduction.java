package dev.nnc.ir;

/**
 * How per-element (or per-row) losses become one number, exactly; n = rows in the batch, k =
 * elements per row.
 */
public enum Reduction {
  /** Σ over everything. */
  SUM,
  /** ½ Σ over everything. */
  HALF_SUM,
  /** (1 / (n·k)) Σ: the mean over every element. */
  MEAN,
  /** (1 / n) Σ: summed over each row, averaged over rows. */
  BATCH_MEAN,
  /** (1 / 2n) Σ: Nielsen's quadratic cost. */
  HALF_BATCH_MEAN;

  public String keyword() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
