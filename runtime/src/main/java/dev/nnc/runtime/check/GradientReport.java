package dev.nnc.runtime.check;

import java.util.List;
import java.util.Locale;

/**
 * The outcome of a {@link GradientCheck}: one {@link TensorCheck} per parameter tensor.
 *
 * @param networkName the network checked
 * @param sourceFile its {@code .nn} file, named in every line of {@link #format()}
 * @param epsilon the central-difference step used
 * @param threshold the largest relative error that passes
 * @param maxPerTensor entries checked per tensor at most ({@code Integer.MAX_VALUE} = all)
 * @param tensors the per-tensor results, in flat-vector order
 */
public record GradientReport(
    String networkName,
    String sourceFile,
    double epsilon,
    double threshold,
    int maxPerTensor,
    List<TensorCheck> tensors) {

  public GradientReport {
    tensors = List.copyOf(tensors);
  }

  /** True when every tensor passes. */
  public boolean passed() {
    return tensors.stream().allMatch(TensorCheck::passed);
  }

  /** The tensors that failed, in flat-vector order. */
  public List<TensorCheck> failures() {
    return tensors.stream().filter(check -> !check.passed()).toList();
  }

  /** {@code " (3 within rounding, 1 at a kink)"}, or nothing when neither happened. */
  static String limits(TensorCheck check) {
    if (check.roundingLimited() == 0 && check.kinks() == 0) {
      return "";
    }
    StringBuilder text = new StringBuilder(" (");
    if (check.roundingLimited() > 0) {
      text.append(check.roundingLimited()).append(" within rounding");
    }
    if (check.kinks() > 0) {
      if (check.roundingLimited() > 0) {
        text.append(", ");
      }
      text.append(check.kinks())
          .append(check.kinks() == 1 ? " at a kink, skipped" : " at kinks, skipped");
    }
    return text.append(')').toString();
  }

  /**
   * A readable table, one line per tensor, then a verdict:
   *
   * <pre>
   * gradient check of Model (model.nn): central differences, ε = 1.0e-06, threshold 1.0e-06
   *   hidden.W (layer 'hidden', model.nn:4): max rel. error 3.1e-01 at [2, 7]: analytic 0.1234, numeric -0.1234  FAIL
   *   hidden.b (layer 'hidden', model.nn:4): max rel. error 2.0e-10 at [0, 3]: analytic 0.5, numeric 0.5  ok
   * FAILED: 1 of 2 tensors
   * </pre>
   */
  public String format() {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            Locale.ROOT,
            "gradient check of %s (%s): central differences, ε = %.1e, threshold %.1e%s%n",
            networkName,
            sourceFile,
            epsilon,
            threshold,
            maxPerTensor == Integer.MAX_VALUE
                ? ""
                : ", at most " + maxPerTensor + " sampled entries per tensor"));
    int width = 0;
    for (TensorCheck check : tensors) {
      width = Math.max(width, check.location(sourceFile).length());
    }
    long entries = 0;
    for (TensorCheck check : tensors) {
      entries += check.checkedEntries();
      String location = check.location(sourceFile);
      text.append("  ").append(location).append(':').append(" ".repeat(width - location.length()));
      if (check.checkedEntries() == 0) {
        text.append(" no entries  ok\n");
        continue;
      }
      text.append(
          String.format(
              Locale.ROOT,
              " max rel. error %.1e at [%d, %d]: analytic %.6g, numeric %.6g  %s%s%n",
              check.maxRelativeError(),
              check.worstRow(),
              check.worstColumn(),
              check.analytic(),
              check.numeric(),
              check.passed() ? "ok" : "FAIL",
              limits(check)));
    }
    int failed = failures().size();
    if (failed == 0) {
      text.append("passed: ")
          .append(tensors.size())
          .append(" tensors, ")
          .append(entries)
          .append(" entries checked\n");
    } else {
      text.append("FAILED: ")
          .append(failed)
          .append(" of ")
          .append(tensors.size())
          .append(" tensors\n");
    }
    return text.toString();
  }
}
