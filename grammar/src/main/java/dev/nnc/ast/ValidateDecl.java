package dev.nnc.ast;

import dev.nnc.diag.Span;

/** {@code validate idx(…)}: held-out rows to measure accuracy on after every epoch. */
public record ValidateDecl(Span span, DataSourceDecl source) implements StatementDecl {
  @Override
  public String keyword() {
    return "validate";
  }
}
