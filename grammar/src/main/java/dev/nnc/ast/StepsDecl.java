package dev.nnc.ast;

import dev.nnc.diag.Span;

/** {@code steps 1000}. */
public record StepsDecl(Span span, NumberDecl count) implements StatementDecl {
  @Override
  public String keyword() {
    return "steps";
  }
}
