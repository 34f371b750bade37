package dev.nnc.diag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Gathers diagnostics in the order they are reported; not thread-safe. */
public final class DiagnosticCollector {
  private final List<Diagnostic> diagnostics = new ArrayList<>();
  private int errorCount;

  public void report(Diagnostic diagnostic) {
    diagnostics.add(diagnostic);
    if (diagnostic.isError()) {
      errorCount++;
    }
  }

  /** Reports {@code code} at {@code span}, its template filled with {@code arguments}. */
  public void report(DiagnosticCode code, Span span, Object... arguments) {
    report(Diagnostic.of(code, span, arguments));
  }

  public boolean hasErrors() {
    return errorCount > 0;
  }

  public int errorCount() {
    return errorCount;
  }

  /** Everything reported so far, in order (an unmodifiable view). */
  public List<Diagnostic> diagnostics() {
    return Collections.unmodifiableList(diagnostics);
  }
}
