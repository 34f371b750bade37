package dev.nnc.ir;

import dev.nnc.diag.Span;

/**
 * What the loss compares the output with: {@code target y[10]} (dense rows, optionally
 * standardised) or {@code label y} (one integer class per row).
 *
 * @param width dense: its declared width; labels: the number of classes (the output width)
 * @param standardizeDdof −1 for none, else 0 or 1 (dense targets only)
 */
public record Target(String name, Kind kind, int width, int standardizeDdof, Span span) {
  public enum Kind {
    DENSE,
    LABELS
  }
}
