package dev.nnc.ast;

import dev.nnc.diag.Span;

/** {@code precision float}. */
public record PrecisionDecl(Span span, NameDecl kind) implements StatementDecl {
  @Override
  public String keyword() {
    return "precision";
  }
}
