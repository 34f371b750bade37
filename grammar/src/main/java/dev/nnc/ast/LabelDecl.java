package dev.nnc.ast;

import dev.nnc.diag.Span;

/** {@code label y}. */
public record LabelDecl(Span span, NameDecl name) implements StatementDecl {
  @Override
  public String keyword() {
    return "label";
  }
}
