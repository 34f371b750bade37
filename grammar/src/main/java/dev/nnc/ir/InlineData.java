package dev.nnc.ir;

import dev.nnc.diag.Span;
import java.util.List;

/**
 * {@code data inline { x = [[0, 0], [0, 1]] y = [[0], [1]] }}: rows for the input and for the
 * target (dense rows) or label (one integer per row). The checker has checked the row count and
 * every row's width against the declarations, and that labels are integers in range.
 *
 * @param inputs raw input rows (width {@link Input#rawWidth()})
 * @param targets dense target rows, or empty when the network takes labels
 * @param labels class labels, or empty when the network takes dense targets
 */
public record InlineData(
    List<List<Double>> inputs, List<List<Double>> targets, List<Integer> labels, Span span) {
  public InlineData {
    inputs = inputs.stream().map(List::copyOf).toList();
    targets = targets.stream().map(List::copyOf).toList();
    labels = List.copyOf(labels);
  }

  public int rows() {
    return inputs.size();
  }
}
