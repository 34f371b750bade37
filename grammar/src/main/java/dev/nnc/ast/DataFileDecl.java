package dev.nnc.ast;

import dev.nnc.diag.Span;

/** {@code data idx(…)}, {@code data npz(…)}, {@code data csv(…)}: the training rows from a file. */
public record DataFileDecl(Span span, DataSourceDecl source) implements StatementDecl {
  @Override
  public String keyword() {
    return "data";
  }
}
