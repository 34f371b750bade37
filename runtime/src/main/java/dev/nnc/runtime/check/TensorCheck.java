package dev.nnc.runtime.check;

import dev.nnc.runtime.TensorSpec;

/**
 * The gradient check of one parameter tensor: the worst disagreement between the network's own
 * (analytic) gradient and central differences over the entries checked.
 *
 * @param tensor the tensor, with its layer and {@code .nn} line
 * @param checkedEntries how many of its entries were checked (all, or a seeded sample)
 * @param maxRelativeError the largest {@code |a − n| / max(1e-8, |a| + |n|)}; NaN if a gradient was
 *     not a number
 * @param worstFlatIndex where that error occurs, as an index of the whole flat vector (−1 when no
 *     entry was checked)
 * @param analytic the network's gradient there
 * @param numeric the central difference there
 * @param threshold the error above which the tensor fails
 * @param roundingLimited entries over the threshold whose |a − n| is still below the rounding floor
 *     of the central difference (the loss's rounding error divided by 2ε): there the difference
 *     cannot resolve the gradient, so they do not count against it
 * @param kinks entries where the loss is not smooth within ±ε (its one-sided differences disagree
 *     and the analytic gradient lies between them: a relu input crossing 0); skipped
 */
public record TensorCheck(
    TensorSpec tensor,
    int checkedEntries,
    double maxRelativeError,
    int worstFlatIndex,
    double analytic,
    double numeric,
    double threshold,
    int roundingLimited,
    int kinks) {

  /** A check with no entry limited by rounding and no kink. */
  public TensorCheck(
      TensorSpec tensor,
      int checkedEntries,
      double maxRelativeError,
      int worstFlatIndex,
      double analytic,
      double numeric,
      double threshold) {
    this(
        tensor,
        checkedEntries,
        maxRelativeError,
        worstFlatIndex,
        analytic,
        numeric,
        threshold,
        0,
        0);
  }

  /** Passes when the worst error is at most the threshold (a NaN error never passes). */
  public boolean passed() {
    return checkedEntries == 0 || maxRelativeError <= threshold;
  }

  /** Row of the worst entry inside the tensor. */
  public int worstRow() {
    return worstFlatIndex < 0 ? -1 : (worstFlatIndex - tensor.offset()) / tensor.cols();
  }

  /** Column of the worst entry inside the tensor. */
  public int worstColumn() {
    return worstFlatIndex < 0 ? -1 : (worstFlatIndex - tensor.offset()) % tensor.cols();
  }

  /** {@code hidden.W (layer 'hidden', model.nn:4)}: the tensor and where it is declared. */
  public String location(String sourceFile) {
    return tensor.name()
        + " (layer '"
        + tensor.layer()
        + "', "
        + sourceFile
        + ":"
        + tensor.line()
        + ")";
  }
}
