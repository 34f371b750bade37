package dev.nnc.ast;

import dev.nnc.diag.Span;

/** {@code epochs 30}. */
public record EpochsDecl(Span span, NumberDecl count) implements StatementDecl {
  @Override
  public String keyword() {
    return "epochs";
  }
}
