package dev.nnc.diag;

import java.util.Locale;

/** How serious a diagnostic is: only errors stop the compiler. */
public enum Severity {
  ERROR,
  WARNING;

  /** The word printed in a formatted diagnostic ({@code error}, {@code warning}). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
