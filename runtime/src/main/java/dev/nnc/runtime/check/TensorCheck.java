package dev.nnc.runtime.check;

import dev.nnc.runtime.TensorSpec;

/**
 * The gradient check of one parameter tensor. Every entry checked ends in one of three outcomes,
 * over all the cases of the check (batches, calls, thread counts): <em>failed</em> when some case
 * disagrees beyond its bound, <em>verified</em> when some case confirms it and none disagrees,
 * <em>unverifiable</em> otherwise (a relu kink within the step, or a gradient below what central
 * differences can resolve at this loss). A tensor passes only with no failed entry, at least one
 * verified entry, and unverifiable entries at most {@code maxUnverifiableShare} of those checked.
 *
 * @param tensor the tensor, with its layer and {@code .nn} line
 * @param checkedEntries how many of its entries were checked (all, or a seeded sample)
 * @param verified entries confirmed (and never contradicted)
 * @param unverifiable entries neither confirmed nor contradicted
 * @param failed entries contradicted by at least one case
 * @param kinks unverifiable entries where the loss was not smooth within the step (a relu kink)
 * @param belowResolution unverifiable entries whose gradient is below the resolution of the check
 * @param notExercised entries whose gradient was exactly 0 in every case (a unit never active):
 *     verified as 0, yet the code path that would make them non-zero never ran
 * @param worstFlatIndex the entry shown: the worst failed one, else the worst verified one (−1 if
 *     none)
 * @param analytic the network's gradient there
 * @param numeric what it was checked against there (central difference, or the double reference)
 * @param error {@code |analytic − numeric|} there
 * @param bound the largest {@code |analytic − numeric|} that entry was allowed
 * @param maxUnverifiableShare the share of unverifiable entries a tensor may have and still pass
 */
public record TensorCheck(
    TensorSpec tensor,
    int checkedEntries,
    int verified,
    int unverifiable,
    int failed,
    int kinks,
    int belowResolution,
    int notExercised,
    int worstFlatIndex,
    double analytic,
    double numeric,
    double error,
    double bound,
    double maxUnverifiableShare) {

  /** No failed entry, at least one verified, unverifiable ones within the stated share. */
  public boolean passed() {
    return failed == 0 && verified > 0 && unverifiable <= maxUnverifiableShare * checkedEntries;
  }

  /** Why the tensor did not pass, or "" when it did. */
  public String whyNot() {
    if (failed > 0) {
      return failed + (failed == 1 ? " entry disagrees" : " entries disagree");
    }
    if (verified == 0) {
      return "no entry could be verified";
    }
    if (!passed()) {
      return String.format(
          java.util.Locale.ROOT,
          "%d of %d entries unverifiable (more than %.0f%%)",
          unverifiable,
          checkedEntries,
          100 * maxUnverifiableShare);
    }
    return "";
  }

  /** {@code error / bound} at the entry shown: above 1 fails. */
  public double errorOverBound() {
    return bound > 0 ? error / bound : (error == 0 ? 0 : Double.POSITIVE_INFINITY);
  }

  /** Row of the entry shown inside the tensor. */
  public int worstRow() {
    return worstFlatIndex < 0 ? -1 : (worstFlatIndex - tensor.offset()) / tensor.cols();
  }

  /** Column of the entry shown inside the tensor. */
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
