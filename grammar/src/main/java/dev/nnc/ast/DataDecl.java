package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/** {@code data inline { x = [[0, 0], [0, 1]] t = [[0], [1]] }}. */
public record DataDecl(Span span, List<DataEntryDecl> entries) implements StatementDecl {
  public DataDecl {
    entries = List.copyOf(entries);
  }

  @Override
  public String keyword() {
    return "data";
  }
}
