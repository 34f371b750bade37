package dev.nnc.runtime.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of a {@link GradientCheck}: one {@link TensorCheck} per parameter tensor, the
 * problems found outside single entries (a loss that {@code lossAndGradient} and {@code loss}
 * disagree on, a second call that differs from the first, two thread counts that differ, an
 * exception), and, for a float network, the check of its double reference.
 *
 * @param networkName the network checked
 * @param sourceFile its {@code .nn} file, named in every line of {@link #format()}
 * @param method how the gradient was checked (central differences, or a double reference)
 * @param cases what was run: one line per batch (rows, threads, calls)
 * @param tensors the per-tensor results, in flat-vector order
 * @param reference for a float network checked against its double twin: the twin's own check by
 *     central differences (empty otherwise)
 * @param problems findings that fail the check whatever the tensors say
 */
public record GradientReport(
    String networkName,
    String sourceFile,
    String method,
    List<String> cases,
    List<TensorCheck> tensors,
    List<TensorCheck> reference,
    List<String> problems) {

  public GradientReport {
    cases = List.copyOf(cases);
    tensors = List.copyOf(tensors);
    reference = List.copyOf(reference);
    problems = List.copyOf(problems);
  }

  /** True when there is no problem and every tensor (and every reference tensor) passes. */
  public boolean passed() {
    return problems.isEmpty()
        && tensors.stream().allMatch(TensorCheck::passed)
        && reference.stream().allMatch(TensorCheck::passed);
  }

  /** The tensors that did not pass, in flat-vector order. */
  public List<TensorCheck> failures() {
    return tensors.stream().filter(check -> !check.passed()).toList();
  }

  /** Verified entries over all tensors. */
  public long verified() {
    return tensors.stream().mapToLong(TensorCheck::verified).sum();
  }

  /** Unverifiable entries over all tensors. */
  public long unverifiable() {
    return tensors.stream().mapToLong(TensorCheck::unverifiable).sum();
  }

  /** Failed entries over all tensors. */
  public long failed() {
    return tensors.stream().mapToLong(TensorCheck::failed).sum();
  }

  /**
   * A readable report: the method, the cases, one line per tensor with its verified / unverifiable
   * / failed counts and the entry shown, the problems, then a verdict.
   */
  public String format() {
    StringBuilder text = new StringBuilder();
    text.append("gradient check of ")
        .append(networkName)
        .append(" (")
        .append(sourceFile)
        .append("): ")
        .append(method)
        .append('\n');
    for (String c : cases) {
      text.append("  case: ").append(c).append('\n');
    }
    appendTensors(text, tensors);
    if (!reference.isEmpty()) {
      text.append("the double reference, by central differences:\n");
      appendTensors(text, reference);
    }
    for (String problem : problems) {
      text.append("  PROBLEM: ").append(problem).append('\n');
    }
    if (passed()) {
      text.append(
          String.format(
              Locale.ROOT,
              "passed: %d tensors, %d entries verified, %d unverifiable%n",
              tensors.size(),
              verified(),
              unverifiable()));
    } else {
      text.append(
          String.format(
              Locale.ROOT,
              "FAILED: %d of %d tensors, %d problems%n",
              failures().size(),
              tensors.size(),
              problems.size()));
    }
    return text.toString();
  }

  private void appendTensors(StringBuilder text, List<TensorCheck> checks) {
    int width = 0;
    for (TensorCheck check : checks) {
      width = Math.max(width, check.location(sourceFile).length());
    }
    for (TensorCheck check : checks) {
      String location = check.location(sourceFile);
      text.append("  ")
          .append(location)
          .append(':')
          .append(" ".repeat(width - location.length()))
          .append(
              String.format(
                  Locale.ROOT,
                  " %d verified, %d unverifiable, %d failed",
                  check.verified(),
                  check.unverifiable(),
                  check.failed()));
      if (check.worstFlatIndex() >= 0) {
        text.append(
            String.format(
                Locale.ROOT,
                "; at [%d, %d] analytic %.6g vs %.6g, |a − n| %.1e (bound %.1e)",
                check.worstRow(),
                check.worstColumn(),
                check.analytic(),
                check.numeric(),
                check.error(),
                check.bound()));
      }
      text.append(check.passed() ? "  ok" : "  FAIL: " + check.whyNot());
      text.append(limits(check)).append('\n');
    }
  }

  /** {@code " (2 at kinks, 1 below resolution, 3 never exercised)"}, or nothing. */
  static String limits(TensorCheck check) {
    List<String> parts = new ArrayList<>();
    if (check.kinks() > 0) {
      parts.add(check.kinks() + " at a kink (relu or max pool)");
    }
    if (check.belowResolution() > 0) {
      parts.add(check.belowResolution() + " below resolution");
    }
    if (check.notExercised() > 0) {
      parts.add(check.notExercised() + " never exercised");
    }
    return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
  }
}
