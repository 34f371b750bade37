package dev.nnc.check;

import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.SourceText;
import dev.nnc.ir.Model;
import java.util.List;
import java.util.Optional;

/**
 * What {@link NnCompiler} found: the checked model when there were no errors, and every diagnostic
 * (warnings included) in the order reported.
 */
public record CompileResult(
    Optional<Model> model, List<Diagnostic> diagnostics, SourceText source) {
  public CompileResult {
    diagnostics = List.copyOf(diagnostics);
  }

  /** No errors (warnings allowed), so {@link #model()} is present. */
  public boolean ok() {
    return model.isPresent() && diagnostics.stream().noneMatch(Diagnostic::isError);
  }

  /** Every diagnostic formatted as {@code file:line:col: …} with its source line and caret. */
  public String formatDiagnostics() {
    return source.formatAll(diagnostics);
  }
}
